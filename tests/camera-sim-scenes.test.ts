// Rendered loops and their ground truth agree: plates are where the truth says while a vehicle
// stands at the barrier, and a stall's goods appear in its box only while the stall is there.
// The first run on a clean clone renders the loops (minutes); later runs reuse ~/.cache/qianliyan/scenes.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderScene, startCameraSim, type CameraSimHandle, type GateTruth, type StreetTruth } from '../camera-sim/src/index';

const run = promisify(execFile);
const W = 640;
const H = 360;

async function frameAt(file: string, t: number): Promise<Buffer> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-ss', String(t), '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { encoding: 'buffer', maxBuffer: 16 << 20 });
  return stdout;
}

function meanColour(rgb: Buffer, [x, y, w, h]: [number, number, number, number]): [number, number, number] {
  const sum = [0, 0, 0];
  let n = 0;
  for (let py = Math.floor((y + h * 0.25) * H); py < (y + h * 0.75) * H; py++) {
    for (let px = Math.floor((x + w * 0.1) * W); px < (x + w * 0.9) * W; px++) {
      for (let k = 0; k < 3; k++) sum[k] += rgb[(py * W + px) * 3 + k];
      n++;
    }
  }
  return sum.map((s) => s / n) as [number, number, number];
}

describe('scene loops match their ground truth', () => {
  it('gate: each plate box shows a plate of its colour while the vehicle is stopped', async () => {
    const gate = await renderScene('gate');
    const truth = gate.truth as GateTruth;
    for (const v of truth.vehicles.slice(0, 5)) {
      const [r, g, b] = meanColour(await frameAt(gate.subPath, (v.stopStart + v.stopEnd) / 2), v.box);
      if (v.type === 'blue') expect(b).toBeGreaterThan(r + 20);
      if (v.type === 'yellow') expect(r > b + 60 && g > b + 40).toBe(true);
      if (v.type === 'green') expect(g).toBeGreaterThan(r);
      if (v.type === 'white') expect(Math.min(r, g, b)).toBeGreaterThan(120);
    }
  }, 900_000);

  it('street: the stall box shows the goods only while the stall is there', async () => {
    const street = await renderScene('street', 'day');
    const truth = street.truth as StreetTruth;
    for (const s of truth.stalls) {
      const before = meanColour(await frameAt(street.subPath, s.start - 6), s.box);
      const during = meanColour(await frameAt(street.subPath, (s.start + s.end) / 2), s.box);
      const diff = (a: number[], b: number[]): number => a.reduce((acc, v, i) => acc + Math.abs(v - b[i]), 0);
      expect(diff(before, during)).toBeGreaterThan(40);
      // the tarp is blue: during the stall, blue dominates the box more than before
      expect(during[2] - during[0]).toBeGreaterThan(before[2] - before[0]);
    }
  }, 900_000);
});

describe('a looped camera over RTSP', () => {
  let sim: CameraSimHandle;
  beforeAll(async () => {
    sim = await startCameraSim({ cameras: [{ name: 'gate', location: 'north gate', scene: 'gate' }], discovery: false });
  }, 900_000);
  afterAll(() => sim?.stop());

  it('serves the 1080p Main-profile loop over UDP and TCP, with its truth attached', async () => {
    const cam = sim.cameras[0];
    const url = cam.rtspMainUrl.replace('rtsp://', `rtsp://${cam.username}:${cam.password}@`);
    for (const transport of ['udp', 'tcp']) {
      const { stdout } = await run('ffprobe', ['-v', 'error', '-rtsp_transport', transport, '-show_entries', 'stream=profile,width,height', '-of', 'csv=p=0', url], { timeout: 30_000 });
      expect(stdout.trim()).toBe('Main,1920,1080');
    }
    expect((cam.truth as GateTruth).vehicles.length).toBeGreaterThan(5);
  });
});
