// Alarm intake shared by MQTT and the HTTP webhook. Payload (JSON):
//   { deviceId: uuid, eventId: string, type: 'sos'|'smoke'|'gas'|'intrusion', time: ISO-8601,
//     location?: { x?: number, y?: number, text?: string } }
// The same device + eventId is one incident however often it arrives (MQTT redelivery, retries).
import { FormatRegistry, Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Pool } from 'pg';
import type { Actor } from './actor';
import type { Log } from './effects';
import type { Incident } from './model';
import { ALARM_TYPES } from './plans';
import type { IncidentService } from './service';
import { Coord, SafeText, Uuid } from '../lib/schemas';

export const AlarmLocation = Type.Object({ x: Type.Optional(Coord), y: Type.Optional(Coord), text: Type.Optional(SafeText(200)) }, { additionalProperties: false });
export const AlarmFields = {
  eventId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._:-]+$' }),
  type: Type.Union(ALARM_TYPES.map((t) => Type.Literal(t))),
  time: Type.String({ format: 'date-time', maxLength: 40 }),
  location: Type.Optional(AlarmLocation),
};
export const AlarmPayload = Type.Object({ deviceId: Uuid, ...AlarmFields }, { additionalProperties: false });
export type AlarmPayload = Static<typeof AlarmPayload>;

/** Alarms older than this are refused as replays; newer than now + skew as a broken clock. */
export const MAX_AGE_MS = 24 * 3600_000;
export const MAX_SKEW_MS = 5 * 60_000;

export class AlarmRejected extends Error {
  constructor(
    readonly code: 'malformed' | 'unknown_device' | 'stale' | 'future',
    message: string,
  ) {
    super(message);
  }
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
// Fastify's ajv knows these formats; TypeBox's own checker (used for MQTT payloads) must be told.
if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', (v) => UUID_RE.test(v));
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (v) => DATE_TIME_RE.test(v));

/** Parses an MQTT payload; throws AlarmRejected('malformed') with the first problem found. */
export function parseAlarm(raw: Buffer | string, topicDeviceId: string): AlarmPayload {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString());
  } catch {
    throw new AlarmRejected('malformed', 'payload is not JSON');
  }
  if (!UUID_RE.test(topicDeviceId)) throw new AlarmRejected('malformed', 'topic device id is not a UUID');
  if (!Value.Check(AlarmPayload, json)) {
    const first = Value.Errors(AlarmPayload, json).First();
    throw new AlarmRejected('malformed', first ? `${first.path || '/'}: ${first.message}` : 'invalid payload');
  }
  if (Number.isNaN(Date.parse(json.time))) throw new AlarmRejected('malformed', '/time: not a date-time');
  if (json.deviceId.toLowerCase() !== topicDeviceId.toLowerCase()) throw new AlarmRejected('malformed', 'deviceId differs from the topic');
  return json;
}

export class AlarmIntake {
  constructor(
    private readonly db: Pool,
    private readonly incidents: IncidentService,
    private readonly log: Log,
  ) {}

  /** Validated alarm → incident (or the existing one for a duplicate). */
  async accept(alarm: AlarmPayload, actor: Actor, now = Date.now()): Promise<{ incident: Incident; created: boolean }> {
    const at = Date.parse(alarm.time);
    if (at < now - MAX_AGE_MS) throw new AlarmRejected('stale', 'alarm is older than 24 hours');
    if (at > now + MAX_SKEW_MS) throw new AlarmRejected('future', 'alarm time is more than 5 minutes in the future');
    // The device must be a registered, unrevoked alarm terminal: create() checks that in its insert.
    const deviceId = alarm.deviceId.toLowerCase();
    return this.incidents.create(
      {
        type: alarm.type,
        source: 'alarm',
        dedupKey: `alarm:${deviceId}:${alarm.eventId}`,
        deviceId,
        x: alarm.location?.x ?? null,
        y: alarm.location?.y ?? null,
        location: alarm.location?.text ?? '',
        occurredAt: new Date(at),
      },
      actor,
    );
  }

  /** Keeps a record of what was refused, for operators, and logs it. */
  async reject(channel: 'mqtt' | 'http', err: AlarmRejected, meta: { topic?: string; deviceId?: string | null; payload?: string }): Promise<void> {
    this.log.warn({ channel, reason: err.code, detail: err.message, topic: meta.topic, deviceId: meta.deviceId }, 'alarm rejected');
    await this.db
      .query('INSERT INTO alarm_rejections (channel, topic, device_id, reason, payload) VALUES ($1, $2, $3, $4, $5)', [
        channel,
        meta.topic ?? null,
        meta.deviceId?.slice(0, 64) ?? null,
        `${err.code}: ${err.message}`.slice(0, 300),
        (meta.payload ?? '').slice(0, 2000),
      ])
      .catch((e) => this.log.error({ err: e }, 'could not record alarm rejection'));
  }
}
