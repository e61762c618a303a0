// Capped exponential backoff with jitter, so cameras behind one dead switch don't retry in lockstep.
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** 0..1: share of the delay that is randomised. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 15_000, jitter: 0.2 };

export function backoffDelay(failures: number, opts: BackoffOptions = DEFAULT_BACKOFF, random = Math.random): number {
  const exp = Math.min(opts.maxMs, opts.initialMs * 2 ** Math.max(0, failures - 1));
  return Math.round(exp * (1 - opts.jitter + opts.jitter * random()));
}
