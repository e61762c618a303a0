import { http, type HttpClient, type Query } from './http';
import type { Page } from './types';

export interface ListQuery extends Query {
  page: number;
  pageSize: number;
}

/** The REST shape every collection of the API shares: paged list, create, patch, delete. */
export interface Resource<T, C, P = Partial<C>> {
  list(query: ListQuery): Promise<Page<T>>;
  create(body: C): Promise<T>;
  update(id: string, patch: P): Promise<T>;
  remove(id: string): Promise<void>;
}

export function resource<T, C, P = Partial<C>>(path: string, client: HttpClient = http): Resource<T, C, P> {
  const item = (id: string) => `${path}/${encodeURIComponent(id)}`;
  return {
    list: (query) => client.get<Page<T>>(path, { query }),
    create: (body) => client.post<T>(path, body),
    update: (id, patch) => client.patch<T>(item(id), patch),
    remove: (id) => client.delete(item(id)),
  };
}
