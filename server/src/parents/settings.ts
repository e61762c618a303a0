// Parents' access settings from the environment (validated like the core config).
import { ConfigError } from '../config';

export interface ParentSettings {
  /** Streams one parent account may play at once (phones, tablets…). */
  maxViewers: number;
  /** Lifetime of a stream token; the player renews it while it plays. */
  tokenTtlSeconds: number;
  /** A view with no media request for this long has ended. */
  viewLeaseSeconds: number;
  /** How often playing views are re-checked against hours, grants and revocations. */
  sweepIntervalMs: number;
  /** Views and stream audit entries older than this are purged. */
  retentionDays: number;
  purgeIntervalMs: number;
  /** Invitation and password-reset codes expire after this. */
  codeTtlHours: number;
}

function int(env: NodeJS.ProcessEnv, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be an integer in [${min}, ${max}], got "${raw}"`);
  return n;
}

export function parentSettings(env: NodeJS.ProcessEnv = process.env): ParentSettings {
  return {
    maxViewers: int(env, 'QLY_PARENT_MAX_VIEWERS', 2, 1, 20),
    tokenTtlSeconds: int(env, 'QLY_STREAM_TOKEN_TTL', 300, 30, 3600),
    viewLeaseSeconds: int(env, 'QLY_VIEW_LEASE', 30, 5, 600),
    sweepIntervalMs: int(env, 'QLY_VIEW_SWEEP_MS', 2000, 100, 60_000),
    retentionDays: int(env, 'QLY_VIEW_RETENTION_DAYS', 180, 1, 3650),
    purgeIntervalMs: int(env, 'QLY_VIEW_PURGE_MS', 3_600_000, 1000, 86_400_000),
    codeTtlHours: int(env, 'QLY_PARENT_CODE_TTL_HOURS', 72, 1, 720),
  };
}
