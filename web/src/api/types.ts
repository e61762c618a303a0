// Shapes of the control plane's JSON API (server/ is the source of truth; keep in step).

export const ROLES = ['admin', 'operator', 'patrol', 'parent', 'estate'] as const;
export type Role = (typeof ROLES)[number];

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  teamId: string | null;
  /** The estate an `estate` user works at (物业); null for every other role. */
  siteId: string | null;
  phone: string | null;
  locale: Locale;
}

/** A user as the admin API lists it. */
export interface ManagedUser extends User {
  disabled: boolean;
  createdAt: string;
}

export const SITE_KINDS = ['street', 'estate', 'school', 'district'] as const;
export interface Site {
  id: string;
  name: string;
  kind: (typeof SITE_KINDS)[number];
  address: string;
  timezone: string;
  x: number;
  y: number;
  /** 本地省份: the plate reader leans towards it at this site's gates; null for none. */
  plateProvince: string | null;
}

export const TEAM_KINDS = ['city_management', 'community_patrol', 'estate_security'] as const;
export interface Team {
  id: string;
  name: string;
  siteId: string | null;
  kind: (typeof TEAM_KINDS)[number];
  x: number;
  y: number;
  available: boolean;
}

export const CAMERA_STATUSES = ['unknown', 'online', 'offline', 'auth_failed', 'unsupported'] as const;
export const CAMERA_KINDS = ['onvif', 'rtsp', 'rtmp'] as const;
export interface Camera {
  id: string;
  siteId: string | null;
  name: string;
  location: string;
  area: string;
  kind: (typeof CAMERA_KINDS)[number];
  x: number;
  y: number;
  onvifUrl: string | null;
  rtspMain: string | null;
  rtspSub: string | null;
  username: string | null;
  hasPassword: boolean;
  ptz: boolean;
  status: (typeof CAMERA_STATUSES)[number];
  lastError: string | null;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Every 4xx/5xx body of the API. */
export interface ApiErrorBody {
  error: string;
  message: string;
}
