// The committed OFL font subsets (see analytics/assets/fonts), registered once per process.
import { GlobalFonts } from '@napi-rs/canvas';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ASSETS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../assets');
export const CJK_FONT = 'QlyPlateCJK';
export const LATIN_FONT = 'QlyPlateDIN';
/** A second face for letters and digits (e.g. its 1 has a foot, its 4 is closed): plates differ. */
export const LATIN_FONT_ALT = 'QlyPlateDejaVu';

let registered = false;

export function registerPlateFonts(): void {
  if (registered) return;
  const dir = path.join(ASSETS_DIR, 'fonts');
  if (!GlobalFonts.registerFromPath(path.join(dir, 'plate-cjk-bold.otf'), CJK_FONT)) throw new Error('cannot load plate-cjk-bold.otf');
  if (!GlobalFonts.registerFromPath(path.join(dir, 'plate-din.ttf'), LATIN_FONT)) throw new Error('cannot load plate-din.ttf');
  if (!GlobalFonts.registerFromPath(path.join(dir, 'plate-dejavu-condensed-bold.ttf'), LATIN_FONT_ALT)) throw new Error('cannot load plate-dejavu-condensed-bold.ttf');
  registered = true;
}
