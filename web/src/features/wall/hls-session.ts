// One tile's LL-HLS view: hls.js in low-latency mode carrying the view's stream token on every
// request. A refused request (401/403) asks the tile for a fresh token instead of failing.
import Hls, { Events, type ErrorData } from 'hls.js';

export class HlsSession {
  private hls: Hls | null = null;
  private bytes = 0;
  private lastBytes: { at: number; bytes: number } | null = null;
  onFailed: ((reason: string) => void) | null = null;

  constructor(
    private readonly url: string,
    private readonly video: HTMLVideoElement,
    private readonly token: () => string,
  ) {}

  static get supported(): boolean {
    return Hls.isSupported();
  }

  start(): void {
    const hls = new Hls({
      lowLatencyMode: true,
      backBufferLength: 4,
      xhrSetup: (xhr, url) => {
        xhr.open('GET', url, true);
        xhr.setRequestHeader('x-stream-token', this.token());
      },
    });
    this.hls = hls;
    hls.on(Events.FRAG_LOADED, (_e, data) => {
      this.bytes += data.frag.stats.loaded;
    });
    hls.on(Events.ERROR, (_e, data: ErrorData) => {
      if (!data.fatal) return;
      if (data.type === Hls.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
      else this.onFailed?.(data.response?.code ? `HTTP ${data.response.code}` : data.details);
    });
    hls.loadSource(this.url);
    hls.attachMedia(this.video);
    void this.video.play().catch(() => {});
  }

  /** Seconds behind the live edge as hls.js estimates it. */
  get latencyMs(): number | null {
    const l = this.hls?.latency;
    return l !== undefined && Number.isFinite(l) ? l * 1000 : null;
  }

  bitrate(): number | null {
    const now = performance.now();
    const prev = this.lastBytes;
    this.lastBytes = { at: now, bytes: this.bytes };
    return prev && now > prev.at ? ((this.bytes - prev.bytes) * 8000) / (now - prev.at) : null;
  }

  close(): void {
    this.hls?.destroy();
    this.hls = null;
    this.video.removeAttribute('src');
    this.video.load();
  }
}
