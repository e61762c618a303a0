// The live clock camera: timestamps decoded from received frames follow the frame cadence to
// within one frame period and sit just behind the viewer's clock (glass-to-glass latency).
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeClockFrame, startCameraSim, type CameraSimHandle, type SimCamera } from '../camera-sim/src/index';

let sim: CameraSimHandle;
let cam: SimCamera;

beforeAll(async () => {
  sim = await startCameraSim({ cameras: [{ name: 'clock', location: 'lab', scene: 'clock' }], discovery: false });
  cam = sim.cameras[0];
});
afterAll(() => sim?.stop());

interface Grabbed {
  code: number | null;
  /** presentation time ffmpeg derived from the frame's RTP timestamp, ms */
  ptsMs: number;
  arrived: number;
}

/** Decodes `frames` frames over RTSP/TCP; returns each frame's code, its RTP-derived time and when it arrived here. */
function grab(url: string, width: number, height: number, frames: number): Promise<Grabbed[]> {
  const authed = url.replace('rtsp://', `rtsp://${cam.username}:${cam.password}@`);
  const ff = spawn(
    'ffmpeg',
    ['-v', 'info', '-nostats', '-fflags', 'nobuffer', '-flags', 'low_delay', '-rtsp_transport', 'tcp', '-i', authed, '-vf', 'showinfo', '-frames:v', String(frames), '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const size = width * height * 4;
  const out: Grabbed[] = [];
  const pts: number[] = [];
  let buf = Buffer.alloc(0);
  let log = '';
  ff.stderr.on('data', (c: Buffer) => {
    log += c.toString();
    let nl: number;
    while ((nl = log.indexOf('\n')) >= 0) {
      const m = /showinfo.* pts_time:([\d.]+)/.exec(log.slice(0, nl));
      if (m) pts.push(Number(m[1]) * 1000);
      log = log.slice(nl + 1);
    }
  });
  ff.stdout.on('data', (c: Buffer) => {
    buf = Buffer.concat([buf, c]);
    while (buf.length >= size) {
      out.push({ code: decodeClockFrame(buf.subarray(0, size), width, height), ptsMs: NaN, arrived: Date.now() });
      buf = buf.subarray(size);
    }
  });
  const timer = setTimeout(() => ff.kill('SIGKILL'), 45_000);
  return new Promise((resolve, reject) => {
    ff.on('close', () => {
      clearTimeout(timer);
      if (out.length < frames || pts.length < frames) reject(new Error(`got ${out.length} of ${frames} frames`));
      else resolve(out.map((f, i) => ({ ...f, ptsMs: pts[i] })));
    });
  });
}

describe('clock scene', () => {
  it('every frame carries its own capture time, matching its RTP timestamp within one frame period', async () => {
    const frames = await grab(cam.rtspSubUrl, 640, 360, 30);
    expect(frames.every((f) => f.code !== null)).toBe(true);
    const [first] = frames;
    for (let i = 1; i < frames.length; i++) {
      // capture instants sit on the 40 ms frame grid (frames may be dropped under load, never bunched)
      expect(frames[i].code!).toBeGreaterThan(frames[i - 1].code!);
      expect((frames[i].code! - first.code!) % 40).toBe(0);
      const byCode = frames[i].code! - first.code!;
      const byRtp = frames[i].ptsMs - first.ptsMs;
      expect(Math.abs(byCode - byRtp)).toBeLessThan(40);
    }
    // glass-to-glass: capture → encode → RTSP → decode here (bench/camera-sim.ts measures it properly)
    for (const f of frames.slice(-10)) {
      expect(f.arrived - f.code!).toBeGreaterThan(0);
      expect(f.arrived - f.code!).toBeLessThan(5000);
    }
  });

  it('the main stream carries the same code, and a skewed camera clock shows in it', async () => {
    cam.faults.skewClock(60_000);
    try {
      const frames = await grab(cam.rtspMainUrl, 1280, 720, 10);
      const last = frames[frames.length - 1];
      expect(last.code).not.toBeNull();
      // latency eats into the skew; on a loaded two-core box it can reach seconds
      expect(last.code! - last.arrived).toBeGreaterThan(50_000);
    } finally {
      cam.faults.skewClock(0);
    }
  });
});
