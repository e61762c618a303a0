// Analytics frames are at most 640×360 (or the requested width), aspect kept, even sizes.
export const MAX_FRAME_WIDTH = 640;
export const MAX_FRAME_HEIGHT = 360;

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);

export function frameSize(srcWidth: number, srcHeight: number, requestedWidth = MAX_FRAME_WIDTH): { width: number; height: number } {
  if (!(srcWidth > 0 && srcHeight > 0)) throw new Error(`bad source size ${srcWidth}x${srcHeight}`);
  let width = Math.min(requestedWidth, MAX_FRAME_WIDTH, srcWidth);
  let height = (srcHeight * width) / srcWidth;
  if (height > MAX_FRAME_HEIGHT) {
    height = MAX_FRAME_HEIGHT;
    width = (srcWidth * height) / srcHeight;
  }
  return { width: even(width), height: even(height) };
}
