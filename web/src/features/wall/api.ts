import { http } from '../../api/http';
import type { Camera, Page, Site } from '../../api/types';

export type Profile = 'main' | 'sub';
export type StreamState = 'idle' | 'starting' | 'live' | 'reconnecting' | 'offline' | 'unsupported_codec';

/** Pushed on `/api/ws` as topic `stream.status` (media/src/stream.ts). */
export interface StreamStatus {
  streamId: string;
  state: StreamState;
  lastError: string | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  bitrate: number | null;
}

export interface StreamLinks {
  profile: Profile;
  streamId: string;
  llHls: string;
  hls: string;
  snapshot: string;
  status: StreamStatus | null;
}

export interface CameraStreams {
  cameraId: string;
  status: Camera['status'];
  lastError: string | null;
  webrtc: boolean;
  streams: StreamLinks[];
}

export interface StreamToken {
  token: string;
  expiresIn: number;
  viewId: string;
}

export interface Preset {
  name: string;
  token: string;
}

export type PtzCommand = { action: 'move'; x: number; y: number; zoom: number } | { action: 'stop' } | { action: 'preset'; token: string };

const cam = (id: string) => `/api/cameras/${encodeURIComponent(id)}`;

// Quiet calls: a tile explains its own failures in its overlay instead of popping messages.
export const wallApi = {
  cameras: () => http.get<Page<Camera>>('/api/cameras', { query: { page: 1, pageSize: 200 } }),
  sites: () => http.get<Page<Site>>('/api/sites', { query: { page: 1, pageSize: 200 } }),
  streams: (cameraId: string) => http.get<CameraStreams>(`${cam(cameraId)}/streams`, { silent: true }),
  token: (streamId: string, viewId?: string) => http.post<StreamToken>('/api/stream-tokens', { streamId, ...(viewId ? { viewId } : {}) }, { silent: true }),
  stopView: (viewId: string) => http.post<void>(`/api/stream-views/${encodeURIComponent(viewId)}/stop`, undefined, { silent: true }),
  presets: (cameraId: string) => http.get<{ items: Preset[] }>(`${cam(cameraId)}/presets`, { silent: true }),
  ptz: (cameraId: string, command: PtzCommand) => http.post<void>(`${cam(cameraId)}/ptz`, command),
};
