// Real tight crops as training samples: the LPRNet dev half (never the test half), each drawn
// with a fresh small reframing and pixel effects per use so 512 photographs do not get memorised.
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

/**
 * One use of a real crop: reframed by a few per cent and sheared (as another detector would cut it),
 * often at a lower resolution, relit, sometimes blurred or JPEG-compressed again. 512 photographs
 * are learnt by heart within a few thousand steps otherwise (dev serials 99 %, test 83 %).
 */
export async function realSample(crop: RealCrop, rng: Rng): Promise<CropSample> {
  const f = rng.chance(0.5) ? rng.range(0.45, 1) : 1;
  const w = Math.round(INPUT_W * f);
  const h = Math.max(8, Math.round(INPUT_H * f));
  const small = createCanvas(w, h);
  const ctx = small.getContext('2d');
  const sx = rng.range(0.9, 1.1);
  const sy = rng.range(0.88, 1.14);
  ctx.fillStyle = `rgb(${rng.int(0, 200)},${rng.int(0, 200)},${rng.int(0, 200)})`;
  ctx.fillRect(0, 0, w, h);
  if (rng.chance(0.3)) ctx.filter = `blur(${(rng.range(0.3, 0.9) * f).toFixed(2)}px)`;
  ctx.translate(w / 2 + rng.gauss(w * 0.015), h / 2 + rng.gauss(h * 0.03));
  ctx.rotate(rng.gauss(0.03));
  ctx.transform(1, rng.gauss(0.02), rng.gauss(0.08), 1, 0, 0);
  ctx.drawImage(crop.image, (-w * sx) / 2, (-h * sy) / 2, w * sx, h * sy);
  const img = ctx.getImageData(0, 0, w, h);
  if (rng.chance(0.7)) pixelEffects(img.data, rng);
  ctx.putImageData(img, 0, 0);
  const source = rng.chance(0.3) ? await loadImage(small.encodeSync('jpeg', rng.int(30, 85))) : small;
  const out = createCanvas(INPUT_W, INPUT_H).getContext('2d');
  out.drawImage(source, 0, 0, INPUT_W, INPUT_H);
  return { text: crop.text, kind: 'ordinary', color: crop.color, rgb: rgbOf(out.getImageData(0, 0, INPUT_W, INPUT_H).data) };
}
