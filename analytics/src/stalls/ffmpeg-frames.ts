// Decodes a video file or RTSP URL at a low frame rate into RGB frames through an ffmpeg pipe.
// PAM images carry their own size in a text header, so no probe (and no second connection to a
// camera) is needed to know the frame size.
import { spawn } from 'node:child_process';
import type { Frame } from './types';

export interface DecodeOptions {
  fps: number;
  /** Frames wider than this are scaled down (aspect kept). */
  maxWidth: number;
}

export interface TimedFrame {
  frame: Frame;
  /** Seconds from the first decoded frame (index / fps). */
  t: number;
}

export function ffmpegArgs(source: string, opt: DecodeOptions): string[] {
  const live = /^rtsps?:\/\//i.test(source);
  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    // A stopped RTSP source would hang the reader forever without a socket timeout.
    ...(live ? ['-rtsp_transport', 'tcp', '-timeout', '5000000'] : []),
    '-i', source, '-an', '-sn',
    '-vf', `fps=${opt.fps},scale='min(${opt.maxWidth},iw)':-2:flags=area`,
    '-f', 'image2pipe', '-c:v', 'pam', '-pix_fmt', 'rgb24', 'pipe:1',
  ];
}

/** Incremental PAM (P7, RGB) stream parser. */
export class PamParser {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const frames: Frame[] = [];
    for (;;) {
      const end = this.buf.indexOf('ENDHDR\n');
      if (end < 0) {
        if (this.buf.length > 4096) throw new Error('PAM header too long');
        return frames;
      }
      const header = this.buf.subarray(0, end).toString('latin1');
      if (!header.startsWith('P7\n')) throw new Error('not a PAM stream');
      const field = (name: string) => Number(new RegExp(`\n${name} (\\d+)`).exec(header)?.[1]);
      const width = field('WIDTH');
      const height = field('HEIGHT');
      const depth = field('DEPTH');
      if (!(width > 0 && height > 0) || depth !== 3) throw new Error(`unsupported PAM header: ${header.replace(/\n/g, ' ')}`);
      const start = end + 7;
      const size = width * height * 3;
      if (this.buf.length < start + size) return frames;
      frames.push({ data: new Uint8Array(this.buf.subarray(start, start + size)), width, height, format: 'rgb' });
      this.buf = this.buf.subarray(start + size);
    }
  }
}

/** Yields frames until the source ends; throws if ffmpeg fails. Stops ffmpeg when the loop breaks. */
export async function* decodeFrames(source: string, opt: DecodeOptions, signal?: AbortSignal): AsyncGenerator<TimedFrame> {
  const ff = spawn('ffmpeg', ffmpegArgs(source, opt), { stdio: ['ignore', 'pipe', 'pipe'], signal });
  let stderr = '';
  ff.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
  const exit = new Promise<number | null>((resolve) => {
    ff.on('error', () => resolve(-1));
    ff.on('close', (code) => resolve(code));
  });
  const parser = new PamParser();
  let index = 0;
  try {
    for await (const chunk of ff.stdout) {
      for (const frame of parser.push(chunk as Buffer)) yield { frame, t: index++ / opt.fps };
    }
    const code = await exit;
    if (code !== 0 && !signal?.aborted) throw new Error(`ffmpeg exited with ${code}: ${stderr.trim()}`);
  } finally {
    if (ff.exitCode === null) ff.kill('SIGKILL');
  }
}
