// Whole synthetic gate scenes for detection tests and evaluation: a street backdrop with signs
// and stripes (hard negatives), a car front with its plate at bumper height, tilted and scaled as
// a barrier camera sees it, then sensor noise and JPEG. Ground truth: text, colour, quad.
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { CJK_FONT, registerPlateFonts } from './fonts';
import type { PlateColor } from './grammar';
import { renderPlate } from './render';
import type { Rng } from './rng';
import { randomPlate } from './synth';

export interface Point {
  x: number;
  y: number;
}

export interface ScenePlate {
  text: string;
  color: PlateColor;
  /** Corners clockwise from top-left, in image pixels. */
  quad: [Point, Point, Point, Point];
}

export interface Scene {
  jpeg: Buffer;
  width: number;
  height: number;
  plates: ScenePlate[];
}

function backdrop(ctx: SKRSContext2D, rng: Rng, w: number, h: number): void {
  const g = ctx.createLinearGradient(0, 0, 0, h);
  g.addColorStop(0, `hsl(${rng.int(180, 230)},20%,${rng.int(55, 80)}%)`);
  g.addColorStop(0.45, `hsl(0,0%,${rng.int(30, 60)}%)`);
  g.addColorStop(1, `hsl(0,0%,${rng.int(20, 45)}%)`);
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, w, h);
  // Buildings, lane stripes and a blue shop sign with white characters (looks like a plate).
  for (let i = rng.int(3, 7); i > 0; i--) {
    ctx.fillStyle = `hsl(${rng.int(0, 360)},${rng.int(0, 30)}%,${rng.int(30, 80)}%)`;
    ctx.fillRect(rng.range(0, w), rng.range(0, h * 0.3), rng.range(w * 0.05, w * 0.3), rng.range(h * 0.1, h * 0.4));
  }
  ctx.fillStyle = '#e8e8e0';
  for (let i = 0; i < 6; i++) ctx.fillRect(i * w * 0.2 + rng.range(0, 40), h * 0.92, w * 0.08, h * 0.015);
  if (rng.chance(0.7)) {
    registerPlateFonts();
    const sw = rng.range(w * 0.15, w * 0.3);
    const sx = rng.range(0, w - sw);
    const sy = rng.range(h * 0.02, h * 0.2);
    ctx.fillStyle = rng.pick(['#0b45b2', '#1c7c2e', '#b01818', '#f0c000']);
    ctx.fillRect(sx, sy, sw, sw / 4.5);
    ctx.fillStyle = '#ffffff';
    ctx.font = `${Math.round(sw / 7)}px ${CJK_FONT}`;
    ctx.fillText('京津沪渝粤苏浙川'.slice(0, rng.int(3, 6)), sx + sw * 0.08, sy + sw / 6);
  }
}

function car(ctx: SKRSContext2D, rng: Rng, cx: number, cy: number, width: number): { plateX: number; plateY: number } {
  const body = `hsl(${rng.int(0, 360)},${rng.int(0, 60)}%,${rng.int(10, 85)}%)`;
  const h = width * 0.55;
  ctx.fillStyle = body;
  ctx.beginPath();
  ctx.roundRect(cx - width / 2, cy - h / 2, width, h, width * 0.08);
  ctx.fill();
  ctx.fillStyle = 'rgba(30,40,50,0.9)'; // windscreen
  ctx.fillRect(cx - width * 0.38, cy - h / 2 + h * 0.05, width * 0.76, h * 0.32);
  ctx.fillStyle = '#f5f5dc'; // headlights
  ctx.fillRect(cx - width * 0.46, cy + h * 0.02, width * 0.16, h * 0.1);
  ctx.fillRect(cx + width * 0.3, cy + h * 0.02, width * 0.16, h * 0.1);
  ctx.fillStyle = 'rgba(20,20,20,0.85)'; // grille
  ctx.fillRect(cx - width * 0.22, cy + h * 0.0, width * 0.44, h * 0.12);
  return { plateX: cx, plateY: cy + h * 0.3 };
}

/** One vehicle per scene, plate between `minPlateW` and `maxPlateW` pixels wide. */
export async function makeScene(rng: Rng, opts: { width?: number; height?: number; minPlateW?: number; maxPlateW?: number } = {}): Promise<Scene> {
  const w = opts.width ?? 1920;
  const h = opts.height ?? 1080;
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  backdrop(ctx, rng, w, h);
  const plate = randomPlate(rng);
  const plateW = rng.range(opts.minPlateW ?? 110, opts.maxPlateW ?? 320);
  const carW = plateW * rng.range(4, 5.5);
  const { plateX, plateY } = car(ctx, rng, rng.range(carW / 2, w - carW / 2), rng.range(h * 0.45, h * 0.75), carW);
  const img = renderPlate(plate.text, plate.color, rng, { scale: Math.min(1, (plateW / 440) * 1.5), wear: rng.range(0, 0.6), rivets: true });
  const plateH = plateW * (img.height / img.width);
  const angle = rng.gauss(0.04);
  const shear = rng.gauss(0.06);
  // Affine matrix [a c e; b d f] used for both drawing and the truth quad.
  const a = Math.cos(angle);
  const b = Math.sin(angle);
  const c = -Math.sin(angle) + shear * Math.cos(angle);
  const d = Math.cos(angle) + shear * Math.sin(angle);
  ctx.save();
  ctx.setTransform(a, b, c, d, plateX, plateY);
  ctx.drawImage(img, -plateW / 2, -plateH / 2, plateW, plateH);
  ctx.restore();
  const map = (x: number, y: number): Point => ({ x: a * x + c * y + plateX, y: b * x + d * y + plateY });
  const quad: ScenePlate['quad'] = [map(-plateW / 2, -plateH / 2), map(plateW / 2, -plateH / 2), map(plateW / 2, plateH / 2), map(-plateW / 2, plateH / 2)];

  if (rng.chance(0.4)) {
    const g = ctx.createLinearGradient(0, 0, w, h);
    g.addColorStop(0, `rgba(0,0,0,${rng.range(0, 0.4)})`);
    g.addColorStop(1, `rgba(255,255,230,${rng.range(0, 0.25)})`);
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, w, h);
  }
  return { jpeg: canvas.encodeSync('jpeg', rng.int(60, 92)), width: w, height: h, plates: [{ text: plate.text, color: plate.color, quad }] };
}
