// Turns whatever a caller hands us into a validated RGB raster, or a PlateImageError.
// Images come from gate cameras and HTTP uploads: anything may arrive.
import sharp, { type Metadata, type Sharp } from 'sharp';

export type PlateImageErrorCode = 'not-image' | 'truncated' | 'empty' | 'too-large' | 'bad-raster';

export class PlateImageError extends Error {
  constructor(
    readonly code: PlateImageErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PlateImageError';
  }
}

/** A raw raster: RGB (3 bytes per pixel) or RGBA (4). */
export interface RawImage {
  data: Uint8Array | Uint8ClampedArray | Buffer;
  width: number;
  height: number;
}

export interface Rgb {
  data: Uint8Array;
  width: number;
  height: number;
}

export type ImageInput = Buffer | Uint8Array | RawImage;

/** 8K is the largest frame a camera sends; beyond that it is an attack or a mistake. */
export const MAX_PIXELS = 7680 * 4320;
export const MAX_BYTES = 40 * 1024 * 1024;

const isJpeg = (b: Uint8Array) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
const isPng = (b: Uint8Array) => b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;

function fromRaw(img: RawImage): Rgb {
  const { data, width, height } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new PlateImageError('empty', `image has no pixels (${width}×${height})`);
  }
  if (width * height > MAX_PIXELS) throw new PlateImageError('too-large', `image of ${width}×${height} exceeds ${MAX_PIXELS} pixels`);
  const channels = data.length / (width * height);
  if (channels !== 3 && channels !== 4) {
    throw new PlateImageError('bad-raster', `raster of ${data.length} bytes is neither RGB nor RGBA for ${width}×${height}`);
  }
  if (channels === 3) return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width, height };
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; j < rgb.length; i += 4, j += 3) {
    rgb[j] = data[i];
    rgb[j + 1] = data[i + 1];
    rgb[j + 2] = data[i + 2];
  }
  return { data: rgb, width, height };
}

/** libvips says "premature end" for JPEGs and "truncated"/"end of" for PNGs cut short. */
function decodeFailure(err: unknown): PlateImageErrorCode {
  const msg = (err as Error).message;
  if (/pixel limit/i.test(msg)) return 'too-large';
  return /premature end|truncat|end of (file|stream|data)/i.test(msg) ? 'truncated' : 'not-image';
}

/** Checks a JPEG/PNG buffer's header, bytes and claimed size before anything is decoded. */
async function checkEncoded(input: Uint8Array): Promise<{ width: number; height: number }> {
  if (input.length === 0) throw new PlateImageError('empty', 'empty image buffer');
  if (input.length > MAX_BYTES) throw new PlateImageError('too-large', `image of ${input.length} bytes exceeds ${MAX_BYTES}`);
  if (!isJpeg(input) && !isPng(input)) throw new PlateImageError('not-image', 'not a JPEG or PNG image');
  let meta: Metadata;
  try {
    meta = await sharp(input).metadata();
  } catch (err) {
    throw new PlateImageError(decodeFailure(err), `unreadable image: ${(err as Error).message}`);
  }
  const { width = 0, height = 0 } = meta;
  if (width <= 0 || height <= 0) throw new PlateImageError('empty', 'image has no pixels');
  if (width * height > MAX_PIXELS) throw new PlateImageError('too-large', `image of ${width}×${height} exceeds ${MAX_PIXELS} pixels`);
  return { width, height };
}

async function decode(pipeline: Sharp): Promise<Rgb> {
  try {
    const { data, info } = await pipeline.removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new PlateImageError('bad-raster', `decoded ${info.channels} channels`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch (err) {
    if (err instanceof PlateImageError) throw err;
    throw new PlateImageError(decodeFailure(err), `cannot decode image: ${(err as Error).message}`);
  }
}

const open = (input: Uint8Array) => sharp(input, { failOn: 'truncated', limitInputPixels: MAX_PIXELS });

function checkInput(input: ImageInput): void {
  if (input === null || typeof input !== 'object') throw new PlateImageError('not-image', 'expected an image buffer or raster');
  if (!(input instanceof Uint8Array) && (!('data' in input) || !(input.data instanceof Uint8Array || input.data instanceof Uint8ClampedArray))) {
    throw new PlateImageError('bad-raster', 'raster needs data, width and height');
  }
}

/** Decodes a JPEG/PNG buffer or checks a raw raster; never throws anything but PlateImageError. */
export async function toRgb(input: ImageInput): Promise<Rgb> {
  checkInput(input);
  if (!(input instanceof Uint8Array)) return fromRaw(input as RawImage);
  await checkEncoded(input);
  return decode(open(input));
}

/**
 * A frame to search at most `workWidth` pixels wide, plus full-resolution pixels of any region on
 * demand. A JPEG is decoded straight to the small size (libjpeg's shrink-on-load skips most of the
 * IDCT work), so a 1080p frame costs a fraction of a full decode; regions decode only what they need.
 */
export interface Frame {
  width: number;
  height: number;
  /** The frame at ≤ workWidth, `scale` = work pixels per frame pixel. */
  work: Rgb;
  scale: number;
  /** Full-resolution pixels of a rectangle (frame pixels, clamped to the frame). */
  region(box: { x: number; y: number; width: number; height: number }): Promise<Rgb & { x: number; y: number }>;
}

export async function openFrame(input: ImageInput, workWidth: number): Promise<Frame> {
  checkInput(input);
  const encoded = input instanceof Uint8Array ? input : undefined;
  const raw = encoded ? undefined : fromRaw(input as RawImage);
  const { width, height } = encoded ? await checkEncoded(encoded) : raw!;
  const rawSharp = () => sharp(raw!.data, { raw: { width, height, channels: 3 } });
  const source = () => (encoded ? open(encoded) : rawSharp());
  const scale = Math.min(1, workWidth / width);
  const work = scale === 1 && raw ? raw : await decode(scale === 1 ? source() : source().resize({ width: Math.round(width * scale) }));
  return {
    width,
    height,
    work,
    scale: work.width / width,
    async region(box) {
      const x = Math.max(0, Math.floor(box.x));
      const y = Math.max(0, Math.floor(box.y));
      const w = Math.min(width, Math.ceil(box.x + box.width)) - x;
      const h = Math.min(height, Math.ceil(box.y + box.height)) - y;
      if (w <= 0 || h <= 0) throw new PlateImageError('empty', 'region outside the image');
      return { ...(await decode(source().extract({ left: x, top: y, width: w, height: h }))), x, y };
    },
  };
}
