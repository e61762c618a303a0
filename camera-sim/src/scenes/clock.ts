// `clock`: drawn live from the camera's clock. The block code (clock-code.ts) carries the capture
// time in ms; the large digits and the sweeping bar are for people.
import type { SKRSContext2D } from '@napi-rs/canvas';
import { clockCodeBlocks, CODE_COLUMNS } from './clock-code';
import { ensureFonts, PLATE_LATIN_FONT } from './fonts';

const COLOURS: Record<string, string> = { w: '#ffffff', k: '#000000', g: '#808080' };

/** Draws the clock frame for `ms` into a width×height context (any 16:9 size). */
export function drawClock(ctx: SKRSContext2D, width: number, height: number, ms: number, label: string): void {
  ensureFonts();
  ctx.fillStyle = '#1b2631';
  ctx.fillRect(0, 0, width, height);
  const b = width / CODE_COLUMNS;
  ctx.fillStyle = '#808080';
  ctx.fillRect(0, 0, width, 4 * b);
  clockCodeBlocks(ms).forEach((c, i) => {
    ctx.fillStyle = COLOURS[c];
    // Whole-pixel edges keep blocks crisp after scaling.
    ctx.fillRect(Math.round(i * b), Math.round(b), Math.round((i + 1) * b) - Math.round(i * b), Math.round(3 * b) - Math.round(b));
  });
  const d = new Date(ms);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const text = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
  ctx.fillStyle = '#f4f6f7';
  ctx.textAlign = 'center';
  ctx.font = `${Math.round(height * 0.2)}px "${PLATE_LATIN_FONT}"`;
  ctx.fillText(text, width / 2, height * 0.58);
  ctx.font = `${Math.round(height * 0.06)}px "${PLATE_LATIN_FONT}"`;
  ctx.fillText(`${label} UTC`, width / 2, height * 0.72);
  ctx.textAlign = 'start';
  const phase = (ms % 1000) / 1000;
  ctx.fillStyle = '#e74c3c';
  ctx.fillRect(phase * (width - width / 20), height * 0.82, width / 20, height * 0.1);
}
