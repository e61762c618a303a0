// Continuous mode against the camera simulator's `gate` scene: frames decoded by ffmpeg from the
// scene's H.264 stream at 2 fps, read and voted by PlateTracker. Every vehicle stops at the
// barrier; each must be confirmed once (not once per frame), with the scene's truth as the test.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderScene, type GateTruth } from '../camera-sim/src/index';
import { createPlateReader, PlateTracker, type Arrival, type PlateReader } from '../analytics/src/plates';

const FPS = 2;
let reader: PlateReader;

beforeAll(async () => {
  reader = await createPlateReader();
});
afterAll(() => reader?.dispose());

/** Raw RGB frames of a video at `fps`, one at a time (bounded: ffmpeg ends with the file). */
async function* frames(file: string, width: number, height: number): AsyncGenerator<Uint8Array> {
  // Scaled to the truth's frame size: the main stream may be larger than the logical frame.
  const ff = spawn('ffmpeg', ['-v', 'error', '-i', file, '-vf', `fps=${FPS},scale=${width}:${height}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const size = width * height * 3;
  let buf = Buffer.alloc(0);
  for await (const chunk of ff.stdout) {
    buf = Buffer.concat([buf, chunk as Buffer]);
    while (buf.length >= size) {
      yield new Uint8Array(buf.subarray(0, size));
      buf = buf.subarray(size);
    }
  }
}

describe('gate scene, continuous mode', () => {
  it('confirms each arriving vehicle once, with its plate', async () => {
    const scene = await renderScene('gate');
    const truth = scene.truth as GateTruth;
    const tracker = new PlateTracker();
    const arrivals: Arrival[] = [];
    let i = 0;
    for await (const rgb of frames(scene.mainPath, truth.width, truth.height)) {
      const atMs = (i++ * 1000) / FPS;
      arrivals.push(...tracker.observe(await reader.readFrame({ data: rgb, width: truth.width, height: truth.height }), atMs));
    }
    expect(i).toBeGreaterThan(truth.durationSec * FPS - 4);
    const plates = arrivals.map((a) => a.plate);
    console.log(`gate scene: arrivals ${arrivals.map((a) => `${a.plate}@${a.confirmedMs / 1000}s`).join(' ')}`);
    // Each vehicle decided exactly once, while it is at the gate — not once per frame while it
    // waits at the barrier, never twice, and nothing that is not a vehicle of the scene.
    expect(arrivals).toHaveLength(truth.vehicles.length);
    for (const v of truth.vehicles) {
      expect(arrivals.filter((a) => a.confirmedMs / 1000 >= v.arrive && a.confirmedMs / 1000 <= v.depart + 1)).toHaveLength(1);
    }
    const correct = truth.vehicles.filter((v) => plates.includes(v.plate));
    const serial = (p: string) => [...p].slice(1).join('');
    const serialRight = truth.vehicles.filter((v) => plates.some((p) => serial(p) === serial(v.plate)));
    console.log(`gate scene: ${correct.length}/${truth.vehicles.length} vehicles read exactly, ${serialRight.length}/${truth.vehicles.length} after the province`);
    // The committed model (tuned to real crops) reads every serial but takes 3 of the simulator's
    // bold province glyphs for others (津/渝 → 湘, 蒙 → 藏): those go to review, never allow
    // (analytics/README.md, Measured). Regression guards at today's level.
    expect(serialRight.length).toBeGreaterThanOrEqual(truth.vehicles.length - 1);
    expect(correct.length).toBeGreaterThanOrEqual(truth.vehicles.length - 3);
  }, 600_000);
});
