import { ApiError } from './errors';

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Let the caller handle errors itself: no toast, no redirect to the login page. */
  silent?: boolean;
  signal?: AbortSignal;
}

export interface HttpHooks {
  /** Shows an error to the user (an Element Plus message in the app). */
  notify(error: ApiError): void;
  /** The session is gone (401 from a call that needs one). */
  unauthorized(error: ApiError): void;
}

/**
 * A small typed fetch client for the control plane. Cookies carry the session; every failure
 * becomes an ApiError, which is also reported through the hooks unless the call is `silent`.
 */
export class HttpClient {
  private hooks: HttpHooks = { notify: () => {}, unauthorized: () => {} };

  constructor(
    private readonly baseUrl = '',
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {}

  setHooks(hooks: HttpHooks): void {
    this.hooks = hooks;
  }

  get<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', path, opts);
  }
  post<T>(path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
    return this.request<T>('POST', path, { ...opts, body });
  }
  patch<T>(path: string, body: unknown, opts: RequestOptions = {}): Promise<T> {
    return this.request<T>('PATCH', path, { ...opts, body });
  }
  delete(path: string, opts: RequestOptions = {}): Promise<void> {
    return this.request<void>('DELETE', path, opts);
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await this.fetchImpl(this.baseUrl + path + queryString(opts.query), {
        method,
        headers,
        credentials: 'include',
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: opts.signal,
      });
    } catch (cause) {
      if (opts.signal?.aborted) throw cause;
      throw this.fail(new ApiError(0, 'network', cause instanceof Error ? cause.message : String(cause)), opts);
    }
    const body = await readBody(res);
    if (res.ok) return body as T;
    throw this.fail(ApiError.fromBody(res.status, body), opts);
  }

  private fail(error: ApiError, opts: RequestOptions): ApiError {
    if (opts.silent) return error;
    if (error.status === 401) this.hooks.unauthorized(error);
    else this.hooks.notify(error);
    return error;
  }
}

export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    // Empty filters mean "no filter": leave them out rather than send `q=`.
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

async function readBody(res: Response): Promise<unknown> {
  if (res.status === 204) return undefined;
  const text = await res.text();
  if (!text) return undefined;
  if (!(res.headers.get('content-type') ?? '').includes('json')) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The app's one client; main.ts installs the hooks. */
export const http = new HttpClient();
