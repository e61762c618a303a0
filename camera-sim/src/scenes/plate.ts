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

/**
 * GA 36-2018 geometry in millimetres. Ordinary plates: 440×140, characters 45×90, 12 mm apart, and
 * 34 mm between the 2nd and 3rd character (12 + a 10 mm separator dot + 12). New-energy plates:
 * 480×140, characters 43×90, 9 mm apart, 49 mm around the dot. Characters sit 25 mm from the top.
 */
interface PlateGeometry {
  width: number;
  charW: number;
  gap: number;
  dotGap: number;
}
const PLATE_H_MM = 140;
const CHAR_H_MM = 90;
const DOT_MM = 10;
const ORDINARY: PlateGeometry = { width: 440, charW: 45, gap: 12, dotGap: 34 };
const NEW_ENERGY: PlateGeometry = { width: 480, charW: 43, gap: 9, dotGap: 49 };

function geometryOf(type: PlateType): PlateGeometry {
  return type === 'green' ? NEW_ENERGY : ORDINARY;
}

/** Plate aspect: 440×140 mm, new-energy 480×140 mm. */
export function plateAspect(type: PlateType): number {
  return geometryOf(type).width / PLATE_H_MM;
}

/** Left edges (mm) of the character cells, the row centred on the plate. */
function charLefts(g: PlateGeometry, n: number): number[] {
  const row = n * g.charW + (n - 2) * g.gap + g.dotGap;
  let x = (g.width - row) / 2;
  return Array.from({ length: n }, (_, i) => {
    const left = x;
    x += g.charW + (i === 1 ? g.dotGap : g.gap);
    return left;
  });
}

export function drawPlate(ctx: SKRSContext2D, text: string, type: PlateType, x: number, y: number, w: number): void {
  const g = geometryOf(type);
  const mm = w / g.width;
  const h = PLATE_H_MM * mm;
  const st = STYLE[type];
  if (Array.isArray(st.bg)) {
    const grad = ctx.createLinearGradient(0, y, 0, y + h);
    grad.addColorStop(0, st.bg[0]);
    grad.addColorStop(1, st.bg[1]);
    ctx.fillStyle = grad;
  } else {
    ctx.fillStyle = st.bg;
  }
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, 10 * mm);
  ctx.fill();
  ctx.strokeStyle = st.border;
  ctx.lineWidth = Math.max(1, 3 * mm);
  ctx.beginPath();
  ctx.roundRect(x + 5 * mm, y + 5 * mm, w - 10 * mm, h - 10 * mm, 8 * mm);
  ctx.stroke();

  const chars = [...text];
  const lefts = charLefts(g, chars.length);
  const top = y + ((PLATE_H_MM - CHAR_H_MM) / 2) * mm;
  chars.forEach((ch, i) => {
    const cjk = /[\u4e00-\u9fff]/.test(ch);
    ctx.fillStyle = type === 'white' && ch === '警' ? '#d01010' : st.fg;
    drawGlyph(ctx, ch, cjk ? CJK_PLATE_FONT : `100px "${PLATE_LATIN_FONT}"`, x + lefts[i] * mm, top, g.charW * mm, CHAR_H_MM * mm);
  });
  ctx.fillStyle = st.fg;
  ctx.beginPath();
  ctx.arc(x + (lefts[1] + g.charW + g.dotGap / 2) * mm, y + h / 2, (DOT_MM / 2) * mm, 0, Math.PI * 2);
  ctx.fill();
}

/**
 * Plates print simplified-Chinese glyph forms: the collection's first face (Japanese) draws e.g. 沪
 * with 戸 and 渝 with 兪, so the SC face comes first when the system has it.
 */
const CJK_PLATE_FONT = `bold 100px "Noto Sans CJK SC", "${CJK_FONT}"`;

/** One glyph, its ink stretched to the cell's height and at most its width (a 1 stays narrow). */
function drawGlyph(ctx: SKRSContext2D, ch: string, font: string, x: number, y: number, w: number, h: number): void {
  ctx.font = font;
  const m = ctx.measureText(ch);
  const inkW = m.actualBoundingBoxLeft + m.actualBoundingBoxRight;
  const inkH = m.actualBoundingBoxAscent + m.actualBoundingBoxDescent;
  const sy = h / inkH;
  const sx = Math.min(w / inkW, sy * 1.4);
  ctx.save();
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.translate(x + (w - inkW * sx) / 2, y);
  ctx.scale(sx, sy);
  ctx.fillText(ch, m.actualBoundingBoxLeft, m.actualBoundingBoxAscent);
  ctx.restore();
}
