import { http } from '../../api/http';

/** The member's team as the server keeps it (x,y on the district map, metres). */
export interface TeamState {
  id: string;
  name: string;
  x: number;
  y: number;
  available: boolean;
  positionAt: string | null;
}

export interface GpsFix {
  latitude: number;
  longitude: number;
  accuracy: number;
}

export const patrolApi = {
  team: () => http.get<TeamState>('/api/patrol/team'),
  /** Quiet: the status line shows failures, and the next fix retries. */
  position: (fix: GpsFix) => http.post<TeamState>('/api/patrol/position', fix, { silent: true }),
  availability: (available: boolean) => http.post<TeamState>('/api/patrol/availability', { available }),
};
