// Short-lived ffmpeg that reads a buffer on stdin and returns stdout, bounded in time and size.
import { spawn } from 'node:child_process';

export interface RunOptions {
  ffmpegPath?: string;
  timeoutMs?: number;
  maxOutputBytes?: number;
}

export function runFfmpeg(args: string[], input: Buffer, opts: RunOptions = {}): Promise<Buffer> {
  const { ffmpegPath = process.env.FFMPEG_PATH ?? 'ffmpeg', timeoutMs = 5000, maxOutputBytes = 16 * 1024 * 1024 } = opts;
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath, ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = '';
    let failure: Error | null = null;
    const timer = setTimeout(() => {
      failure = new Error(`ffmpeg took longer than ${timeoutMs} ms`);
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => {
      outBytes += c.length;
      if (outBytes > maxOutputBytes) {
        failure = new Error(`ffmpeg output exceeds ${maxOutputBytes} bytes`);
        child.kill('SIGKILL');
        return;
      }
      out.push(c);
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString()).slice(-2000);
    });
    // ffmpeg may stop reading once it has its frame; that EPIPE is not an error.
    child.stdin.on('error', () => {});
    child.once('error', (err) => {
      failure ??= err;
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      if (failure) reject(failure);
      else if (code !== 0) reject(new Error(`ffmpeg failed (code ${code}): ${stderr.trim().split('\n').pop() ?? ''}`));
      else resolve(Buffer.concat(out));
    });
    child.stdin.end(input);
  });
}
