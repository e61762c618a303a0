// Real tight crops as training samples: the LPRNet dev half (never the test half), each drawn
// with a fresh small reframing and pixel effects per use (the 512 are still learnt by heart within
// a few thousand steps: dev serials 99 %, test 83 %; more real crops, not more of these, would help).
// Synthetic plates teach every province, colour and layout; these teach what a real camera's
// plate face, blur and lighting look like, which no committed font reproduces.
import { createCanvas, loadImage, type Image } from '@napi-rs/canvas';
import { readFileSync } from 'node:fs';
import type { PlateColor } from './grammar';
import { lprnetCrops } from './evaluate';
import type { Rng } from './rng';
import { INPUT_H, INPUT_W, pixelEffects, rgbOf, type CropSample } from './synth';

export interface RealCrop {
  text: string;
  color: PlateColor;
  image: Image;
}

export async function loadRealCrops(): Promise<RealCrop[]> {
  const out: RealCrop[] = [];
  for (const { file, text } of lprnetCrops('dev')) {
    // Every crop of the set is an ordinary blue plate (looked at: the few whose paint measures
    // black, cyan or purple are blue plates under odd light), so the file name is the whole label.
    out.push({ text, color: 'blue', image: await loadImage(readFileSync(file)) });
  }
  return out;
}

/** One use of a real crop: reframed by a few per cent (as another detector would cut it), relit, sometimes blurred. */
export function realSample(crop: RealCrop, rng: Rng): CropSample {
  const out = createCanvas(INPUT_W, INPUT_H);
  const ctx = out.getContext('2d');
  const sx = rng.range(0.92, 1.08);
  const sy = rng.range(0.9, 1.12);
  ctx.fillStyle = `rgb(${rng.int(0, 200)},${rng.int(0, 200)},${rng.int(0, 200)})`;
  ctx.fillRect(0, 0, INPUT_W, INPUT_H);
  if (rng.chance(0.25)) ctx.filter = `blur(${rng.range(0.3, 0.9).toFixed(2)}px)`;
  ctx.translate(INPUT_W / 2 + rng.gauss(INPUT_W * 0.015), INPUT_H / 2 + rng.gauss(INPUT_H * 0.03));
  ctx.rotate(rng.gauss(0.03));
  ctx.drawImage(crop.image, (-INPUT_W * sx) / 2, (-INPUT_H * sy) / 2, INPUT_W * sx, INPUT_H * sy);
  const img = ctx.getImageData(0, 0, INPUT_W, INPUT_H);
  if (rng.chance(0.7)) pixelEffects(img.data, rng);
  return { text: crop.text, kind: 'ordinary', color: crop.color, rgb: rgbOf(img.data) };
}
