// Synthetic training and test data: grammar-valid plate texts and realistic plate crops
// (rivets, frames, tilt, blur, noise, lighting, JPEG artefacts, dirt, partial occlusion).
// Everything derives from an Rng, so a seed reproduces a data set exactly.
import { createCanvas, loadImage, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import { ALNUM, DIGITS, LETTERS, PROVINCES, type PlateColor, type PlateKind } from './grammar';
import { CJK_FONT, CJK_FONT_ALT, CJK_FONT_LIGHT, LATIN_FONT, LATIN_FONT_ALT, LATIN_FONT_ALT_LIGHT } from './fonts';
import { renderPlate, type PlateStyle } from './render';
import type { Rng } from './rng';

export const INPUT_W = 96;
export const INPUT_H = 32;

/** Frequencies roughly as on the road: blue ~70 %, green ~15 %, every special plate still seen. */
const KIND_WEIGHTS: [PlateKind, PlateColor, number][] = [
  ['ordinary', 'blue', 70],
  ['ordinary', 'yellow', 5],
  ['ordinary', 'black', 1],
  ['learner', 'yellow', 2],
  ['trailer', 'yellow', 2],
  ['police', 'white', 3],
  ['hkmacau', 'black', 2],
  ['nev-small', 'green', 10],
  ['nev-large', 'green', 5],
];
const TOTAL_WEIGHT = KIND_WEIGHTS.reduce((s, k) => s + k[2], 0);

function serial(rng: Rng, n: number, maxLetters: number): string {
  let out = '';
  let letters = 0;
  for (let i = 0; i < n; i++) {
    const letter = letters < maxLetters && rng.chance(0.22);
    if (letter) letters++;
    out += rng.pick(letter ? LETTERS : DIGITS);
  }
  return out;
}

export function randomPlate(rng: Rng, kind?: PlateKind): { text: string; kind: PlateKind; color: PlateColor } {
  let chosen = KIND_WEIGHTS[0];
  if (kind) chosen = KIND_WEIGHTS.find((k) => k[0] === kind) ?? chosen;
  else {
    let r = rng.next() * TOTAL_WEIGHT;
    for (const k of KIND_WEIGHTS) if ((r -= k[2]) < 0) { chosen = k; break; }
  }
  const [k, color] = chosen;
  const head = rng.pick(PROVINCES) + rng.pick(LETTERS);
  const body: Record<PlateKind, () => string> = {
    ordinary: () => serial(rng, 5, 3),
    learner: () => serial(rng, 4, 2) + '学',
    trailer: () => serial(rng, 4, 2) + '挂',
    police: () => serial(rng, 4, 0) + '警',
    hkmacau: () => serial(rng, 4, 1) + rng.pick('港澳'),
    'nev-small': () => rng.pick('DF') + rng.pick(ALNUM) + serial(rng, 4, 0),
    'nev-large': () => serial(rng, 5, 0) + rng.pick('DF'),
  };
  return { text: head + body[k](), kind: k, color };
}

function randomBackdrop(ctx: SKRSContext2D, rng: Rng, w: number, h: number): void {
  // Car bodies, bumpers, grilles: a tinted gradient with a few bars.
  const base = rng.int(20, 230);
  const tint = () => Math.max(0, Math.min(255, base + rng.int(-40, 40)));
  const g = ctx.createLinearGradient(0, 0, rng.range(0, w), h);
  g.addColorStop(0, `rgb(${tint()},${tint()},${tint()})`);
  g.addColorStop(1, `rgb(${tint()},${tint()},${tint()})`);
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, w, h);
  for (let i = rng.int(0, 3); i > 0; i--) {
    ctx.fillStyle = `rgba(${tint()},${tint()},${tint()},0.7)`;
    ctx.fillRect(0, rng.range(0, h), w, rng.range(1, h / 4));
  }
}

/** Pixel effects that canvas does not do for us: noise, gain, gamma, colour cast. */
export function pixelEffects(data: Uint8ClampedArray, rng: Rng): void {
  const gain = rng.range(0.55, 1.35);
  const bias = rng.range(-35, 35);
  const cast = [rng.range(0.85, 1.15), rng.range(0.9, 1.1), rng.range(0.85, 1.15)];
  const noise = rng.chance(0.7) ? rng.range(2, 16) : 0;
  const gamma = rng.range(0.7, 1.4);
  for (let i = 0; i < data.length; i += 4) {
    for (let c = 0; c < 3; c++) {
      const v = Math.pow(data[i + c] / 255, gamma) * 255;
      data[i + c] = v * gain * cast[c] + bias + (noise ? rng.gauss(noise) : 0);
    }
  }
}

function dirtAndOcclusion(ctx: SKRSContext2D, rng: Rng, w: number, h: number): void {
  if (rng.chance(0.3)) {
    for (let i = rng.int(1, 6); i > 0; i--) {
      ctx.fillStyle = `rgba(${rng.int(60, 120)},${rng.int(50, 90)},${rng.int(30, 60)},${rng.range(0.15, 0.5)})`;
      ctx.beginPath();
      ctx.ellipse(rng.range(0, w), rng.range(0, h), rng.range(w * 0.02, w * 0.08), rng.range(h * 0.05, h * 0.2), rng.range(0, 3), 0, Math.PI * 2);
      ctx.fill();
    }
  }
  if (rng.chance(0.08)) {
    // A tow bar, a leaf or a frame edge covering part of the top or bottom, never a whole character.
    ctx.fillStyle = `rgb(${rng.int(0, 255)},${rng.int(0, 255)},${rng.int(0, 255)})`;
    const top = rng.chance(0.5);
    ctx.fillRect(rng.range(0, w * 0.8), top ? 0 : h * rng.range(0.8, 0.9), rng.range(w * 0.05, w * 0.2), h * rng.range(0.1, 0.2));
  }
  if (rng.chance(0.35)) {
    // Lighting: sun gradient or a shadow band across the plate.
    const g = ctx.createLinearGradient(rng.range(0, w), 0, rng.range(0, w), h);
    const dark = rng.chance(0.5);
    g.addColorStop(0, dark ? 'rgba(0,0,0,0.55)' : 'rgba(255,255,240,0.45)');
    g.addColorStop(rng.range(0.3, 0.7), 'rgba(0,0,0,0)');
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, w, h);
  }
}

export interface CropSample {
  text: string;
  kind: PlateKind;
  color: PlateColor;
  /** INPUT_H × INPUT_W × 3, row-major RGB. */
  rgb: Uint8Array;
}

/**
 * Real plates use neither of our faces, so the model must not learn one: three Latin faces and three
 * CJK ones, strokes from much thinner than the fonts (the real plate face is light and narrow)
 * to a little bolder, glyphs narrower than their box, and the flagless 1 of the plate face.
 */
function plateStyle(rng: Rng): PlateStyle {
  const latin = rng.next();
  const cjk = rng.next();
  return {
    scale: rng.range(0.25, 0.5),
    wear: rng.range(0, 1),
    rivets: rng.chance(0.8),
    jitter: rng.chance(0.2) ? 0 : rng.range(0.3, 1),
    latinFont: latin < 0.5 ? LATIN_FONT : latin < 0.8 ? LATIN_FONT_ALT_LIGHT : LATIN_FONT_ALT,
    cjkFont: cjk < 0.4 ? CJK_FONT_LIGHT : cjk < 0.7 ? CJK_FONT_ALT : CJK_FONT,
    weight: rng.range(-3, 2),
    glyphWidth: rng.range(0.7, 1),
    plainOne: rng.chance(0.6),
    cjkHeight: rng.chance(0.3) ? 1 : rng.range(0.65, 1),
  };
}

/** Vertical strips for the perspective: enough that the steps do not show at 96 px. */
const STRIPS = 12;

/**
 * Framing as real crops are cut: the axis-aligned box of a plate that is rotated (often by several
 * degrees), sheared and seen in perspective (one end taller), stretched to the crop's size; tight
 * (cutting the frame, sometimes a few % of the outer characters) or loose as a detector quad is.
 */
function placePlate(ctx: SKRSContext2D, plate: Canvas, rng: Rng, w: number, h: number): void {
  const angle = rng.chance(0.5) ? rng.gauss(0.03) : rng.gauss(0.1);
  const skewX = rng.gauss(0.08);
  const skewY = rng.gauss(0.03);
  const persp = rng.chance(0.5) ? rng.gauss(0.08) : 0;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  // Rotation · shear, in the plate's own units (height 1, width `aspect`).
  const m = [cos - sin * skewY, sin + cos * skewY, cos * skewX - sin, sin * skewX + cos];
  const aspect = plate.width / plate.height;
  const halfW = (Math.abs(m[0]) * aspect + Math.abs(m[2]) * (1 + Math.abs(persp))) / 2;
  const halfH = (Math.abs(m[1]) * aspect + Math.abs(m[3]) * (1 + Math.abs(persp))) / 2;
  const tight = rng.chance(0.55);
  const mx = tight ? rng.range(-0.05, 0.01) : rng.range(-0.01, 0.08);
  const my = tight ? rng.range(-0.15, 0) : rng.range(-0.05, 0.25);
  ctx.save();
  ctx.translate(w / 2 + rng.gauss(w * 0.015), h / 2 + rng.gauss(h * 0.03));
  ctx.scale(w / (2 * halfW * (1 + 2 * mx)), h / (2 * halfH * (1 + 2 * my)));
  ctx.transform(m[0], m[1], m[2], m[3], 0, 0);
  const sw = plate.width / STRIPS;
  for (let i = 0; i < STRIPS; i++) {
    const sh = 1 + persp * ((2 * (i + 0.5)) / STRIPS - 1);
    // A hair wider than the strip, so no seams show between strips.
    ctx.drawImage(plate, i * sw, 0, sw, plate.height, -aspect / 2 + (i * aspect) / STRIPS, -sh / 2, (aspect / STRIPS) * 1.04, sh);
  }
  ctx.restore();
}

/**
 * A plate as the detector would hand it over: roughly rectified, loosely framed, at any
 * resolution the camera gives. `hard` widens every range (training); the held-out set uses it too.
 */
export async function makeCropSample(rng: Rng, opts: { jpeg?: boolean } = {}): Promise<CropSample> {
  const plate = randomPlate(rng);
  const plateCanvas = renderPlate(plate.text, plate.color, rng, plateStyle(rng));

  // Resolution loss: compose at a fraction of the input size, then scale up.
  const f = rng.chance(0.6) ? rng.range(0.4, 1) : 1;
  const w = Math.max(24, Math.round(INPUT_W * f));
  const h = Math.max(8, Math.round(INPUT_H * f));
  const small = createCanvas(w, h);
  const ctx = small.getContext('2d');
  randomBackdrop(ctx, rng, w, h);

  if (rng.chance(0.45)) ctx.filter = `blur(${rng.range(0.3, 1).toFixed(2)}px)`;
  placePlate(ctx, plateCanvas, rng, w, h);
  ctx.filter = 'none';
  dirtAndOcclusion(ctx, rng, w, h);

  const img = ctx.getImageData(0, 0, w, h);
  pixelEffects(img.data, rng);
  ctx.putImageData(img, 0, 0);

  let source: Canvas | Awaited<ReturnType<typeof loadImage>> = small;
  if (opts.jpeg ?? rng.chance(0.3)) source = await loadImage(small.encodeSync('jpeg', rng.int(25, 80)));
  const out = createCanvas(INPUT_W, INPUT_H);
  const octx = out.getContext('2d');
  octx.drawImage(source, 0, 0, INPUT_W, INPUT_H);
  return { text: plate.text, kind: plate.kind, color: plate.color, rgb: rgbOf(octx.getImageData(0, 0, INPUT_W, INPUT_H).data) };
}

/** Canvas RGBA → the model's RGB rows. */
export function rgbOf(px: Uint8ClampedArray): Uint8Array {
  const rgb = new Uint8Array((px.length / 4) * 3);
  for (let i = 0, j = 0; i < px.length; i += 4, j += 3) {
    rgb[j] = px[i];
    rgb[j + 1] = px[i + 1];
    rgb[j + 2] = px[i + 2];
  }
  return rgb;
}
