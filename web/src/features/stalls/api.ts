import { http } from '../../api/http';
import { resource } from '../../api/resource';
import type { Camera, Page } from '../../api/types';

// Stall zones and stall events (issue 7); server side: server/src/routes/zones.ts.
export type Point = [number, number];

export interface ActiveWindow {
  /** 0 = Sunday … 6; omitted = every day. */
  days?: number[];
  from: string;
  to: string;
}

export interface Zone {
  id: string;
  cameraId: string;
  name: string;
  kind: string;
  /** Normalised 0–1 picture coordinates, a simple polygon. */
  polygon: Point[];
  dwellSeconds: number;
  graceSeconds: number;
  activeHours: ActiveWindow[] | null;
  enabled: boolean;
}

export type ZoneInput = Pick<Zone, 'cameraId' | 'name' | 'polygon' | 'dwellSeconds' | 'graceSeconds' | 'activeHours' | 'enabled'>;

/** As `GET /api/stall-events` lists it and the `stall.started` / `stall.ended` / `stall.updated` pushes carry it. */
export interface StallEvent {
  id: string;
  cameraId: string | null;
  zoneId: string | null;
  zoneName: string | null;
  incidentId: string | null;
  startedAt: string;
  endedAt: string | null;
  /** Normalised [x, y, w, h] of the picture. */
  box: [number, number, number, number] | null;
  snapshotPath: string | null;
  falseAlarm: boolean;
}

export const STALL_TOPICS = ['stall.started', 'stall.ended', 'stall.updated'] as const;

const zones = resource<Zone, ZoneInput>('/api/zones');

export const stallsApi = {
  cameras: () => http.get<Page<Camera>>('/api/cameras', { query: { page: 1, pageSize: 200 } }),
  zones: (cameraId: string) => zones.list({ page: 1, pageSize: 100, cameraId }),
  // Saving reports its refusal inline (which rule the polygon broke), not as a toast.
  createZone: (body: ZoneInput) => http.post<Zone>('/api/zones', body, { silent: true }),
  updateZone: (id: string, patch: Partial<ZoneInput>) => http.patch<Zone>(`/api/zones/${encodeURIComponent(id)}`, patch, { silent: true }),
  removeZone: (id: string) => zones.remove(id),
  snapshotUrl: (cameraId: string, nonce: number) => `/api/cameras/${encodeURIComponent(cameraId)}/snapshot?t=${nonce}`,
  events: (pageSize = 50) => http.get<Page<StallEvent>>('/api/stall-events', { query: { page: 1, pageSize } }),
  markFalseAlarm: (id: string, falseAlarm: boolean) => http.post<StallEvent>(`/api/stall-events/${encodeURIComponent(id)}/false-alarm`, { falseAlarm }),
  eventSnapshotUrl: (e: StallEvent) => (e.incidentId && e.snapshotPath ? `/api/incidents/${encodeURIComponent(e.incidentId)}/snapshot` : null),
};
