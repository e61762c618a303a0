import { createCanvas } from '@napi-rs/canvas';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeClockFrame } from './clock-code';
import { drawClock } from './clock';

function frame(ms: number, width: number, height: number): Uint8ClampedArray {
  const c = createCanvas(width, height);
  drawClock(c.getContext('2d'), width, height, ms, 'test');
  return c.getContext('2d').getImageData(0, 0, width, height).data;
}

describe('clock block code', () => {
  it('round-trips exact milliseconds at several sizes', () => {
    for (const [w, h] of [
      [640, 360],
      [1280, 720],
      [1920, 1080],
    ]) {
      for (const ms of [0, 1, 1_764_400_000_123, 2 ** 47 - 1]) expect(decodeClockFrame(frame(ms, w, h), w, h)).toBe(ms);
    }
  });

  it('survives lossy compression and downscaling', async () => {
    const ms = 1_764_400_000_987;
    const raw = Buffer.from(frame(ms, 1280, 720));
    const { data, info } = await sharp(raw, { raw: { width: 1280, height: 720, channels: 4 } })
      .resize(640, 360)
      .jpeg({ quality: 40 })
      .toBuffer()
      .then((jpg) => sharp(jpg).ensureAlpha().raw().toBuffer({ resolveWithObject: true }));
    expect(decodeClockFrame(data, info.width, info.height)).toBe(ms);
  });

  it('returns null for frames without a code, corrupted codes and bad sizes', () => {
    const blank = new Uint8ClampedArray(640 * 360 * 4).fill(128);
    expect(decodeClockFrame(blank, 640, 360)).toBeNull();
    const f = frame(1_764_400_000_000, 640, 360);
    // flip one data block to the opposite colour: the CRC must catch it
    const b = 10;
    for (let y = b; y < 3 * b; y++) for (let x = 20 * b; x < 21 * b; x++) for (let k = 0; k < 3; k++) f[(y * 640 + x) * 4 + k] = 255 - f[(y * 640 + x) * 4 + k];
    expect(decodeClockFrame(f, 640, 360)).toBeNull();
    expect(decodeClockFrame(new Uint8Array(16), 2, 2)).toBeNull();
    expect(decodeClockFrame(new Uint8Array(10), 640, 360)).toBeNull();
  });
});
