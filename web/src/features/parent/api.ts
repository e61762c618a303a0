import { http } from '../../api/http';

export interface WeeklySlot {
  weekday: number; // 0 = Sunday
  opens: string;
  closes: string;
}

export interface MyClassroom {
  id: string;
  name: string;
  siteName: string;
  timezone: string;
  children: string[];
  open: boolean;
  closesAt: string | null;
  nextOpensAt: string | null;
  nextClosesAt: string | null;
  note: string | null;
  weekly: WeeklySlot[];
  exceptions: { day: string; closed: boolean; opens: string | null; closes: string | null; note: string }[];
  /** Only while open. */
  streams: { streamId: string; name: string }[];
}

export interface StreamToken {
  token: string;
  expiresAt: string;
  /** Seconds by the server's clock. */
  expiresIn: number;
  viewId: string;
  streamId: string;
  allowedUntil: string | null;
}

/** Pushed on `/api/ws` when a playing view is cut. */
export interface StreamRevoked {
  viewId: string;
  streamId: string;
  reason: 'closed' | 'grant_expired' | 'revoked' | 'session_ended' | 'stopped' | 'idle';
}

export const parentApi = {
  me: () => http.get<{ serverTime: string; classrooms: MyClassroom[] }>('/api/parents/me'),
  /** Quiet: the player explains refusals itself. */
  token: (streamId: string, viewId?: string) => http.post<StreamToken>('/api/stream-tokens', { streamId, ...(viewId ? { viewId } : {}) }, { silent: true }),
  stop: (viewId: string) => http.post<void>(`/api/stream-views/${encodeURIComponent(viewId)}/stop`, undefined, { silent: true }),
  redeem: (body: { code: string; phone: string; displayName: string; password: string }) =>
    http.post<{ phone: string; childName: string; classroomName: string }>('/api/parents/redeem', body, { silent: true }),
  resetPassword: (body: { code: string; phone: string; password: string }) => http.post<void>('/api/parents/reset-password', body, { silent: true }),
};

export const playlistUrl = (streamId: string) => `/media/streams/${encodeURIComponent(streamId)}/ll.m3u8`;
