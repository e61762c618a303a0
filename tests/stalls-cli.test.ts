// `npm run stalls` on the simulator's street clip and on bad input.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { renderScene } from '../camera-sim/src/index';

// Node with tsx's loader directly: npx adds seconds per start on a loaded machine.
const cli = (args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'analytics/src/stalls/cli.ts', ...args], { encoding: 'utf8', timeout: 240_000 }, (err, stdout, stderr) =>
      resolve({ status: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });

describe('stalls CLI', () => {
  it('prints one JSON line per stall in the given zone, in seconds of the video', async () => {
    const scene = await renderScene('street', 'day');
    const truth = scene.truth as unknown as { zones: { id: string; polygon: [number, number][] }[]; stalls: { start: number; end: number; zone: { id: string } }[] };
    const zone = truth.zones[0];
    const stall = truth.stalls.find((s) => s.zone.id === zone.id)!;
    const r = await cli([scene.subPath, '--zone', zone.polygon.flat().join(','), '--dwell', '15']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ zone: 'zone' });
    expect(lines[0].start - stall.start - 15).toBeGreaterThanOrEqual(-0.5);
    expect(lines[0].start - stall.start - 15).toBeLessThanOrEqual(2);
    expect(Math.abs(lines[0].end - stall.end)).toBeLessThan(5);
    expect(lines[0].box).toHaveLength(4);
  }, 180_000);

  it('refuses bad zones, dwell and arguments with exit 2, and a missing file with exit 1', async () => {
    const bad = [
      ['x.mp4', '--zone', '0,0,1,1,1,0,0,1'],
      ['x.mp4', '--zone', '0,0,1'],
      ['x.mp4', '--zone', '0,0,2,0,1,1'],
      ['x.mp4', '--dwell', '0'],
      ['x.mp4', '--dwell=-3'],
      ['x.mp4', '--fps', '50'],
      ['x.mp4', '--bogus'],
      [],
    ];
    const results = await Promise.all(bad.map((args) => cli(args)));
    results.forEach((r, i) => {
      expect(r.status, bad[i].join(' ')).toBe(2);
      expect(r.stdout).toBe('');
    });
    const missing = await cli(['/nonexistent/clip.mp4']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/No such file/);
  }, 180_000);
});
