// Validated configuration from the environment. A bad value stops start-up with a message that
// names the variable, instead of failing later in some handler.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AppConfig {
  host: string;
  port: number;
  databaseUrl: string;
  /** PostgreSQL connections per process (`QLY_DB_POOL`): the MQTT intake's lanes, the job worker's batches and HTTP share them. */
  databasePoolSize: number;
  redisUrl: string;
  /** Prefix for every Redis key and BullMQ queue, so several deployments (or test runs) share one Redis. */
  redisPrefix: string;
  mqttUrl: string;
  /** 32-byte key that encrypts camera credentials at rest (AES-256-GCM). */
  secretKey: Buffer;
  sessionTtlSeconds: number;
  cookieSecure: boolean;
  bodyLimitBytes: number;
  logLevel: string;
  /** Built web app served at `/`, if present. */
  webDist: string | null;
  migrate: boolean;
  login: { maxFailuresPerAccount: number; maxFailuresPerAddress: number; windowSeconds: number };
  dataDir: string;
  /** Relay WebRTC through mediasoup (needs the worker bootstrap builds); LL-HLS always works. */
  webrtc: boolean;
  /** Where the SFU binds and what it tells browsers (a NAT or container needs both). */
  webrtcListenIp: string;
  webrtcAnnouncedIp: string | undefined;
  webrtcPorts: { min: number; max: number };
  /** How often cameras are asked over ONVIF whether they are reachable and accept our credentials (0: never). */
  cameraPollMs: number;
  /** RTMP ingest for body cameras and phones (0: off). */
  rtmpPort: number;
  rtmpHost: string;
  /** Run street-stall detection workers in this process (cameras with enabled zones). */
  stalls: boolean;
  /** Continuous mode: read the cameras of gates that have one and decide as vehicles arrive. */
  gateCameras: boolean;
  /** A stream nobody uses stops this long after its last viewer left. */
  mediaIdleStopMs: number;
}

export class ConfigError extends Error {}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function int(env: NodeJS.ProcessEnv, name: string, def: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be an integer in [${min}, ${max}], got "${raw}"`);
  return n;
}

function url(env: NodeJS.ProcessEnv, name: string, def: string, protocols: string[]): string {
  const raw = env[name] ?? def;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a valid URL: "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) throw new ConfigError(`${name} must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  return raw;
}

function secretKey(env: NodeJS.ProcessEnv): Buffer {
  const raw = env.QLY_SECRET_KEY;
  if (!raw) {
    if (env.NODE_ENV === 'production') throw new ConfigError('QLY_SECRET_KEY is required in production (64 hex characters)');
    // Development and tests: a fixed, obviously-not-secret key so data survives restarts.
    return Buffer.alloc(32, 7);
  }
  if (!/^[0-9a-fA-F]{64}$/.test(raw)) throw new ConfigError('QLY_SECRET_KEY must be 64 hex characters (32 bytes)');
  return Buffer.from(raw, 'hex');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
  const webDist = env.QLY_WEB_DIST ?? path.join(repoRoot, 'web', 'dist');
  const config: AppConfig = {
    host: env.QLY_HOST ?? '127.0.0.1',
    port: int(env, 'QLY_PORT', 8080, 0, 65535),
    databaseUrl: url(env, 'DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/qianliyan', ['postgres:', 'postgresql:']),
    databasePoolSize: int(env, 'QLY_DB_POOL', 24, 1, 500),
    redisUrl: url(env, 'REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    redisPrefix: env.QLY_REDIS_PREFIX ?? 'qly:',
    mqttUrl: url(env, 'MQTT_URL', 'mqtt://127.0.0.1:1883', ['mqtt:', 'mqtts:', 'ws:', 'wss:']),
    secretKey: secretKey(env),
    sessionTtlSeconds: int(env, 'QLY_SESSION_TTL', 12 * 3600, 60),
    cookieSecure: env.QLY_COOKIE_SECURE === '1',
    bodyLimitBytes: int(env, 'QLY_BODY_LIMIT', 1024 * 1024, 1024),
    logLevel: env.QLY_LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    webDist,
    migrate: env.QLY_MIGRATE !== '0',
    login: {
      maxFailuresPerAccount: int(env, 'QLY_LOGIN_MAX_FAILURES', 5, 1),
      maxFailuresPerAddress: int(env, 'QLY_LOGIN_MAX_FAILURES_ADDR', 30, 1),
      windowSeconds: int(env, 'QLY_LOGIN_WINDOW', 900, 1),
    },
    dataDir: env.QLY_DATA_DIR ?? path.join(repoRoot, '.cache', 'data'),
    webrtc: env.QLY_WEBRTC !== '0',
    mediaIdleStopMs: int(env, 'QLY_MEDIA_IDLE_STOP_MS', 30_000, 0),
    cameraPollMs: int(env, 'QLY_CAMERA_POLL_MS', 30_000, 0),
    stalls: env.QLY_STALLS !== '0',
    gateCameras: env.QLY_GATE_CAMERAS !== '0',
    rtmpPort: int(env, 'QLY_RTMP_PORT', 1935, 0, 65535),
    rtmpHost: env.QLY_RTMP_HOST ?? '127.0.0.1',
    webrtcListenIp: env.QLY_WEBRTC_LISTEN_IP ?? (env.QLY_ANNOUNCED_IP ? '0.0.0.0' : '127.0.0.1'),
    webrtcAnnouncedIp: env.QLY_ANNOUNCED_IP || undefined,
    webrtcPorts: { min: int(env, 'QLY_WEBRTC_PORT_MIN', 40000, 1024, 65535), max: int(env, 'QLY_WEBRTC_PORT_MAX', 49999, 1024, 65535) },
  };
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  if (!levels.includes(config.logLevel)) throw new ConfigError(`QLY_LOG_LEVEL must be one of ${levels.join(', ')}`);
  return { ...config, ...overrides };
}
