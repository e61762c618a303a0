// Runs a detector over a whole video (file or RTSP) at a low frame rate.
import { StallDetector, type DetectorOptions } from './detector';
import { decodeFrames } from './ffmpeg-frames';
import type { StallEvent, ZoneSpec } from './types';

export interface VideoRunOptions {
  fps: number;
  maxWidth?: number;
  detector?: Partial<DetectorOptions>;
  /** Called for each finished event, as soon as it ends. */
  onEvent?: (e: StallEvent) => void;
}

export interface VideoRunResult {
  events: StallEvent[];
  frames: number;
  /** CPU time spent in the detector (not decoding), milliseconds. */
  detectorCpuMs: number;
}

export async function detectInVideo(source: string, zones: ZoneSpec[], opt: VideoRunOptions): Promise<VideoRunResult> {
  const detector = await StallDetector.create(zones, opt.detector);
  const events: StallEvent[] = [];
  const take = (e: StallEvent) => {
    events.push(e);
    opt.onEvent?.(e);
  };
  let frames = 0;
  let cpu = 0;
  try {
    for await (const { frame, t } of decodeFrames(source, { fps: opt.fps, maxWidth: opt.maxWidth ?? 640 })) {
      const c0 = process.cpuUsage();
      const ups = detector.process(frame, t);
      const c = process.cpuUsage(c0);
      cpu += (c.user + c.system) / 1000;
      frames++;
      for (const u of ups) if (u.type === 'end') take(u.event);
    }
  } finally {
    for (const u of detector.flush()) take(u.event);
    detector.dispose();
  }
  return { events, frames, detectorCpuMs: cpu };
}
