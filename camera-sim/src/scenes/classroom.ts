// `classroom`: an after-school classroom (四点钟学校) with children at desks who fidget, turn and
// now and then walk to the front; a teacher paces by the blackboard.
import type { SKRSContext2D } from '@napi-rs/canvas';
import { lerp, prerender } from './backdrop';
import { CJK_FONT, ensureFonts } from './fonts';
import { drawPerson, randomLook, type PersonLook } from './person';
import { Rng, seedOf } from './rng';
import { FPS, LOGICAL_HEIGHT as H, LOGICAL_WIDTH as W, type ClassroomTruth, type SceneRenderer } from './types';

const DURATION = 60;
const ROWS = 3;
const COLS = 5;

interface Child {
  look: PersonLook;
  seat: { x: number; y: number };
  sway: number;
  /** a trip to the front of the room and back: [leave, back] */
  trip?: [number, number];
}

export function createClassroom(variant = 'default'): SceneRenderer {
  if (variant !== 'default') throw new Error(`classroom has no variant "${variant}" (have: default)`);
  ensureFonts();
  const rng = new Rng(seedOf('classroom'));
  const children: Child[] = [];
  for (let r = 0; r < ROWS; r++) {
    for (let c = 0; c < COLS; c++) {
      const trip = rng.next() < 0.25 ? rng.range(3, DURATION - 15) : undefined;
      children.push({
        look: randomLook(rng),
        seat: { x: 200 + c * 220 + (r % 2) * 30, y: 400 + r * 110 },
        sway: rng.range(0, Math.PI * 2),
        trip: trip === undefined ? undefined : [trip, trip + rng.range(7, 11)],
      });
    }
  }
  const teacher = randomLook(rng);
  const backdrop = prerender(drawRoom);
  return {
    scene: 'classroom',
    variant,
    durationSec: DURATION,
    draw(ctx, t) {
      ctx.drawImage(backdrop, 0, 0);
      const tx = 640 + Math.sin((t / DURATION) * Math.PI * 6) * 330;
      drawPerson(ctx, teacher, { x: tx, y: 330, height: 150, phase: t * 5 });
      for (const ch of children) drawChild(ctx, ch, t);
    },
    truth(): ClassroomTruth {
      return { scene: 'classroom', variant, durationSec: DURATION, fps: FPS, width: W, height: H, children: children.length };
    },
  };
}

function drawChild(ctx: SKRSContext2D, ch: Child, t: number): void {
  const { x, y } = ch.seat;
  if (ch.trip && t >= ch.trip[0] && t < ch.trip[1]) {
    const [a, b] = ch.trip;
    const half = (b - a) / 2;
    const f = t < a + half ? (t - a) / half : (b - t) / half;
    drawPerson(ctx, ch.look, { x: lerp(x, 640, f), y: lerp(y + 20, 360, f), height: 105, phase: t * 8 });
  } else {
    const lean = Math.sin(t * 1.3 + ch.sway) * 6;
    drawPerson(ctx, ch.look, { x: x + lean, y: y + 10, height: 110, phase: NaN, squat: true });
  }
  ctx.fillStyle = '#b9770e';
  ctx.fillRect(x - 60, y, 120, 16);
  ctx.fillStyle = '#7e5109';
  ctx.fillRect(x - 55, y + 16, 8, 50);
  ctx.fillRect(x + 47, y + 16, 8, 50);
}

function drawRoom(ctx: SKRSContext2D): void {
  ctx.fillStyle = '#f5eef8';
  ctx.fillRect(0, 0, W, 300);
  ctx.fillStyle = '#d7bde2';
  ctx.fillRect(0, 300, W, H - 300);
  ctx.fillStyle = '#145a32';
  ctx.fillRect(340, 50, 600, 190);
  ctx.strokeStyle = '#6e2c00';
  ctx.lineWidth = 10;
  ctx.strokeRect(340, 50, 600, 190);
  ctx.fillStyle = '#fdfefe';
  ctx.font = `44px "${CJK_FONT}"`;
  ctx.fillText('四点钟学校', 520, 130);
  ctx.font = `30px "${CJK_FONT}"`;
  ctx.fillText('今天：作业辅导  手工课', 480, 200);
  for (const wx of [60, 1040]) {
    ctx.fillStyle = '#aed6f1';
    ctx.fillRect(wx, 70, 180, 150);
    ctx.strokeStyle = '#fdfefe';
    ctx.lineWidth = 8;
    ctx.strokeRect(wx, 70, 180, 150);
  }
}
