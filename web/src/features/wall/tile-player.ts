// The life of one wall tile: WebRTC first, LL-HLS by itself when WebRTC is unavailable or fails,
// a watchdog on presented frames, and reconnection with backoff until the tile is closed. The
// Vue component only renders `view`; everything that can go wrong is handled here.
import { reactive } from 'vue';
import { ApiError } from '../../api/errors';
import { live } from '../../api/live';
import { wallApi, type Profile, type StreamStatus } from './api';
import { FrameWatch } from './frame-watch';
import { HlsSession } from './hls-session';
import { ViewToken } from './view-token';
import { WebRtcSession } from './webrtc-session';

export type TileState = 'connecting' | 'live' | 'reconnecting' | 'offline';
export type Transport = 'webrtc' | 'll-hls';

export interface TileView {
  state: TileState;
  transport: Transport | null;
  /** Why the picture is missing, in the camera's or the relay's words. */
  reason: string | null;
  streamId: string | null;
  width: number;
  height: number;
  fps: number;
  bitrate: number | null;
  latencyMs: number | null;
  /** From the tile's start to its first picture, ms (the wall's time-to-first-frame). */
  firstFrameMs: number | null;
}

export interface TileOptions {
  cameraId: string;
  profile: Profile;
  /** Skip WebRTC (diagnostics flag, or a browser without RTCPeerConnection). */
  webrtc: boolean;
}

const FIRST_FRAME_MS: Record<Transport, number> = { webrtc: 8000, 'll-hls': 12000 };
const STALL_MS = 4000;
const BACKOFF_MS = [500, 1000, 2000, 4000, 8000];
// ws error codes meaning "WebRTC cannot work here", as opposed to "the camera is not live yet".
const WEBRTC_UNAVAILABLE = new Set(['webrtc_unavailable', 'unsupported', 'unknown_method', 'forbidden']);
// The view behind the token is gone (ended idle, or the token lapsed): the next attempt opens a new one.
const TOKEN_GONE = new Set(['view_ended', 'token_expired', 'token_invalid', 'not_your_token']);

export class TilePlayer {
  readonly view: TileView = reactive({ state: 'connecting', transport: null, reason: null, streamId: null, width: 0, height: 0, fps: 0, bitrate: null, latencyMs: null, firstFrameMs: null });
  private readonly startedAt = performance.now();
  private session: WebRtcSession | HlsSession | null = null;
  private frames: FrameWatch | null = null;
  private token: ViewToken | null = null;
  private webrtcOff: boolean;
  private failures = 0;
  private closed = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private readonly unsubscribe: () => void;
  private streamState: StreamStatus['state'] | null = null;
  /** The attempt waiting for its first picture, and whether a `live` push asked to start over. */
  private waiting: FrameWatch | null = null;
  private restart = false;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly options: TileOptions,
  ) {
    this.webrtcOff = !options.webrtc || typeof RTCPeerConnection === 'undefined';
    this.unsubscribe = live.subscribe<StreamStatus>('stream.status', (s) => this.onStatus(s));
    void this.connect();
  }

  private onStatus(s: StreamStatus): void {
    if (s.streamId !== this.view.streamId) return;
    this.streamState = s.state;
    if (s.lastError) this.view.reason = s.lastError;
    if (s.state === 'live' && this.view.state !== 'live' && (this.retryTimer || this.waiting)) {
      // The camera is back: don't sit out the rest of the backoff, nor an attempt begun while
      // it was down (its transport may have missed the restart), but start over, WebRTC first.
      if (this.retryTimer) {
        clearTimeout(this.retryTimer);
        this.retryTimer = null;
        void this.connect();
      } else {
        this.restart = true;
        this.waiting!.cancel('camera back: starting over');
      }
    } else if (this.view.state !== 'live' && this.view.state !== 'connecting') {
      this.view.state = s.state === 'offline' || s.state === 'unsupported_codec' ? 'offline' : 'reconnecting';
    }
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    this.view.state = this.failures === 0 && this.view.transport === null ? 'connecting' : this.view.state === 'offline' ? 'offline' : 'reconnecting';
    try {
      const info = await wallApi.streams(this.options.cameraId);
      const links = info.streams.find((s) => s.profile === this.options.profile) ?? info.streams[0];
      this.view.streamId = links.streamId;
      if (info.lastError && info.status !== 'online') this.view.reason = info.lastError;
      if (!info.webrtc) this.webrtcOff = true;
      this.token ??= await ViewToken.open(links.streamId, (code) => {
        // A refused renewal: the next attempt asks for a new view (or learns it may not).
        this.token = null;
        this.fail(`token ${code}`);
      });
      if (this.closed) return;
      const order: Transport[] = this.webrtcOff ? ['ll-hls'] : ['webrtc', 'll-hls'];
      for (const transport of order) {
        if (await this.tryTransport(transport, links.llHls)) return;
        if (this.closed) return;
        if (this.restart) {
          this.restart = false;
          return void this.connect();
        }
      }
    } catch (err) {
      this.view.reason = describe(err);
      if (err instanceof ApiError && TOKEN_GONE.has(err.code)) {
        this.token?.close();
        this.token = null;
      }
      // Refused or unknown: say so, but keep trying at the slow end of the backoff (access can
      // be granted and cameras re-added while the wall stays open).
      if (err instanceof ApiError && (err.status === 403 || err.status === 404)) {
        this.view.state = 'offline';
        this.failures = BACKOFF_MS.length;
      }
    }
    this.scheduleRetry();
  }

  private async tryTransport(transport: Transport, llHls: string): Promise<boolean> {
    const frames = new FrameWatch(this.video);
    let session: WebRtcSession | HlsSession;
    try {
      if (transport === 'webrtc') {
        const s = new WebRtcSession(this.token!.streamId, this.video);
        session = s;
        this.session = s;
        await s.start(this.token!.token);
      } else {
        const s = new HlsSession(llHls, this.video, () => this.token!.token);
        session = s;
        this.session = s;
        s.start();
      }
      if (this.closed) throw new Error('closed');
      this.waiting = frames;
      await frames.first(FIRST_FRAME_MS[transport]);
    } catch (err) {
      this.waiting = null;
      frames.stop();
      this.session?.close();
      this.session = null;
      if (err instanceof ApiError && TOKEN_GONE.has(err.code)) throw err;
      if (transport === 'webrtc' && err instanceof ApiError && WEBRTC_UNAVAILABLE.has(err.code)) this.webrtcOff = true;
      this.view.reason = `${transport}: ${describe(err)}`;
      return false;
    }
    if (this.closed) {
      frames.stop();
      session.close();
      return true;
    }
    this.waiting = null;
    session.onFailed = (reason) => this.fail(reason);
    this.frames = frames;
    this.failures = 0;
    Object.assign(this.view, { state: 'live', transport, reason: null });
    this.view.firstFrameMs ??= Math.round(performance.now() - this.startedAt);
    this.view.width = this.video.videoWidth;
    this.view.height = this.video.videoHeight;
    this.statsTimer = setInterval(() => void this.tick(), 1000);
    return true;
  }

  /** Once a second: stats for the hover panel, and the frozen-picture watchdog. */
  private async tick(): Promise<void> {
    const frames = this.frames;
    const session = this.session;
    if (!frames || !session) return;
    if (frames.sinceLastFrame() > STALL_MS) return this.fail(this.streamState === 'live' || !this.view.reason ? `no picture for ${STALL_MS / 1000} s` : this.view.reason);
    this.view.width = this.video.videoWidth;
    this.view.height = this.video.videoHeight;
    this.view.fps = Math.round(frames.fps * 10) / 10;
    if (session instanceof WebRtcSession) {
      this.view.bitrate = await session.bitrate().catch(() => null);
      this.view.latencyMs = frames.receiveToDisplayMs;
    } else {
      this.view.bitrate = session.bitrate();
      this.view.latencyMs = session.latencyMs;
    }
  }

  private teardown(): void {
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.statsTimer = null;
    this.frames?.stop();
    this.frames = null;
    this.session?.close();
    this.session = null;
  }

  private fail(reason: string): void {
    if (this.closed || this.view.state !== 'live') return;
    this.teardown();
    this.view.reason = reason;
    this.view.state = this.streamState === 'offline' ? 'offline' : 'reconnecting';
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer) return;
    if (this.view.state === 'connecting') this.view.state = 'reconnecting';
    const delay = BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length - 1)];
    this.failures += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.unsubscribe();
    this.teardown();
    this.token?.close();
  }
}

function describe(err: unknown): string {
  if (err instanceof ApiError) return err.message || err.code;
  return err instanceof Error ? err.message : String(err);
}
