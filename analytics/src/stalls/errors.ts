// Typed errors so callers (REST handlers, the worker) can map bad input to 4xx or "skip frame".

export class ZoneError extends Error {
  constructor(
    readonly code: 'too-few-points' | 'bad-coordinate' | 'outside-frame' | 'degenerate' | 'self-intersecting' | 'bad-dwell' | 'bad-id',
    message: string,
  ) {
    super(message);
    this.name = 'ZoneError';
  }
}

export class FrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameError';
  }
}
