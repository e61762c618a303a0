// Incident-specific settings from the environment (the core config stays unaware of them).
import { parseGeoPoint, type GeoPoint } from './geo';
import type { PlanOverrides } from './plans';
import { DEFAULT_MAX_PHOTO_BYTES } from './photos';

export interface IncidentSettings {
  /** Run the BullMQ worker in this process (`QLY_INCIDENT_WORKER=0` when a separate worker runs). */
  worker: boolean;
  /** Subscribe to MQTT alarms in this process (`QLY_MQTT_INTAKE=0` to leave it to another). */
  mqttIntake: boolean;
  mqttTopicRoot: string;
  mqttClientId: string;
  /** Parallel MQTT clients on one shared subscription (`QLY_MQTT_LANES`, default 16). */
  mqttLanes: number;
  overrides: PlanOverrides;
  reconcileEveryMs: number;
  maxPhotoBytes: number;
  /** Where x = y = 0 of the district map is on GPS (`QLY_MAP_ORIGIN=lat,lon`): phones' positions are converted with it. */
  mapOrigin: GeoPoint;
}

/** The demo district's map origin (越秀区 北京街道, Guangzhou). */
export const DEFAULT_MAP_ORIGIN: GeoPoint = { latitude: 23.125, longitude: 113.265 };

function positiveInt(env: NodeJS.ProcessEnv, name: string, def: number | undefined): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

export function incidentSettings(env: NodeJS.ProcessEnv, redisPrefix: string): IncidentSettings {
  const root = env.QLY_MQTT_TOPIC_ROOT ?? 'qly';
  if (!/^[A-Za-z0-9_/-]+$/.test(root)) throw new Error('QLY_MQTT_TOPIC_ROOT may contain letters, digits, _ - / only');
  const origin = env.QLY_MAP_ORIGIN ? parseGeoPoint(env.QLY_MAP_ORIGIN) : DEFAULT_MAP_ORIGIN;
  if (!origin) throw new Error(`QLY_MAP_ORIGIN must be "latitude,longitude" in decimal degrees, got "${env.QLY_MAP_ORIGIN}"`);
  return {
    worker: env.QLY_INCIDENT_WORKER !== '0',
    mqttIntake: env.QLY_MQTT_INTAKE !== '0',
    mqttTopicRoot: root,
    mqttClientId: env.QLY_MQTT_CLIENT_ID ?? `qly-intake-${redisPrefix.replace(/[^A-Za-z0-9]+/g, '-')}`.slice(0, 64),
    mqttLanes: positiveInt(env, 'QLY_MQTT_LANES', 16)!,
    overrides: { ackSeconds: positiveInt(env, 'QLY_ACK_SECONDS', undefined) },
    reconcileEveryMs: positiveInt(env, 'QLY_RECONCILE_MS', 30_000)!,
    maxPhotoBytes: positiveInt(env, 'QLY_PHOTO_MAX_BYTES', DEFAULT_MAX_PHOTO_BYTES)!,
    mapOrigin: origin,
  };
}
