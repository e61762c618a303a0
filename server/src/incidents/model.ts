// The incident as the API and live pushes show it, SLA state included.
import { SLA_TARGETS } from './plans';
import type { Status } from './state';

export type SlaState = 'running' | 'met' | 'breached' | 'stopped';

export interface SlaPhase {
  due: string;
  state: SlaState;
}

export interface Incident {
  id: string;
  number: number;
  type: string;
  priority: number;
  status: Status;
  title: string;
  description: string;
  source: string;
  siteId: string | null;
  cameraId: string | null;
  deviceId: string | null;
  eventId: string | null;
  teamId: string | null;
  x: number | null;
  y: number | null;
  location: string;
  duplicates: number;
  hasSnapshot: boolean;
  occurredAt: string | null;
  createdAt: string;
  updatedAt: string;
  dispatchedAt: string | null;
  acknowledgedAt: string | null;
  onSceneAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  sla: { ack: SlaPhase; scene: SlaPhase; resolve: SlaPhase };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type IncidentRow = Record<string, any>;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function slaPhase(createdAt: Date, targetSeconds: number, doneAt: Date | null, stopped: boolean, now: Date): SlaPhase {
  const due = new Date(createdAt.getTime() + targetSeconds * 1000);
  let state: SlaState;
  if (doneAt) state = doneAt <= due ? 'met' : 'breached';
  else if (stopped) state = 'stopped';
  else state = now > due ? 'breached' : 'running';
  return { due: due.toISOString(), state };
}

export function toIncident(r: IncidentRow, now = new Date()): Incident {
  const t = SLA_TARGETS[r.priority] ?? SLA_TARGETS[3];
  const stopped = r.status === 'cancelled' || r.status === 'closed';
  return {
    id: r.id,
    number: Number(r.number),
    type: r.type,
    priority: r.priority,
    status: r.status,
    title: r.title,
    description: r.description,
    source: r.source,
    siteId: r.site_id,
    cameraId: r.camera_id,
    deviceId: r.device_id,
    eventId: r.event_id,
    teamId: r.team_id,
    x: r.x,
    y: r.y,
    location: r.location,
    duplicates: r.duplicates,
    hasSnapshot: Boolean(r.snapshot_path),
    occurredAt: iso(r.occurred_at),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    dispatchedAt: iso(r.dispatched_at),
    acknowledgedAt: iso(r.acknowledged_at),
    onSceneAt: iso(r.on_scene_at),
    resolvedAt: iso(r.resolved_at),
    closedAt: iso(r.closed_at),
    sla: {
      ack: slaPhase(r.created_at, t.ack, r.acknowledged_at, stopped, now),
      scene: slaPhase(r.created_at, t.scene, r.on_scene_at, stopped, now),
      resolve: slaPhase(r.created_at, t.resolve, r.resolved_at, stopped, now),
    },
  };
}
