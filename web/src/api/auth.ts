import { http } from './http';
import type { User } from './types';

// Login and `me` are `silent`: a 401 there means "not logged in", not "session expired".
export const authApi = {
  login: (username: string, password: string) => http.post<{ user: User }>('/api/auth/login', { username, password }, { silent: true }),
  logout: () => http.post<void>('/api/auth/logout', undefined, { silent: true }),
  me: () => http.get<{ user: User }>('/api/auth/me', { silent: true }),
};
