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

/** A camera stand-in: live x264 Baseline test pattern, 1 s GOP, as RTP into `input`. */
export class TestPattern {
  private constructor(private readonly proc: ChildProcess) {}

  static start(input: RtpInput, options: { size?: string; fps?: number; seconds?: number } = {}): TestPattern {
    const fps = options.fps ?? 25;
    const args = ['-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', `testsrc2=size=${options.size ?? '640x360'}:rate=${fps}`];
    args.push('-t', String(options.seconds ?? 120), '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency');
    args.push('-profile:v', 'baseline', '-pix_fmt', 'yuv420p', '-g', String(fps), ...ffmpegRtpOutputArgs(input));
    return new TestPattern(spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'inherit'] }));
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
