// The incident API as the operator panel and the patrol page use it (server/src/incidents is the
// source of truth for these shapes).
import { ApiError } from '../../api/errors';
import { http } from '../../api/http';
import type { Page } from '../../api/types';

export const STATUSES = ['new', 'dispatched', 'acknowledged', 'on_scene', 'resolved', 'closed', 'cancelled'] as const;
export type Status = (typeof STATUSES)[number];
export type Action = 'acknowledge' | 'arrive' | 'resolve' | 'close' | 'cancel';
export const TYPES = ['sos', 'smoke', 'gas', 'intrusion', 'stall', 'watchlist_plate'] as const;

export interface SlaPhase {
  due: string;
  state: 'running' | 'met' | 'breached' | 'stopped';
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
  teamId: string | null;
  x: number | null;
  y: number | null;
  location: string;
  duplicates: number;
  hasSnapshot: boolean;
  createdAt: string;
  dispatchedAt: string | null;
  acknowledgedAt: string | null;
  onSceneAt: string | null;
  resolvedAt: string | null;
  sla: { ack: SlaPhase; scene: SlaPhase; resolve: SlaPhase };
}

export interface TimelineEntry {
  id: number;
  at: string;
  actorKind: string;
  actorName: string | null;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  data: Record<string, unknown>;
  address: string | null;
}

export interface Dispatch {
  id: string;
  teamId: string;
  teamName: string;
  attempt: number;
  status: string;
  dispatchedAt: string;
  ackDeadlineAt: string;
}

export interface Photo {
  id: string;
  kind: string;
  url: string;
  createdAt: string;
}

export interface IncidentDetail {
  incident: Incident;
  timeline: TimelineEntry[];
  dispatches: Dispatch[];
  photos: Photo[];
}

export interface TeamSuggestion {
  id: string;
  name: string;
  available: boolean;
  busy: boolean;
  distance: number | null;
}

export interface ListFilters {
  q?: string;
  status?: string;
  type?: string;
  priority?: number | '';
  open?: boolean;
  page?: number;
  pageSize?: number;
}

export interface NewIncident {
  type: string;
  title?: string;
  description?: string;
  cameraId?: string;
  siteId?: string;
  priority?: number;
}

/** Live push payloads (`incident.*` topics). */
export interface IncidentPush {
  incident: Incident;
  dispatch?: { teamName: string; ackDeadlineAt: string };
  fromTeamId?: string;
  toTeamId?: string | null;
  message?: string | null;
}

export const incidentsApi = {
  list: (f: ListFilters) => http.get<Page<Incident>>('/api/incidents', { query: { ...f } }),
  get: (id: string) => http.get<IncidentDetail>(`/api/incidents/${id}`),
  create: (body: NewIncident) => http.post<Incident>('/api/incidents', body),
  suggestions: (id: string) => http.get<TeamSuggestion[]>(`/api/incidents/${id}/suggestions`),
  dispatch: (id: string, teamId: string) => http.post<Incident>(`/api/incidents/${id}/dispatch`, { teamId }),
  act: (id: string, action: Action, note?: string) => http.post<Incident>(`/api/incidents/${id}/transitions`, note ? { action, note } : { action }),
  camera: (id: string) => http.get<{ id: string; name: string }>(`/api/cameras/${id}`, { silent: true }),
  cameras: () => http.get<Page<{ id: string; name: string; location: string }>>('/api/cameras', { query: { pageSize: 200 } }),
  /** Multipart upload (the JSON client does not do forms). */
  async uploadPhoto(id: string, file: Blob, kind: 'snapshot' | 'scene' | 'resolution'): Promise<Photo> {
    const form = new FormData();
    form.append('file', file, (file as File).name ?? 'photo.jpg');
    const res = await fetch(`/api/incidents/${id}/photos?kind=${kind}`, { method: 'POST', body: form, credentials: 'include' });
    const body = await res.json().catch(() => undefined);
    if (!res.ok) throw ApiError.fromBody(res.status, body);
    return body as Photo;
  },
};

/** The next step a patrol takes from a status, if any. */
export function patrolAction(status: Status): Action | null {
  return status === 'dispatched' ? 'acknowledge' : status === 'acknowledged' ? 'arrive' : status === 'on_scene' ? 'resolve' : null;
}

export const PRIORITY_TAG: Record<number, 'danger' | 'warning' | 'primary' | 'info'> = { 1: 'danger', 2: 'warning', 3: 'primary', 4: 'info', 5: 'info' };

/** Seconds left (negative: overdue) until an SLA phase is due. */
export function secondsLeft(phase: SlaPhase, now: number): number {
  return Math.round((Date.parse(phase.due) - now) / 1000);
}

export function formatSeconds(s: number): string {
  const a = Math.abs(s);
  const mm = Math.floor(a / 60);
  const ss = String(a % 60).padStart(2, '0');
  return `${s < 0 ? '-' : ''}${mm}:${ss}`;
}

/** The SLA phase that matters now: ack until acknowledged, then scene, then resolve. */
export function currentPhase(i: Incident): { key: 'ack' | 'scene' | 'resolve'; phase: SlaPhase } | null {
  if (!i.acknowledgedAt) return { key: 'ack', phase: i.sla.ack };
  if (!i.onSceneAt) return { key: 'scene', phase: i.sla.scene };
  if (!i.resolvedAt) return { key: 'resolve', phase: i.sla.resolve };
  return null;
}
