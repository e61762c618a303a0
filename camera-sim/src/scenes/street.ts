// `street`: a metro exit with passers-by; at known times a vendor lays out goods inside a zone and
// stays for minutes (sometimes walking off while the goods stay). Variants: day, dusk, crowd.
import type { SKRSContext2D } from '@napi-rs/canvas';
import { clamp01, dusk, lerp, prerender } from './backdrop';
import { CJK_FONT, ensureFonts } from './fonts';
import { drawPerson, randomLook, type PersonLook } from './person';
import { Rng, seedOf } from './rng';
import { FPS, LOGICAL_HEIGHT as H, LOGICAL_WIDTH as W, type Box, type SceneRenderer, type StallTruth, type StreetTruth } from './types';

export const STREET_VARIANTS = ['day', 'dusk', 'crowd'] as const;
const DURATION = 160;
const HORIZON = 300;

/** Person height grows with distance down the frame (a camera on a pole looking down the pavement). */
const heightAt = (y: number): number => 40 + (y - 250) * 0.36;

interface Waypoint {
  t: number;
  x: number;
  y: number;
}

interface Walker {
  id: string;
  look: PersonLook;
  path: Waypoint[];
  squatBetween?: [number, number][];
  carryUntil?: number;
}

interface StallPlan {
  truth: StallTruth;
  spot: { x: number; y: number };
  goods: { x: number; y: number; w: number; h: number; items: { dx: number; dy: number; r: number; color: string }[] };
  vendor: Walker;
}

const ZONES = [
  { id: 'exit-b-left', polygon: [[0.1, 0.62], [0.36, 0.62], [0.36, 0.88], [0.1, 0.88]] as [number, number][] },
  { id: 'exit-b-right', polygon: [[0.62, 0.52], [0.86, 0.52], [0.86, 0.72], [0.62, 0.72]] as [number, number][] },
];

const VARIANT_PLANS: Record<string, { passers: number; stalls: { zone: number; start: number; end: number; away?: [number, number] }[] }> = {
  day: { passers: 45, stalls: [{ zone: 0, start: 20, end: 140, away: [85, 115] }, { zone: 1, start: 60, end: 150 }] },
  dusk: { passers: 35, stalls: [{ zone: 0, start: 15, end: 125 }, { zone: 1, start: 40, end: 150, away: [80, 105] }] },
  crowd: { passers: 130, stalls: [{ zone: 0, start: 25, end: 145 }] },
};

export function createStreet(variant = 'day'): SceneRenderer {
  const plan = VARIANT_PLANS[variant];
  if (!plan) throw new Error(`street has no variant "${variant}" (have: ${STREET_VARIANTS.join(', ')})`);
  const rng = new Rng(seedOf(`street-${variant}`));
  const stalls = plan.stalls.map((s, i) => planStall(rng, i, s));
  const passers = Array.from({ length: plan.passers }, (_, i) => planPasser(rng, i));
  ensureFonts();
  const backdrop = prerender(drawBackdrop);

  return {
    scene: 'street',
    variant,
    durationSec: DURATION,
    draw(ctx, t) {
      ctx.drawImage(backdrop, 0, 0);
      const drawables: { y: number; draw: () => void }[] = [];
      for (const s of stalls) {
        if (t >= s.truth.start && t < s.truth.end) drawables.push({ y: s.goods.y, draw: () => drawGoods(ctx, s.goods) });
      }
      for (const w of [...passers, ...stalls.map((s) => s.vendor)]) {
        const p = walkerAt(w, t);
        if (p) drawables.push({ y: p.y, draw: () => drawPerson(ctx, w.look, p) });
      }
      drawables.sort((a, b) => a.y - b.y);
      for (const d of drawables) d.draw();
      if (variant === 'dusk') dusk(ctx, LAMPS);
    },
    truth(): StreetTruth {
      return {
        scene: 'street',
        variant,
        durationSec: DURATION,
        fps: FPS,
        width: W,
        height: H,
        zones: ZONES,
        stalls: stalls.map((s) => s.truth),
        passersBy: passers.map((p) => ({
          id: p.id,
          enter: round(p.path[0].t),
          exit: round(p.path[p.path.length - 1].t),
          longestPauseSec: round(longestPause(p.path)),
        })),
      };
    },
  };
}

const LAMPS: [number, number][] = [
  [90, 250],
  [640, 240],
  [1190, 250],
];

function planStall(rng: Rng, i: number, s: { zone: number; start: number; end: number; away?: [number, number] }): StallPlan {
  const zone = ZONES[s.zone];
  const [[zx0, zy0], , [zx1, zy1]] = zone.polygon;
  const gx = lerp(zx0, zx1, 0.5) * W;
  const gy = lerp(zy0, zy1, 0.55) * H;
  const scale = heightAt(gy) / 150;
  const goods = {
    x: gx - 70 * scale,
    y: gy,
    w: 140 * scale,
    h: 45 * scale,
    items: Array.from({ length: 9 }, () => ({
      dx: rng.range(0.08, 0.92),
      dy: rng.range(0.2, 0.8),
      r: rng.range(5, 10) * scale,
      color: rng.pick(['#e74c3c', '#f39c12', '#f1c40f', '#27ae60', '#9b59b6', '#ecf0f1']),
    })),
  };
  const spot = { x: goods.x + goods.w + 18 * scale, y: gy - 4 };
  const fromLeft = spot.x < W / 2;
  const edgeX = fromLeft ? -40 : W + 40;
  const walkIn = Math.abs(spot.x - edgeX) / 90;
  const path: Waypoint[] = [
    { t: s.start - 3 - walkIn, x: edgeX, y: spot.y + 30 },
    { t: s.start - 3, x: spot.x, y: spot.y },
  ];
  const squat: [number, number][] = [];
  if (s.away) {
    const [a0, a1] = s.away;
    path.push({ t: a0, x: spot.x, y: spot.y }, { t: a0 + walkIn, x: edgeX, y: spot.y + 40 }, { t: a1 - walkIn, x: edgeX, y: spot.y + 40 }, { t: a1, x: spot.x, y: spot.y });
    squat.push([s.start, a0 - 1], [a1 + 1, s.end - 2]);
  } else {
    squat.push([s.start, s.end - 2]);
  }
  path.push({ t: s.end + 1, x: spot.x, y: spot.y }, { t: s.end + 1 + walkIn, x: edgeX, y: spot.y + 30 });
  const vendorTop = spot.y - heightAt(spot.y);
  const x0 = Math.min(goods.x, spot.x - 20 * scale);
  const x1 = Math.max(goods.x + goods.w, spot.x + 25 * scale);
  const y0 = Math.min(goods.y - goods.h, vendorTop + heightAt(spot.y) * 0.38);
  const y1 = goods.y + 8 * scale;
  const truth: StallTruth = {
    id: `stall-${i + 1}`,
    start: s.start,
    end: s.end,
    box: [round(x0 / W), round(y0 / H), round((x1 - x0) / W), round((y1 - y0) / H)] as Box,
    zone,
  };
  if (s.away) {
    truth.vendorAwayFrom = s.away[0];
    truth.vendorAwayUntil = s.away[1];
  }
  return { truth, spot, goods, vendor: { id: `vendor-${i + 1}`, look: randomLook(rng), path, squatBetween: squat, carryUntil: s.start } };
}

function planPasser(rng: Rng, i: number): Walker {
  const speed = rng.range(60, 140);
  const fromExit = rng.next() < 0.3;
  const y0 = fromExit ? 330 : rng.range(330, 700);
  const x0 = fromExit ? 300 : rng.next() < 0.5 ? -40 : W + 40;
  const x1 = fromExit ? rng.pick([-40, W + 40]) : x0 < 0 ? W + 40 : -40;
  const y1 = fromExit ? rng.range(420, 700) : y0 + rng.range(-40, 40);
  const dist = Math.hypot(x1 - x0, y1 - y0);
  const travel = dist / speed;
  const pause = rng.next() < 0.35 ? rng.range(1, 4) : 0;
  const start = rng.range(0, DURATION - travel - pause - 1);
  const path: Waypoint[] = [{ t: start, x: x0, y: y0 }];
  if (pause) {
    const f = rng.range(0.3, 0.7);
    const px = lerp(x0, x1, f);
    const py = lerp(y0, y1, f);
    path.push({ t: start + travel * f, x: px, y: py }, { t: start + travel * f + pause, x: px, y: py });
  }
  path.push({ t: start + travel + pause, x: x1, y: y1 });
  return { id: `passer-${i + 1}`, look: randomLook(rng), path };
}

function walkerAt(w: Walker, t: number): { x: number; y: number; height: number; phase: number; squat: boolean; carrying?: string } | undefined {
  const p = w.path;
  if (t < p[0].t || t > p[p.length - 1].t) return undefined;
  let dist = 0;
  for (let k = 1; k < p.length; k++) {
    const a = p[k - 1];
    const b = p[k];
    const segLen = Math.hypot(b.x - a.x, b.y - a.y);
    if (t <= b.t) {
      const f = b.t > a.t ? clamp01((t - a.t) / (b.t - a.t)) : 1;
      const x = lerp(a.x, b.x, f);
      const y = lerp(a.y, b.y, f);
      const moving = segLen > 0.5;
      const squat = !!w.squatBetween?.some(([s, e]) => t >= s && t < e);
      return {
        x,
        y,
        height: heightAt(y),
        phase: moving ? (dist + segLen * f) / 9 : NaN,
        squat,
        carrying: w.carryUntil !== undefined && (t < w.carryUntil || t > p[p.length - 2].t) ? '#a0522d' : undefined,
      };
    }
    dist += segLen;
  }
  return undefined;
}

function longestPause(path: Waypoint[]): number {
  let longest = 0;
  for (let k = 1; k < path.length; k++) {
    if (path[k].x === path[k - 1].x && path[k].y === path[k - 1].y) longest = Math.max(longest, path[k].t - path[k - 1].t);
  }
  return longest;
}

function drawGoods(ctx: SKRSContext2D, g: StallPlan['goods']): void {
  ctx.fillStyle = '#1f618d';
  ctx.beginPath();
  ctx.moveTo(g.x, g.y);
  ctx.lineTo(g.x + g.w, g.y);
  ctx.lineTo(g.x + g.w * 0.92, g.y - g.h);
  ctx.lineTo(g.x + g.w * 0.08, g.y - g.h);
  ctx.closePath();
  ctx.fill();
  for (const it of g.items) {
    ctx.fillStyle = it.color;
    ctx.beginPath();
    ctx.arc(g.x + it.dx * g.w, g.y - it.dy * g.h, it.r, 0, Math.PI * 2);
    ctx.fill();
  }
}

function drawBackdrop(ctx: SKRSContext2D): void {
  const sky = ctx.createLinearGradient(0, 0, 0, 200);
  sky.addColorStop(0, '#9ec9e8');
  sky.addColorStop(1, '#d6e9f5');
  ctx.fillStyle = sky;
  ctx.fillRect(0, 0, W, 200);
  const rng = new Rng(7);
  for (let x = 0; x < W; ) {
    const bw = rng.range(90, 180);
    const bh = rng.range(90, 190);
    ctx.fillStyle = rng.pick(['#b2babb', '#a6acaf', '#ccd1d1', '#d5dbdb', '#99a3a4']);
    ctx.fillRect(x, 230 - bh, bw, bh);
    ctx.fillStyle = 'rgba(60,80,100,0.5)';
    for (let wy = 240 - bh; wy < 215; wy += 22) for (let wx = x + 10; wx < x + bw - 14; wx += 24) ctx.fillRect(wx, wy, 12, 12);
    x += bw + 6;
  }
  ctx.fillStyle = '#7b7d7d';
  ctx.fillRect(0, 230, W, 40);
  ctx.fillStyle = '#c9c3b6';
  ctx.fillRect(0, 270, W, H - 270);
  ctx.strokeStyle = 'rgba(120,110,100,0.35)';
  ctx.lineWidth = 2;
  for (let y = 290; y < H; y += 40) {
    ctx.beginPath();
    ctx.moveTo(0, y);
    ctx.lineTo(W, y);
    ctx.stroke();
  }
  for (let x = -600; x < W + 600; x += 90) {
    ctx.beginPath();
    ctx.moveTo(W / 2 + (x - W / 2) * 0.3, 270);
    ctx.lineTo(x, H);
    ctx.stroke();
  }
  // metro exit canopy
  ctx.fillStyle = '#5d6d7e';
  ctx.fillRect(200, 150, 220, 170);
  ctx.fillStyle = '#1c2833';
  ctx.fillRect(225, 200, 170, 120);
  ctx.fillStyle = '#c0392b';
  ctx.fillRect(200, 120, 220, 40);
  ctx.fillStyle = '#ffffff';
  ctx.font = `26px "${CJK_FONT}"`;
  ctx.fillText('地铁 2号线 B口', 215, 150);
  // lamp posts
  ctx.fillStyle = '#2c3e50';
  for (const [x, y] of LAMPS) {
    ctx.fillRect(x - 3, y, 6, HORIZON - y + 20);
    ctx.fillRect(x - 14, y - 6, 28, 8);
  }
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
