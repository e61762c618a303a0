// Static parts of a scene drawn once into their own canvas and blitted every frame.
import { createCanvas, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import { LOGICAL_HEIGHT, LOGICAL_WIDTH } from './types';

export function prerender(draw: (ctx: SKRSContext2D) => void): Canvas {
  const c = createCanvas(LOGICAL_WIDTH, LOGICAL_HEIGHT);
  draw(c.getContext('2d'));
  return c;
}

/** Evening light: darken everything, then add warm pools under the lamps. */
export function dusk(ctx: SKRSContext2D, lamps: [number, number][]): void {
  ctx.fillStyle = 'rgba(12, 18, 48, 0.55)';
  ctx.fillRect(0, 0, LOGICAL_WIDTH, LOGICAL_HEIGHT);
  ctx.save();
  ctx.globalCompositeOperation = 'lighter';
  for (const [x, y] of lamps) {
    const g = ctx.createRadialGradient(x, y, 5, x, y, 220);
    g.addColorStop(0, 'rgba(255, 200, 120, 0.35)');
    g.addColorStop(1, 'rgba(255, 200, 120, 0)');
    ctx.fillStyle = g;
    ctx.fillRect(x - 220, y - 220, 440, 440);
  }
  ctx.restore();
}

export function lerp(a: number, b: number, f: number): number {
  return a + (b - a) * f;
}

export function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
