// Renders a scene once to H.264 main (1920×1080) and sub (640×360) loops plus its ground truth,
// cached under ~/.cache/qianliyan/scenes/v<SCENE_VERSION>/ (QLY_SCENE_CACHE overrides) so a
// changed renderer renders again.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCanvas } from '@napi-rs/canvas';
import { createRenderer, defaultVariant } from './registry';
import { FPS, LOGICAL_HEIGHT, LOGICAL_WIDTH, type SceneName, type SceneRenderer, type SceneTruth } from './types';

/** Bump when any renderer or the encoding changes: cached loops under another version are ignored. */
export const SCENE_VERSION = 2;

export const MAIN_SIZE = { width: 1920, height: 1080 };
export const SUB_SIZE = { width: 640, height: 360 };

export interface RenderedScene {
  mainPath: string;
  subPath: string;
  truthPath: string;
  truth: SceneTruth;
}

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const LOCK_WAIT_MS = 30 * 60_000;
/** How long a freshly spawned renderer may take to start and take its lock. */
const WORKER_GRACE_MS = 60_000;
const INLINE_ENV = 'QLY_SCENE_RENDER_INLINE';
const WORKER = fileURLToPath(new URL('./render-worker.ts', import.meta.url));
const STALE_LOCK_MS = 30 * 60_000;

export function sceneCacheDir(): string {
  // Outside the clone, like a camera's disk: renders take minutes and every clone of the same
  // scene version can share them.
  const base = process.env.QLY_SCENE_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'qianliyan', 'scenes');
  return path.join(base, `v${SCENE_VERSION}`);
}

const inFlight = new Map<string, Promise<RenderedScene>>();

export function renderScene(scene: SceneName, variant?: string, outDir = sceneCacheDir()): Promise<RenderedScene> {
  const v = variant ?? defaultVariant(scene);
  const base = path.join(path.resolve(outDir), v === 'default' ? scene : `${scene}-${v}`);
  let p = inFlight.get(base);
  if (!p) {
    p = renderOnce(scene, v, base).finally(() => inFlight.delete(base));
    inFlight.set(base, p);
  }
  return p;
}

function paths(base: string): Omit<RenderedScene, 'truth'> {
  return { mainPath: `${base}.main.mp4`, subPath: `${base}.sub.mp4`, truthPath: `${base}.truth.json` };
}

function cached(base: string): RenderedScene | undefined {
  const p = paths(base);
  if (![p.mainPath, p.subPath, p.truthPath].every((f) => existsSync(f))) return undefined;
  return { ...p, truth: JSON.parse(readFileSync(p.truthPath, 'utf8')) as SceneTruth };
}

/** A lock left by a killed renderer: its process is gone, or it is older than STALE_LOCK_MS. */
function lockIsStale(lock: string): boolean {
  const st = statSync(lock, { throwIfNoEntry: false });
  if (!st) return false;
  if (Date.now() - st.mtimeMs > STALE_LOCK_MS) return true;
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(lock, 'pid'), 'utf8'));
  } catch {
    // Just created by another process that has not written its pid yet.
    return Date.now() - st.mtimeMs > 5000;
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

async function renderOnce(scene: SceneName, variant: string, base: string): Promise<RenderedScene> {
  const renderer = createRenderer(scene, variant); // validates scene and variant before touching disk
  const hit = cached(base);
  if (hit) return hit;
  mkdirSync(path.dirname(base), { recursive: true });
  return process.env[INLINE_ENV] === '1' ? renderLocked(renderer, base) : renderDetached(scene, variant, base);
}

/**
 * Renders in a detached process, so the loop gets finished even when the caller dies first (a test
 * that timed out, an interrupted CLI) — otherwise every impatient caller would start over.
 */
async function renderDetached(scene: SceneName, variant: string, base: string): Promise<RenderedScene> {
  const lock = `${base}.lock`;
  const log = `${base}.render.log`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  let spawnedAt = 0;
  for (;;) {
    const done = cached(base);
    if (done) return done;
    if (lockIsStale(lock)) rmSync(lock, { recursive: true, force: true });
    if (!existsSync(lock) && Date.now() - spawnedAt > WORKER_GRACE_MS) {
      if (spawnedAt) throw new Error(`rendering ${scene}/${variant} failed: ${tail(log)}`);
      const fd = openSync(log, 'w');
      spawn(process.execPath, ['--import', 'tsx', WORKER, scene, variant, path.dirname(base)], {
        cwd: REPO_ROOT,
        detached: true,
        stdio: ['ignore', 'ignore', fd],
        env: { ...process.env, [INLINE_ENV]: '1' },
      }).unref();
      closeSync(fd);
      spawnedAt = Date.now();
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${scene}/${variant} to render (${lock})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-5).join(' | ') || 'renderer exited without output';
  } catch {
    return 'renderer left no log';
  }
}

/** Takes the cross-process lock and renders here. */
async function renderLocked(renderer: SceneRenderer, base: string): Promise<RenderedScene> {
  // Another process (a second vitest worker, the CLI) may be rendering the same loop.
  const lock = `${base}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      if (lockIsStale(lock)) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      await new Promise((r) => setTimeout(r, 500));
      const done = cached(base);
      if (done) return done;
    }
  }
  try {
    const done = cached(base);
    if (done) return done;
    const p = paths(base);
    await encode(renderer, `${p.mainPath}.tmp`, `${p.subPath}.tmp`);
    renameSync(`${p.mainPath}.tmp`, p.mainPath);
    renameSync(`${p.subPath}.tmp`, p.subPath);
    const truth = renderer.truth();
    writeFileSync(`${p.truthPath}.tmp`, JSON.stringify(truth, null, 2));
    renameSync(`${p.truthPath}.tmp`, p.truthPath);
    return { ...p, truth };
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** H.264 Main (never High: browsers' WebRTC cannot take it), no B-frames, one keyframe per second. */
export function x264Args(crf: number, maxrate: string): string[] {
  return [
    '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'main', '-pix_fmt', 'yuv420p',
    '-x264-params', `keyint=${FPS}:min-keyint=${FPS}:scenecut=0:bframes=0:8x8dct=0:repeat-headers=1`,
    '-crf', String(crf), '-maxrate', maxrate, '-bufsize', maxrate.replace(/\d+/, (n) => String(Number(n) * 2)),
  ];
}

async function encode(renderer: SceneRenderer, mainOut: string, subOut: string): Promise<void> {
  const ff = spawn(
    'ffmpeg',
    [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${LOGICAL_WIDTH}x${LOGICAL_HEIGHT}`, '-r', String(FPS), '-i', 'pipe:0',
      '-filter_complex', `[0:v]split=2[a][b];[a]scale=${MAIN_SIZE.width}:${MAIN_SIZE.height}:flags=bicubic[m];[b]scale=${SUB_SIZE.width}:${SUB_SIZE.height}:flags=area[s]`,
      '-map', '[m]', ...x264Args(23, '4M'), '-movflags', '+faststart', '-f', 'mp4', mainOut,
      '-map', '[s]', ...x264Args(25, '800k'), '-movflags', '+faststart', '-f', 'mp4', subOut,
    ],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  let stderr = '';
  ff.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve, reject) => {
    ff.on('error', reject);
    ff.on('close', resolve);
  });
  const canvas = createCanvas(LOGICAL_WIDTH, LOGICAL_HEIGHT);
  const ctx = canvas.getContext('2d');
  const frames = Math.round(renderer.durationSec * FPS);
  try {
    for (let i = 0; i < frames; i++) {
      renderer.draw(ctx, i / FPS);
      // data() hands back a fresh copy of the pixels, so it can sit in the pipe's queue as is.
      if (!ff.stdin.write(canvas.data())) {
        await once(ff.stdin, 'drain');
      }
    }
  } finally {
    ff.stdin.end();
  }
  const code = await exited;
  if (code !== 0) throw new Error(`ffmpeg failed encoding ${renderer.scene}/${renderer.variant}: ${stderr.trim()}`);
}
