// Turns an input frame (RGBA/RGB/gray, any size) into the small blurred RGB image the detector
// works on. OpenCV does the colour conversion, area resize and blur; Mats are reused per size.
import type { CV } from './cv';
import { FrameError } from './errors';
import type { Frame } from './types';

const CHANNELS = { rgba: 4, rgb: 3, gray: 1 } as const;
const MAX_SIDE = 4096;

type Mat = InstanceType<CV['Mat']>;

export function checkFrame(frame: Frame): void {
  const { width, height, format, data } = frame;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 16 || height < 16 || width > MAX_SIDE || height > MAX_SIDE) {
    throw new FrameError(`bad frame size ${width}×${height}`);
  }
  const ch = CHANNELS[format];
  if (!ch) throw new FrameError(`unknown pixel format ${String(format)}`);
  if (!data || data.length !== width * height * ch) throw new FrameError(`frame has ${data?.length ?? 0} bytes, expected ${width * height * ch}`);
}

export function workSize(width: number, height: number, maxWidth: number): { width: number; height: number } {
  const scale = Math.min(1, maxWidth / width);
  return { width: Math.max(16, Math.round(width * scale)), height: Math.max(16, Math.round(height * scale)) };
}

export class FramePrep {
  private src: Mat | undefined;
  private srcKey = '';
  private readonly rgb: Mat;
  private readonly small: Mat;
  private readonly out: Uint8Array;

  constructor(
    private readonly cv: CV,
    readonly width: number,
    readonly height: number,
  ) {
    this.rgb = new cv.Mat();
    this.small = new cv.Mat();
    this.out = new Uint8Array(width * height * 3);
  }

  /** Returns the work image (RGB, width×height); the array is reused by the next call. */
  run(frame: Frame): Uint8Array {
    checkFrame(frame);
    const { cv } = this;
    const key = `${frame.width}x${frame.height}:${frame.format}`;
    if (key !== this.srcKey) {
      this.src?.delete();
      const type = frame.format === 'rgba' ? cv.CV_8UC4 : frame.format === 'rgb' ? cv.CV_8UC3 : cv.CV_8UC1;
      this.src = new cv.Mat(frame.height, frame.width, type);
      this.srcKey = key;
    }
    const src = this.src as Mat;
    src.data.set(frame.data);
    if (frame.format === 'rgba') cv.cvtColor(src, this.rgb, cv.COLOR_RGBA2RGB);
    else if (frame.format === 'gray') cv.cvtColor(src, this.rgb, cv.COLOR_GRAY2RGB);
    else src.copyTo(this.rgb);
    if (this.rgb.cols !== this.width || this.rgb.rows !== this.height) {
      cv.resize(this.rgb, this.small, new cv.Size(this.width, this.height), 0, 0, cv.INTER_AREA);
    } else {
      this.rgb.copyTo(this.small);
    }
    // A light blur takes out sensor noise and compression blocking before per-pixel tests.
    cv.GaussianBlur(this.small, this.small, new cv.Size(3, 3), 0, 0, cv.BORDER_REPLICATE);
    // Copy out: views into the wasm heap are invalidated when the heap grows.
    this.out.set(this.small.data);
    return this.out;
  }

  dispose(): void {
    this.src?.delete();
    this.rgb.delete();
    this.small.delete();
  }
}
