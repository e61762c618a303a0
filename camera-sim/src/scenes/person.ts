// A person seen from a high camera: size from depth, legs from walk phase. Drawn in logical pixels.
import type { SKRSContext2D } from '@napi-rs/canvas';

export interface PersonLook {
  shirt: string;
  trousers: string;
  skin: string;
  hair: string;
}

export interface PersonPose {
  x: number;
  /** feet position */
  y: number;
  /** body height in pixels */
  height: number;
  /** walk cycle phase in radians; NaN when standing */
  phase: number;
  squat?: boolean;
  carrying?: string;
}

export function drawPerson(ctx: SKRSContext2D, look: PersonLook, pose: PersonPose): void {
  const h = pose.squat ? pose.height * 0.62 : pose.height;
  const { x, y } = pose;
  const w = pose.height * 0.26;
  const swing = Number.isNaN(pose.phase) ? 0 : Math.sin(pose.phase) * w * 0.45;
  ctx.fillStyle = 'rgba(0,0,0,0.25)';
  ctx.beginPath();
  ctx.ellipse(x, y, w * 0.8, w * 0.22, 0, 0, Math.PI * 2);
  ctx.fill();
  // legs
  ctx.strokeStyle = look.trousers;
  ctx.lineWidth = w * 0.32;
  ctx.lineCap = 'round';
  const hip = y - h * 0.47;
  ctx.beginPath();
  ctx.moveTo(x - w * 0.18, hip);
  ctx.lineTo(x - w * 0.18 + swing, y - w * 0.1);
  ctx.moveTo(x + w * 0.18, hip);
  ctx.lineTo(x + w * 0.18 - swing, y - w * 0.1);
  ctx.stroke();
  // torso
  ctx.fillStyle = look.shirt;
  ctx.beginPath();
  ctx.roundRect(x - w / 2, y - h * 0.84, w, h * 0.4, w * 0.2);
  ctx.fill();
  // arms
  ctx.strokeStyle = look.shirt;
  ctx.lineWidth = w * 0.22;
  ctx.beginPath();
  ctx.moveTo(x - w * 0.5, y - h * 0.8);
  ctx.lineTo(x - w * 0.6 - swing * 0.6, y - h * 0.5);
  ctx.moveTo(x + w * 0.5, y - h * 0.8);
  ctx.lineTo(x + w * 0.6 + swing * 0.6, y - h * 0.5);
  ctx.stroke();
  if (pose.carrying) {
    ctx.fillStyle = pose.carrying;
    ctx.fillRect(x + w * 0.45, y - h * 0.55, w * 0.7, w * 0.6);
  }
  // head
  ctx.fillStyle = look.skin;
  ctx.beginPath();
  ctx.arc(x, y - h * 0.92, w * 0.38, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = look.hair;
  ctx.beginPath();
  ctx.arc(x, y - h * 0.95, w * 0.38, Math.PI, Math.PI * 2);
  ctx.fill();
}

const SHIRTS = ['#c0392b', '#2e86c1', '#27ae60', '#f1c40f', '#8e44ad', '#ecf0f1', '#34495e', '#e67e22', '#16a085', '#7f8c8d', '#d35400', '#1abc9c'];
const TROUSERS = ['#2c3e50', '#1b2631', '#5d6d7e', '#784212', '#17202a', '#283747'];
const SKINS = ['#f5cba7', '#edbb99', '#e0ac69', '#c68642'];
const HAIR = ['#1b1b1b', '#2e1f14', '#4a3728', '#777777'];

export function randomLook(rnd: { pick<T>(a: readonly T[]): T }): PersonLook {
  return { shirt: rnd.pick(SHIRTS), trousers: rnd.pick(TROUSERS), skin: rnd.pick(SKINS), hair: rnd.pick(HAIR) };
}
