import { http, type Query } from '../../api/http';
import { resource } from '../../api/resource';
import type { Page } from '../../api/types';

export interface Classroom {
  id: string;
  name: string;
  siteId: string;
  createdAt: string;
}
export interface Slot {
  weekday: number; // 0 = Sunday
  opens: string;
  closes: string;
}
export interface ScheduleException {
  id: string;
  day: string;
  closed: boolean;
  opens: string | null;
  closes: string | null;
  note: string;
}
export interface Enrolment {
  id: string;
  classroomId: string;
  childName: string;
  validFrom: string;
  validTo: string;
}
export interface ClassroomDetail {
  classroom: Classroom;
  site: { id: string; name: string; timezone: string };
  cameras: { id: string; name: string; status: string }[];
  weekly: Slot[];
  exceptions: ScheduleException[];
  enrolments: Enrolment[];
}
export type GrantStatus = 'invited' | 'invite_expired' | 'active' | 'revoked';
export interface Grant {
  id: string;
  enrolmentId: string;
  childName: string;
  classroomId: string;
  classroomName: string;
  parent: { id: string; displayName: string; phone: string | null } | null;
  status: GrantStatus;
  validFrom: string;
  validTo: string;
  inviteExpiresAt: string | null;
  createdAt: string;
}
export interface StreamView {
  id: string;
  userId: string | null;
  userName: string | null;
  phone: string | null;
  role: string;
  classroomId: string | null;
  classroomName: string | null;
  streamId: string;
  startedAt: string;
  lastSeenAt: string;
  endedAt: string | null;
  endReason: string | null;
  ip: string | null;
}
export interface IssuedCode {
  code: string;
  expiresAt: string;
}

export const classroomsApi = resource<Classroom, { name: string; siteId: string }>('/api/classrooms');

const c = (id: string) => `/api/classrooms/${encodeURIComponent(id)}`;
export const classroomApi = {
  detail: (id: string) => http.get<ClassroomDetail>(`${c(id)}/detail`),
  setCameras: (id: string, cameraIds: string[]) => http.request<void>('PUT', `${c(id)}/cameras`, { body: { cameraIds } }),
  setSchedule: (id: string, slots: Slot[]) => http.request<void>('PUT', `${c(id)}/schedule`, { body: { slots } }),
  putException: (id: string, body: Omit<ScheduleException, 'id'>) => http.request<ScheduleException>('PUT', `${c(id)}/exceptions`, { body }),
  removeException: (exceptionId: string) => http.delete(`/api/schedule-exceptions/${encodeURIComponent(exceptionId)}`),
  enrol: (id: string, body: Omit<Enrolment, 'id' | 'classroomId'>) => http.post<Enrolment>(`${c(id)}/enrolments`, body),
  removeEnrolment: (enrolmentId: string) => http.delete(`/api/enrolments/${encodeURIComponent(enrolmentId)}`),
  invite: (enrolmentId: string) => http.post<IssuedCode & { grantId: string }>(`/api/enrolments/${encodeURIComponent(enrolmentId)}/invitations`, {}),
  grants: (query: Query) => http.get<Page<Grant>>('/api/parent-grants', { query }),
  revoke: (grantId: string) => http.post<void>(`/api/parent-grants/${encodeURIComponent(grantId)}/revoke`),
  resetCode: (userId: string) => http.post<IssuedCode>(`/api/parent-accounts/${encodeURIComponent(userId)}/reset-code`),
};

export const viewsApi = {
  list: (query: Query) => http.get<Page<StreamView>>('/api/stream-views', { query }),
  csvUrl: (query: Query) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
    return `/api/stream-views/export.csv${params.size ? `?${params}` : ''}`;
  },
};
