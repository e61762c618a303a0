import { ApiError } from '../../api/errors';
import { wallApi, type StreamToken } from './api';

const RETRY_MS = 5000;
// A WebRTC view makes no media requests, and the server ends views not seen for its lease
// (30 s by default): renewing at least this often keeps the view alive.
const MAX_RENEW_MS = 10_000;

// A stream token for one tile's view, renewed (same viewId) well before it expires. A renewal
// the server refuses (4xx) ends the view: onRevoked tells the tile why.
export class ViewToken {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  private constructor(
    readonly streamId: string,
    private current: StreamToken,
    private readonly onRevoked: (code: string) => void,
  ) {
    this.schedule();
  }

  static async open(streamId: string, onRevoked: (code: string) => void): Promise<ViewToken> {
    return new ViewToken(streamId, await wallApi.token(streamId), onRevoked);
  }

  get token(): string {
    return this.current.token;
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => void this.renew(), Math.min(MAX_RENEW_MS, Math.max(1000, this.current.expiresIn * 800)));
  }

  private async renew(): Promise<void> {
    try {
      const next = await wallApi.token(this.streamId, this.current.viewId);
      if (this.closed) return;
      this.current = next;
      this.schedule();
    } catch (err) {
      if (this.closed) return;
      if (err instanceof ApiError && err.status >= 400 && err.status < 500) this.onRevoked(err.code);
      else this.timer = setTimeout(() => void this.renew(), RETRY_MS);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    void wallApi.stopView(this.current.viewId).catch(() => {});
  }
}
