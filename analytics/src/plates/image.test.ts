import sharp from 'sharp';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAX_PIXELS, PlateImageError, toRgb } from './image';

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A valid PNG header claiming any size, with a token of pixel data: what an attacker sends. */
function pngClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(64))), chunk('IEND', Buffer.alloc(0))]);
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    expect(err).toBeInstanceOf(PlateImageError);
    return (err as PlateImageError).code;
  }
}

describe('image validation', () => {
  it('decodes JPEG and PNG to RGB', async () => {
    const png = await sharp({ create: { width: 40, height: 20, channels: 4, background: '#0b45b2' } }).png().toBuffer();
    const jpeg = await sharp(png).jpeg().toBuffer();
    for (const buf of [png, jpeg]) {
      const rgb = await toRgb(buf);
      expect([rgb.width, rgb.height, rgb.data.length]).toEqual([40, 20, 40 * 20 * 3]);
      expect(rgb.data[2]).toBeGreaterThan(150); // blue stays blue
    }
  });

  it('accepts raw RGB and RGBA rasters', async () => {
    const rgba = new Uint8ClampedArray(4 * 6).fill(200);
    const rgb = await toRgb({ data: rgba, width: 3, height: 2 });
    expect(rgb.data).toHaveLength(18);
    expect((await toRgb({ data: new Uint8Array(18), width: 3, height: 2 })).data).toHaveLength(18);
  });

  it('rejects bad input with a typed error, never a crash', async () => {
    const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#888' } }).jpeg().toBuffer();
    expect(await code(toRgb(Buffer.from('hello, this is not an image')))).toBe('not-image');
    expect(await code(toRgb(Buffer.alloc(0)))).toBe('empty');
    expect(await code(toRgb(jpeg.subarray(0, jpeg.length / 2)))).toBe('truncated');
    expect(await code(toRgb(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0])))).toMatch(/not-image|truncated/);
    expect(await code(toRgb(pngClaiming(30000, 30000)))).toBe('too-large');
    expect(30000 * 30000).toBeGreaterThan(MAX_PIXELS);
    expect(await code(toRgb({ data: new Uint8Array(0), width: 0, height: 0 }))).toBe('empty');
    expect(await code(toRgb({ data: new Uint8Array(10), width: 3, height: 2 }))).toBe('bad-raster');
    expect(await code(toRgb({ data: new Uint8Array(3), width: 1.5, height: 2 }))).toBe('empty');
    expect(await code(toRgb({ data: 'xx', width: 1, height: 1 } as never))).toBe('bad-raster');
    expect(await code(toRgb(null as never))).toBe('not-image');
  });
});
