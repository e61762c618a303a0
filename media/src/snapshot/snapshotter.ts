// JPEG of the newest keyframe already in the LL-HLS window: no extra pull from the camera, one
// short decode per second at most however many thumbnails ask.
import type { LlHlsPackager } from '../hls/ll-hls-packager';
import { runFfmpeg } from './run-ffmpeg';

export interface Snapshot {
  jpeg: Buffer;
  /** Wall-clock ms of the keyframe. */
  takenAt: number;
}

export class NoKeyframeError extends Error {
  constructor() {
    super('no keyframe received yet');
  }
}

export class Snapshotter {
  private cached: { key: string; at: number; result: Promise<Snapshot> } | null = null;

  constructor(
    private readonly packager: LlHlsPackager,
    private readonly cacheMs = 1000,
  ) {}

  /** Resolves once no decode is running, so stopping a stream leaves no ffmpeg behind. */
  async settled(): Promise<void> {
    await this.cached?.result.catch(() => undefined);
  }

  take(): Promise<Snapshot> {
    const seg = this.packager.segments.at(-1);
    const part = seg?.parts[0];
    const init = seg && this.packager.inits.get(seg.initGeneration);
    if (!seg || !part || !init) return Promise.reject(new NoKeyframeError());
    const key = `${seg.initGeneration}:${seg.msn}`;
    const now = Date.now();
    if (this.cached && (this.cached.key === key || now - this.cached.at < this.cacheMs)) return this.cached.result;
    const result = runFfmpeg(['-f', 'mp4', '-i', 'pipe:0', '-frames:v', '1', '-q:v', '4', '-f', 'image2pipe', '-c:v', 'mjpeg', 'pipe:1'], Buffer.concat([init, part.data])).then(
      (jpeg) => {
        if (jpeg.length === 0) throw new Error('keyframe did not decode');
        return { jpeg, takenAt: seg.programDateTime };
      },
    );
    this.cached = { key, at: now, result };
    // A failed decode must not stick for the whole cache period.
    result.catch(() => {
      if (this.cached?.result === result) this.cached = null;
    });
    return result;
  }
}
