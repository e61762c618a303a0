// WebRTC test harness, shared by tests/webrtc-*.test.ts and bench/webrtc.ts: an ffmpeg test
// pattern sent as RTP into a StreamRoom, and a Chromium page that watches through a SignalSession.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { ffmpegRtpOutputArgs, SignalError, type RtpInput, type SignalSession } from '../media/src/webrtc';
import type { TileState, WatchOptions } from './webrtc-page.client';

const CLIENT = fileURLToPath(new URL('./webrtc-page.client.ts', import.meta.url));
let bundle: Promise<string> | undefined;

function clientBundle(): Promise<string> {
  bundle ??= build({ entryPoints: [CLIENT], bundle: true, format: 'iife', platform: 'browser', target: 'chrome120', write: false, logLevel: 'error', absWorkingDir: path.dirname(CLIENT) }).then(
    (r) => r.outputFiles[0]!.text,
  );
  return bundle;
}

export class ViewerPage {
  private constructor(readonly page: Page) {}

  /** Opens a page whose signalling goes to `session`; SignalErrors reach the page as rejections. */
  static async open(browser: Browser, session: SignalSession): Promise<ViewerPage> {
    const page = await browser.newPage();
    await page.exposeFunction('qlySignal', async (request: unknown) => {
      try {
        return await session.handle(request);
      } catch (err) {
        throw new Error(err instanceof SignalError ? `${err.code}: ${err.message}` : String(err), { cause: err });
      }
    });
    await page.setContent('<!doctype html><html><body style="margin:0;background:#000"></body></html>');
    await page.addScriptTag({ content: await clientBundle() });
    return new ViewerPage(page);
  }

  watch(streamId: string, options: WatchOptions = { decode: true }): Promise<number> {
    return this.page.evaluate(([id, o]) => window.qly.watch(id, o), [streamId, options] as const);
  }

  tiles(): Promise<TileState[]> {
    return this.page.evaluate(() => window.qly.tiles());
  }

  /** Polls until every tile has shown at least `frames` frames, or throws after `timeoutMs`. */
  async waitForFrames(frames: number, timeoutMs: number): Promise<TileState[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const tiles = await this.tiles();
      if (tiles.length > 0 && tiles.every((t) => t.frames >= frames)) return tiles;
      if (Date.now() > deadline) throw new Error(`frames did not reach ${frames} in ${timeoutMs} ms: ${JSON.stringify(tiles)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  close(): Promise<void> {
    return this.page.close();
  }
}

export interface PatternOptions {
  size?: string;
  fps?: number;
  seconds?: number;
}

function encodeArgs(options: PatternOptions): string[] {
  const fps = options.fps ?? 25;
  return [
    ...['-f', 'lavfi', '-i', `testsrc2=size=${options.size ?? '640x360'}:rate=${fps}`],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p', '-g', String(fps)],
  ];
}

async function runFfmpeg(args: string[]): Promise<void> {
  const proc = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  const [code] = (await once(proc, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`ffmpeg ${args.join(' ')} exited with ${code}`);
}

/** A camera stand-in: x264 Baseline test pattern with a 1 s GOP, sent as RTP into `input`. */
export class TestPattern {
  private constructor(private readonly proc: ChildProcess) {}

  /** Encodes live (~20 % of a core at 640×360 here). */
  static start(input: RtpInput, options: PatternOptions = {}): TestPattern {
    const args = ['-re', ...encodeArgs(options), '-t', String(options.seconds ?? 120), ...ffmpegRtpOutputArgs(input)];
    return TestPattern.spawn(args);
  }

  /**
   * Loops a clip made by encodeClip with codec copy, as a camera ingest does (~1 % of a core), so
   * a benchmark measures the relay rather than x264.
   */
  static loop(input: RtpInput, clip: string): TestPattern {
    return TestPattern.spawn(['-re', '-stream_loop', '-1', '-i', clip, '-map', '0:v:0', '-c:v', 'copy', ...ffmpegRtpOutputArgs(input)]);
  }

  /** MPEG-TS keeps SPS/PPS in band before every IDR, which RTP viewers joining late need. */
  static async encodeClip(file: string, options: PatternOptions = {}): Promise<void> {
    await runFfmpeg([...encodeArgs(options), '-t', String(options.seconds ?? 10), '-f', 'mpegts', file]);
  }

  private static spawn(args: string[]): TestPattern {
    return new TestPattern(spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', ...args], { stdio: ['ignore', 'ignore', 'inherit'] }));
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = once(this.proc, 'exit');
    this.proc.kill('SIGKILL');
    await exited;
  }
}
