// One supervised ffmpeg per camera. States: idle → starting → live → reconnecting → offline
// (offline still retries at the capped backoff, so a camera that comes back recovers by itself),
// or unsupported_codec when the camera's codec cannot be relayed and transcode is off.
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { BoxSplitter, readFragmentInfo, readInitInfo, type FragmentInfo, type TrackDefaults } from '../hls/mp4-boxes';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { parseVideoStreamLine, unsupportedReason, type CodecInfo } from './codec-info';
import { buildIngestArgs, inputProtocol, type IngestSource, type RtpOutput } from './ffmpeg-args';

export type IngestState = 'idle' | 'starting' | 'live' | 'reconnecting' | 'offline' | 'unsupported_codec';

export interface IngestOptions {
  ffmpegPath: string;
  /** No output bytes for this long while running: kill and reconnect. */
  stallTimeoutMs: number;
  /** First output bytes must come this soon after spawning (connect, auth, probe, keyframe). */
  startTimeoutMs: number;
  /** ffmpeg's socket/read timeout for network inputs. */
  ioTimeoutMs: number;
  fragmentMs: number;
  backoff: BackoffOptions;
  /** Consecutive failed attempts before the state reads offline (retries go on). */
  offlineAfterFailures: number;
  /** Live this long before the failure count resets (a flapping camera keeps backing off). */
  stableAfterMs: number;
}

export const DEFAULT_INGEST_OPTIONS: IngestOptions = {
  ffmpegPath: process.env.FFMPEG_PATH ?? 'ffmpeg',
  stallTimeoutMs: 5000,
  startTimeoutMs: 10_000,
  ioTimeoutMs: 4000,
  fragmentMs: 200,
  backoff: DEFAULT_BACKOFF,
  offlineAfterFailures: 3,
  stableAfterMs: 10_000,
};

export interface Fragment {
  /** moof + mdat, ready to serve as an LL-HLS part. */
  data: Buffer;
  info: FragmentInfo;
  /** Seconds. */
  duration: number;
  receivedAt: number;
}

export interface InitSegment {
  /** ftyp + moov. */
  data: Buffer;
  track: TrackDefaults;
  /** Increments on every ffmpeg (re)start: parts of different generations are discontinuous. */
  generation: number;
}

export interface IngestEvents {
  state: [state: IngestState, previous: IngestState];
  codec: [info: CodecInfo];
  init: [init: InitSegment];
  fragment: [fragment: Fragment];
}

const STDERR_LINES = 30;

export class Ingest extends EventEmitter<IngestEvents> {
  state: IngestState = 'idle';
  lastError: string | null = null;
  codec: CodecInfo | null = null;
  init: InitSegment | null = null;
  startedAt: number | null = null;
  /** Output bytes of the fMP4 leg, for the bitrate on the tile. */
  bytesOut = 0;

  private readonly opts: IngestOptions;
  private rtpOutputs: RtpOutput[] = [];
  private child: ChildProcess | null = null;
  private childExit: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private stallTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private generation = 0;
  private transcodeOn = false;
  private liveSince = 0;
  private stopped = true;

  constructor(
    readonly source: IngestSource,
    opts: Partial<IngestOptions> = {},
  ) {
    super();
    inputProtocol(source.url); // throws on a scheme ffmpeg must not be pointed at
    this.opts = { ...DEFAULT_INGEST_OPTIONS, ...opts };
  }

  /** Re-encoding because the camera's codec is unplayable and the source opted in. */
  get transcoding(): boolean {
    return this.transcodeOn;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.failures = 0;
    this.spawnChild();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimers();
    await this.killChild();
    this.setState('idle');
  }

  getRtpOutputs(): readonly RtpOutput[] {
    return this.rtpOutputs;
  }

  /** RTP legs live in the same ffmpeg: a change restarts it (viewers of HLS see one discontinuity). */
  addRtpOutput(out: RtpOutput): void {
    if (this.rtpOutputs.some((o) => o.ip === out.ip && o.port === out.port)) throw new Error(`RTP output ${out.ip}:${out.port} already added`);
    this.rtpOutputs = [...this.rtpOutputs, out];
    this.restartNow();
  }

  removeRtpOutput(ip: string, port: number): void {
    const next = this.rtpOutputs.filter((o) => !(o.ip === ip && o.port === port));
    if (next.length === this.rtpOutputs.length) return;
    this.rtpOutputs = next;
    this.restartNow();
  }

  private restartNow(): void {
    if (this.stopped) return;
    this.clearTimers();
    void this.killChild().then(() => {
      if (!this.stopped && !this.child) this.spawnChild();
    });
  }

  private spawnChild(): void {
    this.setState(this.state === 'idle' || this.state === 'starting' ? 'starting' : this.state);
    const transcode = this.transcodeOn;
    const args = buildIngestArgs(this.source, {
      ioTimeoutMs: this.opts.ioTimeoutMs,
      fragmentMs: this.opts.fragmentMs,
      transcode,
      rtpOutputs: this.rtpOutputs,
    });
    const child = spawn(this.opts.ffmpegPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const generation = ++this.generation;
    const splitter = new BoxSplitter();
    const stderr: string[] = [];
    let stderrRest = '';
    let sawInputVideo = false;
    let inOutputSection = false;
    let track: TrackDefaults | null = null;
    let ftyp: Buffer | null = null;
    let moof: Buffer | null = null;
    let failure: string | null = null;
    // Watchdog inputs. Before the first keyframe nothing is playable: the start timeout bounds that.
    const spawnedAt = Date.now();
    let lastOutputAt = spawnedAt;
    let sawOutput = false;
    let sawKeyframe = false;

    const fail = (reason: string) => {
      failure ??= reason;
      child.kill('SIGKILL');
    };

    this.childExit = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        resolve();
        if (this.child !== child) return;
        this.child = null;
        this.clearStallTimer();
        if (this.stopped || this.state === 'unsupported_codec') return;
        const ended = code === 0 ? 'the source ended the stream' : null;
        const reason = redactCredentials(failure ?? ended ?? lastMeaningful(stderr) ?? `ffmpeg exited (${signal ?? `code ${code}`})`);
        this.onFailure(reason);
      });
    });
    child.once('error', (err) => fail(`cannot run ffmpeg: ${err.message}`));

    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      const lines = (stderrRest + text).split(/\r?\n/);
      stderrRest = lines.pop() ?? '';
      for (const line of lines) {
        stderr.push(line);
        if (stderr.length > STDERR_LINES) stderr.shift();
        if (/^Output #0/.test(line)) inOutputSection = true;
        if (inOutputSection || sawInputVideo) continue;
        const info = parseVideoStreamLine(line);
        if (!info) continue;
        sawInputVideo = true;
        this.codec = info;
        this.emit('codec', info);
        const reason = unsupportedReason(info);
        if (reason && !transcode) {
          if (this.source.transcode) {
            this.transcodeOn = true;
            this.restartNow();
          } else {
            this.lastError = reason;
            child.kill('SIGKILL');
            this.setState('unsupported_codec');
          }
          return;
        }
      }
    });

    child.stdout!.on('data', (chunk: Buffer) => {
      this.bytesOut += chunk.length;
      lastOutputAt = Date.now();
      sawOutput = true;
      let boxes;
      try {
        boxes = splitter.push(chunk);
      } catch (err) {
        fail((err as Error).message);
        return;
      }
      for (const box of boxes) {
        if (box.type === 'ftyp') ftyp = Buffer.from(box.data);
        else if (box.type === 'moov') {
          track = readInitInfo(box.data);
          this.init = { data: Buffer.concat([ftyp ?? Buffer.alloc(0), box.data]), track, generation };
          this.emit('init', this.init);
        } else if (box.type === 'moof') moof = box.data;
        else if (box.type === 'mdat' && moof && track) {
          const info = readFragmentInfo(moof, track);
          const fragment = { data: joinAdjacent(moof, box.data), info, duration: info.duration / track.timescale, receivedAt: Date.now() };
          moof = null;
          sawKeyframe ||= info.independent;
          this.onFragment(fragment);
        }
      }
    });
    // One check a fraction of the timeout apart rather than a timer re-armed on every read.
    const { stallTimeoutMs, startTimeoutMs } = this.opts;
    this.stallTimer = setInterval(() => {
      const now = Date.now();
      if (!sawKeyframe && now - spawnedAt >= startTimeoutMs) {
        fail(sawOutput ? `no keyframe within ${startTimeoutMs / 1000} s` : `no media within ${startTimeoutMs / 1000} s of starting`);
      } else if (sawOutput && now - lastOutputAt >= stallTimeoutMs) {
        fail(`stalled: no media for ${stallTimeoutMs / 1000} s`);
      }
    }, Math.max(100, Math.min(stallTimeoutMs, startTimeoutMs) / 5));
  }

  private onFragment(fragment: Fragment): void {
    const now = Date.now();
    if (this.state !== 'live' && fragment.info.independent) {
      this.liveSince = now;
      this.startedAt ??= now;
      this.lastError = null;
      this.setState('live');
    } else if (this.failures && now - this.liveSince > this.opts.stableAfterMs) {
      this.failures = 0;
    }
    this.emit('fragment', fragment);
  }

  private onFailure(reason: string): void {
    this.lastError = reason;
    this.failures += 1;
    this.setState(this.failures >= this.opts.offlineAfterFailures ? 'offline' : 'reconnecting');
    const delay = backoffDelay(this.failures, this.opts.backoff);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.spawnChild();
    }, delay);
  }

  private clearStallTimer(): void {
    if (this.stallTimer) clearInterval(this.stallTimer);
    this.stallTimer = null;
  }

  private clearTimers(): void {
    this.clearStallTimer();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private async killChild(): Promise<void> {
    const child = this.child;
    const exited = this.childExit;
    if (!child) return;
    this.child = null;
    child.kill('SIGKILL');
    await exited;
  }

  private setState(next: IngestState): void {
    const prev = this.state;
    if (prev === next) return;
    this.state = next;
    this.emit('state', next, prev);
  }
}

// ffmpeg's last lines name the cause ("Connection refused", "404 Not Found", "No such file …").
function lastMeaningful(lines: string[]): string | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i].trim();
    if (l && !/^(Stream mapping|Press \[q\]|Exiting normally|Conversion failed!?$|video:\d|frame=)/.test(l)) return l.slice(0, 300);
  }
  return null;
}

// ffmpeg writes a fragment in one go, so moof and mdat usually sit side by side in one read:
// a view over both avoids copying every fragment (and the GC work that copy causes).
function joinAdjacent(a: Buffer, b: Buffer): Buffer {
  if (a.buffer === b.buffer && a.byteOffset + a.length === b.byteOffset) return Buffer.from(a.buffer, a.byteOffset, a.length + b.length);
  return Buffer.concat([a, b]);
}

// ffmpeg echoes the input URL in its errors; the tile and logs must not show camera passwords.
export function redactCredentials(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1***@');
}
