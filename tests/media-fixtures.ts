// Shared helpers for the media tests: short H.264/HEVC clips made with the real ffmpeg (cached
// per machine in the temp dir), and a count of this process's ffmpeg children to catch leaks.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const DIR = path.join(os.tmpdir(), 'qly-media-fixtures');

export type ClipKind = 'baseline' | 'high' | 'hevc';

const ENCODE: Record<ClipKind, string[]> = {
  baseline: ['-c:v', 'libx264', '-profile:v', 'baseline'],
  high: ['-c:v', 'libx264', '-profile:v', 'high'],
  hevc: ['-c:v', 'libx265', '-x265-params', 'log-level=error'],
};

/** A 6 s 640×360 25 fps clip with a keyframe every second, made once per machine. */
export async function clip(kind: ClipKind = 'baseline', container: 'mp4' | 'ts' = 'mp4'): Promise<string> {
  mkdirSync(DIR, { recursive: true });
  const file = path.join(DIR, `${kind}.${container}`);
  if (existsSync(file)) return file;
  const tmp = `${file}.${process.pid}.tmp.${container}`;
  await run('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25', '-t', '6',
    ...ENCODE[kind], '-preset', 'veryfast', '-g', '25', '-keyint_min', '25', '-sc_threshold', '0', '-pix_fmt', 'yuv420p', tmp,
  ]);
  renameSync(tmp, file);
  return file;
}

/** ffmpeg processes whose parent is this process. */
export function ffmpegChildren(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && comm === 'ffmpeg') pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

export async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
