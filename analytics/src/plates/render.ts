// Draws a clean mainland plate to GA 36-2018 proportions (millimetres scaled to pixels):
// 440×140 for 7 characters (45×90 each, 12 apart, a 34 mm gap with a dot after the 2nd),
// 480×140 for 8-character new-energy plates.
import { createCanvas, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import { CJK_FONT, LATIN_FONT, registerPlateFonts } from './fonts';
import { PROVINCES, SUFFIXES, type PlateColor } from './grammar';
import type { Rng } from './rng';

interface Palette {
  background: (ctx: SKRSContext2D, w: number, h: number) => void;
  ink: string;
  frame: string;
}

const solid = (color: string) => (ctx: SKRSContext2D, w: number, h: number) => {
  ctx.fillStyle = color;
  ctx.fillRect(0, 0, w, h);
};

function greenGradient(ctx: SKRSContext2D, w: number, h: number, large: boolean): void {
  // Small NEV plates fade white→green top to bottom; large ones yellow→green left to right.
  const g = large ? ctx.createLinearGradient(0, 0, w, 0) : ctx.createLinearGradient(0, 0, 0, h);
  g.addColorStop(0, large ? '#f4d23c' : '#f2fbf2');
  g.addColorStop(large ? 0.3 : 0.15, large ? '#c8e04a' : '#c9efc9');
  g.addColorStop(1, '#3dbb5a');
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, w, h);
}

function palette(color: PlateColor, largeNev: boolean, blue: string): Palette {
  switch (color) {
    case 'blue':
      return { background: solid(blue), ink: '#f4f6f8', frame: '#f4f6f8' };
    case 'yellow':
      return { background: solid('#f3bd12'), ink: '#111111', frame: '#111111' };
    case 'green':
      return { background: (c, w, h) => greenGradient(c, w, h, largeNev), ink: '#111111', frame: '#111111' };
    case 'white':
      return { background: solid('#f2f2ee'), ink: '#111111', frame: '#111111' };
    case 'black':
      return { background: solid('#141414'), ink: '#f4f6f8', frame: '#f4f6f8' };
  }
}

/** The standard's blue (#0b45b2), varied with `jitter` towards the lighter, cyan blues of real plates. */
function bluePaint(rng: Rng, jitter: number): string {
  const c = (base: number, lo: number, hi: number) => Math.round(base + rng.range(lo, hi) * jitter);
  return `rgb(${c(11, -10, 30)},${c(69, -25, 60)},${c(178, -40, 50)})`;
}

export interface PlateStyle {
  /** Pixels per millimetre. */
  scale: number;
  /** Per-character jitter of ink weight and position, as on worn or cheaply made plates. */
  wear: number;
  rivets: boolean;
  inkColor?: string;
  /**
   * 0 draws the standard's layout exactly; 1 varies it as real plates and other renderers do
   * (character width ±10 %, gaps ±30 %, the whole row shifted a few mm, the blue paint's shade),
   * so the recognizer's slots do not depend on one exact layout.
   */
  jitter?: number;
  /** Font families for letters and digits, and for provinces and suffixes (fonts.ts). */
  latinFont?: string;
  cjkFont?: string;
  /** Extra stroke width in mm: positive thickens the ink, negative thins it (eroded with paint). */
  weight?: number;
  /** Share of its box a glyph's ink spans across (1: the full 45 mm; real faces are narrower). */
  glyphWidth?: number;
  /** Draws 1 as a plain bar, as the plate face does (DIN's and DejaVu's 1 have a flag). */
  plainOne?: boolean;
  /** Share of its box's height a province or suffix glyph spans (real ones are squatter than 90 mm). */
  cjkHeight?: number;
}

export const CLEAN_STYLE: PlateStyle = { scale: 1, wear: 0, rivets: true };

interface Layout {
  boxes: { x: number; w: number }[];
  top: number;
  height: number;
}

function layout(n: number, rng: Rng, jitter: number): Layout {
  // Millimetre layout from GA 36-2018 (new-energy: 43 mm characters, 9 mm apart, 49 mm gap).
  const u = (spread: number) => 1 + rng.range(-spread, spread) * jitter;
  const w = (n === 8 ? 43 : 45) * u(0.1);
  const gap = (n === 8 ? 9 : 12) * u(0.3);
  const dotGap = (n === 8 ? 49 : 34) * u(0.25);
  const total = n * w + (n - 2) * gap + dotGap;
  let x = (plateSizeMm(n).w - total) / 2 + rng.range(-4, 4) * jitter;
  const boxes = Array.from({ length: n }, (_, i) => {
    const box = { x, w };
    x += w + (i === 1 ? dotGap : gap);
    return box;
  });
  const height = 90 * u(0.06);
  return { boxes, height, top: (140 - height) / 2 + rng.range(-4, 4) * jitter };
}

export function plateSizeMm(length: number): { w: number; h: number } {
  return { w: length === 8 ? 480 : 440, h: 140 };
}

interface Glyph {
  font: string;
  cjkFont: string;
  weight: number;
  /** Share of the box width the ink spans at most. */
  width: number;
  plainOne: boolean;
  cjkHeight: number;
  paint: SKRSContext2D['fillStyle'];
}

/** The plate face's stem: 10 mm of a 90 mm character (GA 36-2018). */
const STEM = 10 / 90;

function drawChar(ctx: SKRSContext2D, ch: string, x: number, y: number, w: number, h: number, g: Glyph): void {
  if (ch === '1' && g.plainOne) {
    const stem = Math.max(1, h * STEM + g.weight);
    ctx.fillRect(x + (w - stem) / 2, y, stem, h);
    return;
  }
  const cjk = PROVINCES.includes(ch) || SUFFIXES.includes(ch);
  if (cjk) {
    y += (h * (1 - g.cjkHeight)) / 2;
    h *= g.cjkHeight;
  }
  ctx.font = `${cjk ? 100 : 120}px ${cjk ? g.cjkFont : g.font}`;
  const m = ctx.measureText(ch);
  const inkW = m.actualBoundingBoxLeft + m.actualBoundingBoxRight;
  const inkH = m.actualBoundingBoxAscent + m.actualBoundingBoxDescent;
  // Narrow glyphs (1) keep their own width instead of being stretched into a slab.
  const sx = Math.min((w * g.width) / inkW, (h / inkH) * 1.4);
  const sy = h / inkH;
  ctx.save();
  ctx.translate(x + (w - inkW * sx) / 2, y);
  ctx.scale(sx, sy);
  ctx.fillText(ch, m.actualBoundingBoxLeft, m.actualBoundingBoxAscent);
  if (g.weight !== 0) {
    // Bolder or lighter strokes than the font: outline in ink, or erode with the plate's paint.
    ctx.lineWidth = Math.abs(g.weight) / sy;
    ctx.lineJoin = 'round';
    ctx.strokeStyle = g.weight > 0 ? (ctx.fillStyle as string) : g.paint;
    ctx.strokeText(ch, m.actualBoundingBoxLeft, m.actualBoundingBoxAscent);
  }
  ctx.restore();
}

/** Renders the plate; `rng` varies wear and ink, so the same text differs between samples. */
export function renderPlate(text: string, color: PlateColor, rng: Rng, style: PlateStyle = CLEAN_STYLE): Canvas {
  registerPlateFonts();
  const chars = [...text];
  const mm = plateSizeMm(chars.length);
  const canvas = createCanvas(Math.round(mm.w * style.scale), Math.round(mm.h * style.scale));
  const ctx = canvas.getContext('2d');
  ctx.scale(style.scale, style.scale);
  const largeNev = color === 'green' && 'DF'.includes(chars[chars.length - 1]);
  const jitter = style.jitter ?? 0;
  const pal = palette(color, largeNev, bluePaint(rng, jitter));
  pal.background(ctx, mm.w, mm.h);
  const paint = ctx.fillStyle;

  ctx.strokeStyle = pal.frame;
  ctx.lineWidth = 2.5;
  ctx.beginPath();
  ctx.roundRect(4, 4, mm.w - 8, mm.h - 8, 8);
  ctx.stroke();

  const lay = layout(chars.length, rng, jitter);
  const glyph: Glyph = { font: style.latinFont ?? LATIN_FONT, cjkFont: style.cjkFont ?? CJK_FONT, weight: style.weight ?? 0, width: style.glyphWidth ?? 1, plainOne: style.plainOne ?? false, cjkHeight: style.cjkHeight ?? 1, paint };
  const boxes = lay.boxes;
  chars.forEach((ch, i) => {
    const b = boxes[i];
    const j = style.wear;
    ctx.fillStyle = ch === '警' || ch === '学' ? (color === 'white' ? '#c8141e' : (style.inkColor ?? pal.ink)) : (style.inkColor ?? pal.ink);
    drawChar(ctx, ch, b.x + rng.gauss(j * 2), lay.top + rng.gauss(j * 2), b.w * (1 + rng.gauss(j * 0.04)), lay.height * (1 + rng.gauss(j * 0.03)), glyph);
  });
  // Separator dot between the province/authority pair and the serial.
  ctx.fillStyle = pal.ink;
  ctx.beginPath();
  ctx.arc(boxes[1].x + boxes[1].w + (boxes[2].x - boxes[1].x - boxes[1].w) / 2, lay.top + lay.height / 2, 5, 0, Math.PI * 2);
  ctx.fill();

  if (style.rivets) {
    for (const rx of [boxes[1].x + boxes[1].w / 2, boxes[chars.length - 2].x + boxes[chars.length - 2].w / 2]) {
      const g = ctx.createRadialGradient(rx - 2, 12, 1, rx, 14, 7);
      g.addColorStop(0, '#f0f0f0');
      g.addColorStop(1, '#6a6a6a');
      ctx.fillStyle = g;
      ctx.beginPath();
      ctx.arc(rx, 14, 6, 0, Math.PI * 2);
      ctx.fill();
    }
  }
  return canvas;
}
