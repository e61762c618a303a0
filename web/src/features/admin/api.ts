import { resource } from '../../api/resource';
import type { Camera, ManagedUser, Role, Site, Team } from '../../api/types';

export interface UserCreate {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  teamId?: string | null;
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
