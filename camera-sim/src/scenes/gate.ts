// `gate`: vehicles with Chinese plates drive up to an estate barrier, stop for a few seconds while
// the arm lifts, then drive on. Ground truth: plate text, type, times and the plate box while stopped.
import type { SKRSContext2D } from '@napi-rs/canvas';
import { clamp01, lerp, prerender } from './backdrop';
import { CJK_FONT, ensureFonts } from './fonts';
import { drawPlate, plateAspect, randomPlate } from './plate';
import { Rng, seedOf } from './rng';
import { FPS, LOGICAL_HEIGHT as H, LOGICAL_WIDTH as W, type Box, type GateTruth, type PlateType, type SceneRenderer, type VehicleTruth } from './types';

const DURATION = 120;
const APPROACH = 4;
const LEAVE = 1.6;
const STOP_Y = 690;
const FAR_Y = 390;
const CAR_W = 740;
const TYPES: PlateType[] = ['blue', 'green', 'yellow', 'blue', 'white', 'green', 'blue', 'yellow', 'blue'];
const BODY_COLOURS = ['#ecf0f1', '#1c2833', '#7b241c', '#5d6d7e', '#b3b6b7', '#1a5276', '#f4f6f7'];

interface Vehicle {
  truth: VehicleTruth;
  colour: string;
  truck: boolean;
}

export function createGate(variant = 'default'): SceneRenderer {
  if (variant !== 'default') throw new Error(`gate has no variant "${variant}" (have: default)`);
  ensureFonts();
  const rng = new Rng(seedOf('gate'));
  const vehicles = TYPES.map((type, i) => planVehicle(rng, type, 3 + i * 13));
  const backdrop = prerender(drawBackdrop);
  return {
    scene: 'gate',
    variant,
    durationSec: DURATION,
    draw(ctx, t) {
      ctx.drawImage(backdrop, 0, 0);
      let arm = 0;
      for (const v of vehicles) {
        const p = placement(v.truth, t);
        if (p) drawVehicle(ctx, v, p.cx, p.bottom, p.scale);
        arm = Math.max(arm, armLift(v.truth, t));
      }
      drawBarrier(ctx, arm);
    },
    truth(): GateTruth {
      return { scene: 'gate', variant, durationSec: DURATION, fps: FPS, width: W, height: H, vehicles: vehicles.map((v) => v.truth) };
    },
  };
}

function planVehicle(rng: Rng, type: PlateType, arrive: number): Vehicle {
  const stop = rng.range(3, 5.5);
  const stopStart = arrive + APPROACH;
  const stopEnd = stopStart + stop;
  const truck = type === 'yellow';
  const geo = geometry(truck, W / 2, STOP_Y, 1, type);
  const truth: VehicleTruth = {
    plate: randomPlate(rng, type),
    type,
    arrive: r3(arrive),
    depart: r3(stopEnd + LEAVE),
    stopStart: r3(stopStart),
    stopEnd: r3(stopEnd),
    box: norm(geo.plate),
    vehicleBox: norm(geo.body),
  };
  return { truth, colour: truck ? rng.pick(['#d4ac0d', '#e67e22', '#2874a6']) : rng.pick(BODY_COLOURS), truck };
}

function geometry(truck: boolean, cx: number, bottom: number, scale: number, type: PlateType): { body: [number, number, number, number]; plate: [number, number, number, number] } {
  const w = CAR_W * scale * (truck ? 1.08 : 1);
  const h = w * (truck ? 0.82 : 0.5);
  const pw = w * 0.25;
  const ph = pw / plateAspect(type);
  return { body: [cx - w / 2, bottom - h, w, h], plate: [cx - pw / 2, bottom - h * (truck ? 0.2 : 0.3), pw, ph] };
}

function placement(v: VehicleTruth, t: number): { cx: number; bottom: number; scale: number } | undefined {
  if (t < v.arrive || t >= v.depart) return undefined;
  if (t < v.stopStart) {
    const f = 1 - (1 - clamp01((t - v.arrive) / APPROACH)) ** 2; // ease out into the stop
    return { cx: W / 2, bottom: lerp(FAR_Y, STOP_Y, f), scale: lerp(0.28, 1, f) };
  }
  if (t < v.stopEnd) return { cx: W / 2, bottom: STOP_Y, scale: 1 };
  const f = clamp01((t - v.stopEnd) / LEAVE) ** 1.5;
  return { cx: W / 2, bottom: lerp(STOP_Y, STOP_Y + 700, f), scale: lerp(1, 1.9, f) };
}

/** 0 = down, 1 = up. The arm lifts in the last 1.5 s of the stop and falls once the car is through. */
function armLift(v: VehicleTruth, t: number): number {
  if (t < v.stopEnd - 1.5 || t > v.depart + 1.5) return 0;
  if (t < v.stopEnd) return clamp01((t - (v.stopEnd - 1.5)) / 1.2);
  if (t < v.depart) return 1;
  return 1 - clamp01((t - v.depart) / 1.2);
}

function drawVehicle(ctx: SKRSContext2D, v: Vehicle, cx: number, bottom: number, scale: number): void {
  const { body, plate } = geometry(v.truck, cx, bottom, scale, v.truth.type);
  const [x, y, w, h] = body;
  ctx.fillStyle = 'rgba(0,0,0,0.35)';
  ctx.beginPath();
  ctx.ellipse(cx, bottom, w * 0.55, h * 0.06, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = v.colour;
  ctx.beginPath();
  ctx.roundRect(x, y + h * (v.truck ? 0 : 0.38), w, h * (v.truck ? 1 : 0.62), w * 0.04);
  ctx.fill();
  if (!v.truck) {
    // cabin and windscreen
    ctx.beginPath();
    ctx.moveTo(x + w * 0.12, y + h * 0.4);
    ctx.lineTo(x + w * 0.22, y);
    ctx.lineTo(x + w * 0.78, y);
    ctx.lineTo(x + w * 0.88, y + h * 0.4);
    ctx.fill();
  }
  ctx.fillStyle = '#22313f';
  ctx.beginPath();
  if (v.truck) ctx.rect(x + w * 0.08, y + h * 0.08, w * 0.84, h * 0.42);
  else {
    ctx.moveTo(x + w * 0.17, y + h * 0.38);
    ctx.lineTo(x + w * 0.25, y + h * 0.05);
    ctx.lineTo(x + w * 0.75, y + h * 0.05);
    ctx.lineTo(x + w * 0.83, y + h * 0.38);
  }
  ctx.fill();
  // headlights and grille
  ctx.fillStyle = '#fdfefe';
  const ly = bottom - h * (v.truck ? 0.36 : 0.5);
  ctx.fillRect(x + w * 0.05, ly, w * 0.16, h * 0.08);
  ctx.fillRect(x + w * 0.79, ly, w * 0.16, h * 0.08);
  ctx.fillStyle = '#2e4053';
  ctx.fillRect(x + w * 0.3, ly, w * 0.4, h * 0.1);
  // bumper
  ctx.fillStyle = '#17202a';
  ctx.fillRect(x + w * 0.02, bottom - h * 0.12, w * 0.96, h * 0.09);
  drawPlate(ctx, v.truth.plate, v.truth.type, plate[0], plate[1], plate[2]);
  // wheels
  ctx.fillStyle = '#0b0b0b';
  ctx.fillRect(x + w * 0.06, bottom - h * 0.04, w * 0.14, h * 0.06);
  ctx.fillRect(x + w * 0.8, bottom - h * 0.04, w * 0.14, h * 0.06);
}

function drawBarrier(ctx: SKRSContext2D, lift: number): void {
  const px = 1090;
  const py = 470;
  ctx.fillStyle = '#34495e';
  ctx.fillRect(px - 10, py - 20, 80, 220);
  ctx.save();
  ctx.translate(px, py);
  ctx.rotate(lift * (Math.PI / 2.2));
  for (let i = 0; i < 12; i++) {
    ctx.fillStyle = i % 2 ? '#c0392b' : '#fdfefe';
    ctx.fillRect(-(i + 1) * 75, -8, 75, 16);
  }
  ctx.restore();
}

function drawBackdrop(ctx: SKRSContext2D): void {
  ctx.fillStyle = '#aed6f1';
  ctx.fillRect(0, 0, W, 200);
  ctx.fillStyle = '#a6a39a';
  ctx.fillRect(0, 350, W, H - 350);
  ctx.fillStyle = '#7dcea0';
  ctx.fillRect(0, 200, W, 150);
  for (let i = 0; i < 12; i++) {
    ctx.fillStyle = i % 2 ? '#1e8449' : '#229954';
    ctx.beginPath();
    ctx.arc(50 + i * 110, 220, 55, 0, Math.PI * 2);
    ctx.fill();
  }
  // estate gate arch
  ctx.fillStyle = '#a04000';
  ctx.fillRect(300, 60, 40, 300);
  ctx.fillRect(940, 60, 40, 300);
  ctx.fillStyle = '#7b241c';
  ctx.fillRect(280, 40, 720, 80);
  ctx.fillStyle = '#f7dc6f';
  ctx.font = `52px "${CJK_FONT}"`;
  ctx.textAlign = 'center';
  ctx.fillText('幸福家园 保障房小区', 640, 100);
  ctx.textAlign = 'start';
  // road narrowing towards the gate
  ctx.fillStyle = '#566573';
  ctx.beginPath();
  ctx.moveTo(420, 350);
  ctx.lineTo(860, 350);
  ctx.lineTo(W + 200, H);
  ctx.lineTo(-200, H);
  ctx.fill();
  ctx.fillStyle = '#bfc9ca';
  ctx.fillRect(0, 350, 420, 10);
  ctx.fillRect(860, 350, 420, 10);
  ctx.strokeStyle = '#f4f6f7';
  ctx.lineWidth = 6;
  ctx.beginPath();
  ctx.moveTo(340, 560);
  ctx.lineTo(940, 560);
  ctx.stroke();
  // guard booth
  ctx.fillStyle = '#d5d8dc';
  ctx.fillRect(1120, 260, 150, 200);
  ctx.fillStyle = '#5dade2';
  ctx.fillRect(1140, 290, 110, 70);
  ctx.fillStyle = '#17202a';
  ctx.font = `22px "${CJK_FONT}"`;
  ctx.fillText('门卫室', 1160, 400);
}

function norm([x, y, w, h]: [number, number, number, number]): Box {
  return [r3(x / W), r3(y / H), r3(w / W), r3(h / H)];
}

function r3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
