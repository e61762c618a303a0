// Runs inside Chromium (bundled by bench/latency.ts): reads the clock code of every frame a
// <video> presents and compares it with the moment the frame is shown — glass-to-glass. Also
// plays the plain HLS playlist with hls.js defaults, the baseline an ordinary player gets.
import Hls from 'hls.js';
import { CODE_COLUMNS, decodeClockFrame } from '../camera-sim/src/scenes/clock-code';

declare global {
  interface Window {
    qlyClock: { sample(selector: string, ms: number): Promise<number[]>; playHls(url: string, token: string): Promise<number> };
  }
}

async function sample(selector: string, ms: number): Promise<number[]> {
  const video = document.querySelector<HTMLVideoElement>(selector);
  if (!video) throw new Error(`no video ${selector}`);
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const out: number[] = [];
  const until = performance.now() + ms;
  await new Promise<void>((resolve) => {
    const onFrame = (_now: number, meta: VideoFrameCallbackMetadata): void => {
      const shownAt = performance.timeOrigin + meta.expectedDisplayTime;
      const w = meta.width;
      // The code sits in the top rows: three block heights are enough to decode it.
      const h = Math.min(meta.height, Math.ceil((3 * w) / CODE_COLUMNS) + 2);
      canvas.width = w;
      canvas.height = h;
      ctx.drawImage(video, 0, 0, w, meta.height, 0, 0, w, meta.height);
      const stamp = decodeClockFrame(ctx.getImageData(0, 0, w, h).data, w, h);
      if (stamp !== null) out.push(shownAt - stamp);
      if (performance.now() < until) video.requestVideoFrameCallback(onFrame);
      else resolve();
    };
    video.requestVideoFrameCallback(onFrame);
  });
  return out;
}

/** Plays `url` with hls.js defaults in a new <video id="baseline">; resolves with ms to the first frame. */
function playHls(url: string, token: string): Promise<number> {
  const started = performance.now();
  const video = document.createElement('video');
  video.id = 'baseline';
  video.muted = true;
  video.autoplay = true;
  video.style.cssText = 'position:fixed;right:0;bottom:0;width:640px;height:360px;z-index:9999';
  document.body.append(video);
  const hls = new Hls({
    xhrSetup: (xhr, u) => {
      xhr.open('GET', u, true);
      xhr.setRequestHeader('x-stream-token', token);
    },
  });
  hls.loadSource(url);
  hls.attachMedia(video);
  void video.play().catch(() => {});
  return new Promise((resolve) => video.requestVideoFrameCallback(() => resolve(performance.now() - started)));
}

window.qlyClock = { sample, playHls };
