// npm run stalls -- <video file or rtsp URL> [--zone x1,y1,x2,y2,...] [--dwell s] [--fps n]
// Prints one JSON line per stall event: { start, end, box, zone } in seconds of the video.
import { parseArgs } from 'node:util';
import { ZoneError } from './errors';
import { validateZone, WHOLE_FRAME } from './polygon';
import type { Point, StallEvent, ZoneSpec } from './types';
import { detectInVideo } from './video-run';

export const DEFAULT_DWELL_SEC = 20;
const round = (v: number) => Math.round(v * 1000) / 1000;

export function parseZone(text: string | undefined): Point[] {
  if (text === undefined) return WHOLE_FRAME;
  const nums = text.split(',').map((s) => Number(s.trim()));
  if (nums.length % 2 !== 0 || nums.some((n) => !Number.isFinite(n))) throw new ZoneError('bad-coordinate', '--zone needs x1,y1,x2,y2,... (numbers, normalised 0–1)');
  const pts: Point[] = [];
  for (let i = 0; i < nums.length; i += 2) pts.push([nums[i], nums[i + 1]]);
  return pts;
}

export function eventLine(e: StallEvent): string {
  return JSON.stringify({ start: round(e.start), end: round(e.end ?? e.start), box: e.box.map(round), zone: e.zoneId });
}

async function main(): Promise<number> {
  const usage = 'usage: npm run stalls -- <video file or rtsp URL> [--zone x1,y1,x2,y2,...] [--dwell seconds] [--fps 2] [--grace 5]';
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: { zone: { type: 'string' }, dwell: { type: 'string' }, fps: { type: 'string' }, grace: { type: 'string' } },
    });
  } catch (e) {
    console.error(`${(e as Error).message}\n${usage}`);
    return 2;
  }
  const { values, positionals } = args;
  if (positionals.length !== 1) {
    console.error(usage);
    return 2;
  }
  const fps = Number(values.fps ?? 2);
  if (!(fps > 0 && fps <= 10)) {
    console.error('--fps must be in (0, 10]');
    return 2;
  }
  const zone: ZoneSpec = { id: 'zone', polygon: [], dwellSec: Number(values.dwell ?? DEFAULT_DWELL_SEC) };
  try {
    zone.polygon = parseZone(values.zone);
    validateZone(zone);
  } catch (e) {
    if (!(e instanceof ZoneError)) throw e;
    console.error(`bad zone: ${e.message}`);
    return 2;
  }
  const graceSec = values.grace === undefined ? undefined : Number(values.grace);
  if (graceSec !== undefined && !(graceSec >= 0)) {
    console.error('--grace must be a number of seconds ≥ 0');
    return 2;
  }
  try {
    await detectInVideo(positionals[0], [zone], { fps, detector: graceSec === undefined ? {} : { graceSec }, onEvent: (e) => console.log(eventLine(e)) });
    return 0;
  } catch (e) {
    console.error((e as Error).message);
    return 1;
  }
}

process.exitCode = await main();
