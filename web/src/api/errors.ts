import type { ApiErrorBody } from './types';

/** A failed API call: the HTTP status and the server's `{ error, message }` (or a synthetic one). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static fromBody(status: number, body: unknown): ApiError {
    if (isErrorBody(body)) return new ApiError(status, body.error, body.message);
    return new ApiError(status, status >= 500 ? 'server_error' : 'http_error', `HTTP ${status}`);
  }
}

function isErrorBody(v: unknown): v is ApiErrorBody {
  return typeof v === 'object' && v !== null && typeof (v as ApiErrorBody).error === 'string' && typeof (v as ApiErrorBody).message === 'string';
}
