// System fonts from Debian packages (fonts-noto-cjk, fonts-dejavu-core): nothing is downloaded.
import { existsSync } from 'node:fs';
import { GlobalFonts } from '@napi-rs/canvas';

export const CJK_FONT = 'QLY CJK';
export const PLATE_LATIN_FONT = 'QLY Plate Latin';

const CANDIDATES: [string, string[]][] = [
  [CJK_FONT, ['/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc', '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc']],
  [PLATE_LATIN_FONT, ['/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf']],
];

let registered = false;

export function ensureFonts(): void {
  if (registered) return;
  registered = true;
  for (const [alias, paths] of CANDIDATES) {
    const found = paths.find((p) => existsSync(p));
    if (!found) throw new Error(`font for "${alias}" missing: install one of ${paths.join(', ')}`);
    GlobalFonts.registerFromPath(found, alias);
  }
}
