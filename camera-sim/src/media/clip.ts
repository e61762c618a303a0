// A pre-encoded H.264 clip held in memory as access units, shared by every camera that loops it.
import { spawn } from 'node:child_process';
import { FlvDemuxer, type FlvFrame } from './flv-demuxer';
import type { AvcConfig } from './h264';

export interface Clip {
  path: string;
  config: AvcConfig;
  frames: FlvFrame[];
  width: number;
  height: number;
}

const clips = new Map<string, Promise<Clip>>();

export function loadClip(path: string, width: number, height: number): Promise<Clip> {
  let p = clips.get(path);
  if (!p) {
    p = readClip(path, width, height);
    clips.set(path, p);
    p.catch(() => clips.delete(path));
  }
  return p;
}

function readClip(path: string, width: number, height: number): Promise<Clip> {
  return new Promise((resolve, reject) => {
    const ff = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', path, '-map', '0:v:0', '-c', 'copy', '-f', 'flv', 'pipe:1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const demux = new FlvDemuxer();
    const frames: FlvFrame[] = [];
    let config: AvcConfig | undefined;
    let stderr = '';
    demux.on('config', (c) => (config = c));
    demux.on('frame', (f) => frames.push(f));
    demux.on('error', (e) => {
      ff.kill('SIGKILL');
      reject(e);
    });
    ff.stdout.on('data', (c: Buffer) => demux.push(c));
    ff.stderr.on('data', (c: Buffer) => (stderr += c.toString()).slice(-2000));
    ff.on('error', reject);
    ff.on('close', (code) => {
      if (code !== 0) return reject(new Error(`ffmpeg could not read ${path}: ${stderr.trim()}`));
      if (!config || frames.length === 0 || !frames[0].keyframe) return reject(new Error(`${path}: no H.264 frames starting with a keyframe`));
      resolve({ path, config, frames, width, height });
    });
  });
}
