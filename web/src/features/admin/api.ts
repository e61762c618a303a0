import { http } from '../../api/http';
import { resource } from '../../api/resource';
import type { Camera, ManagedUser, Role, Site, Team } from '../../api/types';

export interface UserCreate {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  teamId?: string | null;
  /** Required for `estate` (the estate they work at), null for the other roles. */
  siteId?: string | null;
  phone?: string | null;
}
export type UserPatch = Partial<Omit<UserCreate, 'username'>> & { disabled?: boolean };

export type SiteBody = Omit<Site, 'id'>;
export type TeamBody = Omit<Team, 'id'>;
export type CameraBody = Pick<Camera, 'name' | 'siteId' | 'location' | 'area' | 'x' | 'y' | 'kind' | 'onvifUrl' | 'rtspMain' | 'rtspSub' | 'username' | 'ptz'> & {
  /** Write-only: omitted keeps the stored one, null clears it. */
  password?: string | null;
};

export const usersApi = resource<ManagedUser, UserCreate, UserPatch>('/api/users');
export const sitesApi = resource<Site, SiteBody>('/api/sites');
export const teamsApi = resource<Team, TeamBody>('/api/teams');
export const camerasApi = resource<Camera, CameraBody>('/api/cameras');

/** A device that answered WS-Discovery; `cameraId` when it is already registered. */
export interface DiscoveredCamera {
  onvifUrl: string;
  host: string;
  port: number;
  name: string;
  location: string;
  hardware: string;
  cameraId: string | null;
}
export interface ProbedProfile {
  token: string;
  name: string;
  width: number | null;
  height: number | null;
  encoding: string | null;
  rtsp: string;
}
export interface ProbeResult {
  manufacturer: string | null;
  model: string | null;
  ptz: boolean;
  profiles: ProbedProfile[];
}

// Quiet: the add-camera wizard explains a wrong password or an unreachable camera in place.
export const onvifApi = {
  discover: (timeoutMs = 2500) => http.get<{ items: DiscoveredCamera[] }>('/api/discovery', { query: { timeoutMs }, silent: true }),
  probe: (body: { onvifUrl: string; username: string; password: string }) => http.post<ProbeResult>('/api/cameras/probe', body, { silent: true }),
};
