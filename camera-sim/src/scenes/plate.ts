// Chinese licence plates (GA 36-2018 look): blue and yellow 7 characters, green new-energy 8, white police.
import type { SKRSContext2D } from '@napi-rs/canvas';
import { CJK_FONT, PLATE_LATIN_FONT } from './fonts';
import type { Rng } from './rng';
import type { PlateType } from './types';

export const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const ALNUM = `${LETTERS}0123456789`;
const DIGITS = '0123456789';

export function randomPlate(rng: Rng, type: PlateType): string {
  const head = rng.pick([...PROVINCES]) + rng.pick([...LETTERS]);
  const digits = (n: number): string => Array.from({ length: n }, () => rng.pick([...DIGITS])).join('');
  switch (type) {
    case 'green':
      return head + rng.pick(['D', 'F']) + rng.pick([...ALNUM]) + digits(4);
    case 'white':
      return head + digits(4) + '警';
    default: {
      // At most two letters in the serial, as issued plates have.
      let serial = '';
      let letters = 0;
      for (let i = 0; i < 5; i++) {
        const ch = letters < 2 && rng.next() < 0.25 ? rng.pick([...LETTERS]) : rng.pick([...DIGITS]);
        if (!DIGITS.includes(ch)) letters++;
        serial += ch;
      }
      return head + serial;
    }
  }
}

const STYLE: Record<PlateType, { bg: string | [string, string]; fg: string; border: string }> = {
  blue: { bg: '#0a4aa8', fg: '#ffffff', border: '#ffffff' },
  yellow: { bg: '#f4c20d', fg: '#111111', border: '#111111' },
  green: { bg: ['#f2fbf2', '#46b04a'], fg: '#111111', border: '#2d7d32' },
  white: { bg: '#f7f7f7', fg: '#111111', border: '#111111' },
};

/** Plate aspect: 440×140 mm, new-energy 480×140 mm. */
export function plateAspect(type: PlateType): number {
  return type === 'green' ? 480 / 140 : 440 / 140;
}

export function drawPlate(ctx: SKRSContext2D, text: string, type: PlateType, x: number, y: number, w: number): void {
  const h = w / plateAspect(type);
  const st = STYLE[type];
  if (Array.isArray(st.bg)) {
    const g = ctx.createLinearGradient(0, y, 0, y + h);
    g.addColorStop(0, st.bg[0]);
    g.addColorStop(1, st.bg[1]);
    ctx.fillStyle = g;
  } else {
    ctx.fillStyle = st.bg;
  }
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, h * 0.08);
  ctx.fill();
  ctx.strokeStyle = st.border;
  ctx.lineWidth = Math.max(1, h * 0.035);
  ctx.beginPath();
  ctx.roundRect(x + h * 0.05, y + h * 0.05, w - h * 0.1, h - h * 0.1, h * 0.06);
  ctx.stroke();

  const chars = [...text];
  // Cells as on the real plate: two characters, a separator dot, then the serial.
  const pad = w * 0.04;
  const dot = w * 0.05;
  const cell = (w - 2 * pad - dot) / chars.length;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  chars.forEach((ch, i) => {
    const cx = x + pad + cell * (i + 0.5) + (i >= 2 ? dot : 0);
    const cjk = /[\u4e00-\u9fff]/.test(ch);
    ctx.fillStyle = type === 'white' && ch === '警' ? '#d01010' : st.fg;
    ctx.font = cjk ? `${h * 0.64}px "${CJK_FONT}"` : `${h * 0.74}px "${PLATE_LATIN_FONT}"`;
    ctx.save();
    ctx.translate(cx, y + h * 0.53);
    // Plate glyphs are tall and narrow (45×90 mm cells).
    const measured = ctx.measureText(ch).width;
    const sx = Math.min(1, (cell * (cjk ? 1 : 0.9)) / Math.max(1, measured));
    ctx.scale(sx, 1);
    ctx.fillText(ch, 0, 0);
    ctx.restore();
  });
  ctx.fillStyle = st.fg;
  ctx.beginPath();
  ctx.arc(x + pad + cell * 2 + dot / 2, y + h / 2, h * 0.045, 0, Math.PI * 2);
  ctx.fill();
  ctx.textAlign = 'start';
  ctx.textBaseline = 'alphabetic';
}
