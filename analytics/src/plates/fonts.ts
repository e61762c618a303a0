// The committed font subsets (see analytics/assets/fonts), registered once per process.
import { GlobalFonts } from '@napi-rs/canvas';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ASSETS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../assets');
export const CJK_FONT = 'QlyPlateCJK';
/** Thinner provinces: real plates' province glyphs are lighter than Noto Sans CJK Bold. */
export const CJK_FONT_LIGHT = 'QlyPlateCJKRegular';
/** A third province design (Droid Sans Fallback), so the model does not learn Noto's. */
export const CJK_FONT_ALT = 'QlyPlateCJKDroid';
export const LATIN_FONT = 'QlyPlateDIN';
/** A second face for letters and digits (e.g. its 1 has a foot, its 4 is closed): plates differ. */
export const LATIN_FONT_ALT = 'QlyPlateDejaVu';
/** The second face in its regular weight, nearer the real plates' thin strokes. */
export const LATIN_FONT_ALT_LIGHT = 'QlyPlateDejaVuBook';

const FILES: [string, string][] = [
  ['plate-cjk-bold.otf', CJK_FONT],
  ['plate-cjk-regular.otf', CJK_FONT_LIGHT],
  ['plate-cjk-droid.ttf', CJK_FONT_ALT],
  ['plate-din.ttf', LATIN_FONT],
  ['plate-dejavu-condensed-bold.ttf', LATIN_FONT_ALT],
  ['plate-dejavu-condensed.ttf', LATIN_FONT_ALT_LIGHT],
];

let registered = false;

export function registerPlateFonts(): void {
  if (registered) return;
  const dir = path.join(ASSETS_DIR, 'fonts');
  for (const [file, family] of FILES) if (!GlobalFonts.registerFromPath(path.join(dir, file), family)) throw new Error(`cannot load ${file}`);
  registered = true;
}
