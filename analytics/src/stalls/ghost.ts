// A "ghost" is the hole an object leaves in the long-term background when it goes away (a van
// that was parked while the model was learnt, a stall that was there at start-up). It looks
// exactly like something that arrived and stays. Objects have their own contour in the current
// image; a ghost's contour is in the background instead. Compare edge energy on the blob border.

/** Luminance gradient magnitude at pixel i of an interleaved RGB (or background) accessor. */
function gradient(lum: (i: number) => number, i: number, width: number, height: number): number {
  const x = i % width;
  const y = (i - x) / width;
  const xl = x > 0 ? i - 1 : i;
  const xr = x < width - 1 ? i + 1 : i;
  const yu = y > 0 ? i - width : i;
  const yd = y < height - 1 ? i + width : i;
  return Math.abs(lum(xr) - lum(xl)) + Math.abs(lum(yd) - lum(yu));
}

/**
 * True when the border of the blob (pixels of `fg` inside `pixels` with a 4-neighbour outside
 * `fg`) has clearly more edge energy in the background than in the current image. Border pixels
 * that are `moving` (a passer-by crossing the blob) are left out: their edges belong to neither.
 */
export function isGhost(
  pixels: Int32Array,
  fg: Uint8Array,
  moving: Uint8Array,
  current: (i: number) => number,
  background: (i: number) => number,
  width: number,
  height: number,
): boolean {
  let eCur = 0;
  let eBg = 0;
  let border = 0;
  for (let j = 0; j < pixels.length; j++) {
    const i = pixels[j];
    if (!fg[i] || moving[i]) continue;
    const x = i % width;
    const onBorder = (x > 0 && !fg[i - 1]) || (x < width - 1 && !fg[i + 1]) || (i >= width && !fg[i - width]) || (i + width < fg.length && !fg[i + width]);
    if (!onBorder) continue;
    border++;
    eCur += gradient(current, i, width, height);
    eBg += gradient(background, i, width, height);
  }
  if (border < 8) return false;
  // Margins: textured ground gives both images edges; only a clear imbalance is a ghost.
  return eBg > 1.6 * eCur && (eBg - eCur) / border > 12;
}
