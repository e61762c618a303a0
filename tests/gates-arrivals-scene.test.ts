// Continuous mode's vehicle logic on the camera simulator's `gate` scene, as the server sees it:
// only keyframes (one a second) of the main stream, read by the plate reader, through
// GateArrivals. Each vehicle of the scene's truth must be decided at most once, while it is there;
// how many texts are exact depends on the plate model and is reported (the lead tightens it).
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderScene, type GateTruth } from '../camera-sim/src/index';
import { createPlateReader, type PlateReader } from '../analytics/src/plates';
import { GateArrivals } from '../server/src/analytics/gates-arrivals';

let reader: PlateReader;
beforeAll(async () => {
  reader = await createPlateReader();
});
afterAll(() => reader?.dispose());

/** The keyframes of a video as JPEGs (what media/'s Snapshotter gives the pipeline). */
async function keyframes(file: string): Promise<Buffer[]> {
  const ff = spawn('ffmpeg', ['-v', 'error', '-skip_frame', 'nokey', '-i', file, '-vsync', '0', '-f', 'image2pipe', '-c:v', 'mjpeg', '-q:v', '4', '-'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const chunks: Buffer[] = [];
  for await (const c of ff.stdout) chunks.push(c as Buffer);
  const all = Buffer.concat(chunks);
  const out: Buffer[] = [];
  for (let start = 0, end; (end = all.indexOf(Buffer.from([0xff, 0xd9]), start)) >= 0; start = end + 2) out.push(all.subarray(start, end + 2));
  return out;
}

describe('gate scene through GateArrivals (keyframes only)', () => {
  it('decides each arriving vehicle at most once, while it is at the barrier', async () => {
    const scene = await renderScene('gate');
    const truth = scene.truth as GateTruth;
    const frames = await keyframes(scene.mainPath);
    expect(frames.length).toBeGreaterThanOrEqual(truth.durationSec - 2); // 1 s GOP
    const g = new GateArrivals();
    const decided: { plate: string; atSec: number }[] = [];
    for (const [i, jpeg] of frames.entries()) {
      const atMs = i * 1000;
      decided.push(...g.observe(await reader.readFrame(jpeg), atMs).map((a) => ({ plate: a.plate, atSec: atMs / 1000 })));
    }
    const vehicleAt = (s: number) => truth.vehicles.find((v) => v.arrive - 1 <= s && s <= v.depart + 1);
    const perVehicle = new Map<string, string[]>();
    for (const d of decided) {
      const v = vehicleAt(d.atSec);
      expect(v, `decision ${d.plate} at ${d.atSec} s with no vehicle there`).toBeDefined();
      perVehicle.set(v!.plate, [...(perVehicle.get(v!.plate) ?? []), d.plate]);
    }
    const exact = truth.vehicles.filter((v) => perVehicle.get(v.plate)?.includes(v.plate)).length;
    console.log(`gate scene, keyframes: ${perVehicle.size}/${truth.vehicles.length} vehicles decided, ${exact} read exactly; ${decided.map((d) => `${d.atSec}s:${d.plate}`).join(' ')}`);
    for (const [plate, texts] of perVehicle) expect(texts, `vehicle ${plate} decided more than once`).toHaveLength(1);
    // A decision per vehicle: the committed model reads the simulator's plates weakly but stably.
    expect(perVehicle.size).toBeGreaterThanOrEqual(truth.vehicles.length - 2);
  }, 600_000);
});
