// The analytics event bus: `events` rows with a unique dedup_key. `publishEvent` stores an event
// (a repeat with the same key is a no-op) and turns a new one into an incident, pushed live.
// Used by the stall and plate pipelines, in the API process or any worker with a database pool.
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { SYSTEM } from './actor';
import type { Incident } from './model';
import type { IncidentService } from './service';

export interface AnalyticsEvent {
  /** e.g. `stall`, `watchlist_plate`; picks the response plan (priority, title). */
  type: string;
  /** Same key → same event: e.g. `stall:<cameraId>:<zoneId>:<trackStart>`. */
  dedupKey: string;
  cameraId?: string | null;
  zoneId?: string | null;
  startedAt: Date;
  endedAt?: Date | null;
  box?: unknown;
  /** Relative to the data directory, or absolute; shown as the incident's snapshot. */
  snapshotPath?: string | null;
  data?: Record<string, unknown>;
  title?: string;
  description?: string;
  /** Override the plan's priority (1 most urgent … 5). */
  priority?: number;
}

export interface PublishedEvent {
  eventId: string;
  incident: Incident | null;
  duplicate: boolean;
}

/** Either the app (`app.incidents` is used) or the incident service directly (workers). */
export type EventTarget = FastifyInstance | IncidentService;

/** Keeps an event's picture in the data directory; the path goes into `snapshotPath`. */
export async function storeEventSnapshot(dataDir: string, jpeg: Buffer | null | undefined): Promise<string | null> {
  if (!jpeg) return null;
  const relPath = path.join('events', `${randomUUID()}.jpg`);
  await mkdir(path.join(dataDir, 'events'), { recursive: true });
  await writeFile(path.join(dataDir, relPath), jpeg);
  return relPath;
}

export async function publishEvent(target: EventTarget, event: AnalyticsEvent): Promise<PublishedEvent> {
  const service = 'incidents' in target ? target.incidents : target;
  const inserted = await service.db.query<{ id: string }>(
    `INSERT INTO events (type, camera_id, zone_id, started_at, ended_at, box, snapshot_path, data, dedup_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (dedup_key) DO NOTHING RETURNING id`,
    [event.type, event.cameraId ?? null, event.zoneId ?? null, event.startedAt, event.endedAt ?? null, event.box === undefined ? null : JSON.stringify(event.box), event.snapshotPath ?? null, event.data ?? {}, event.dedupKey],
  );
  if (!inserted.rows[0]) {
    const existing = await service.db.query<{ id: string }>('SELECT id FROM events WHERE dedup_key = $1', [event.dedupKey]);
    return { eventId: existing.rows[0].id, incident: null, duplicate: true };
  }
  const eventId = inserted.rows[0].id;
  // If the process dies right here, a republish finds the event stored and does nothing; the
  // worker's start-up pass (`incidentsForOrphanEvents`) creates the missing incident, and the
  // incident's own dedup key keeps that idempotent.
  const { incident } = await service.create(
    {
      type: event.type,
      source: 'analytics',
      dedupKey: `event:${event.dedupKey}`,
      eventId,
      cameraId: event.cameraId ?? null,
      title: event.title,
      description: event.description,
      priority: event.priority,
      occurredAt: event.startedAt,
      snapshotPath: event.snapshotPath ?? null,
    },
    SYSTEM,
  );
  return { eventId, incident, duplicate: false };
}

/** Events stored without their incident (a crash between the two steps) get one now. */
export async function incidentsForOrphanEvents(service: IncidentService): Promise<number> {
  const { rows } = await service.db.query(
    `SELECT e.* FROM events e WHERE NOT e.false_alarm AND NOT EXISTS (SELECT 1 FROM incidents i WHERE i.event_id = e.id)
       AND e.created_at > now() - interval '1 day' ORDER BY e.created_at LIMIT 500`,
  );
  for (const e of rows) {
    await service.create(
      { type: e.type, source: 'analytics', dedupKey: `event:${e.dedup_key}`, eventId: e.id, cameraId: e.camera_id, occurredAt: e.started_at, snapshotPath: e.snapshot_path },
      SYSTEM,
    );
  }
  return rows.length;
}
