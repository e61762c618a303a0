// Scene names, renderer contract and the ground-truth shapes other parts consume (see README).
import type { SKRSContext2D } from '@napi-rs/canvas';

export type SceneName = 'gate' | 'street' | 'classroom' | 'clock';
export const SCENES: readonly SceneName[] = ['gate', 'street', 'classroom', 'clock'];

/** Normalised [x, y, w, h], all in 0–1 of the frame. */
export type Box = [number, number, number, number];

/** Every renderer draws into this logical frame; callers scale the context for other sizes. */
export const LOGICAL_WIDTH = 1280;
export const LOGICAL_HEIGHT = 720;
export const FPS = 25;

export interface SceneRenderer {
  readonly scene: SceneName;
  readonly variant: string;
  readonly durationSec: number;
  draw(ctx: SKRSContext2D, t: number): void;
  truth(): SceneTruth;
}

export interface StallTruth {
  id: string;
  /** seconds into the loop: goods are down and the stall is in the zone from start to end */
  start: number;
  end: number;
  box: Box;
  zone: { id: string; polygon: [number, number][] };
  /** when set, the vendor walks away at this time and the goods stay until `end` */
  vendorAwayFrom?: number;
  vendorAwayUntil?: number;
}

export interface PasserTruth {
  id: string;
  enter: number;
  exit: number;
  /** longest time this person stands still, seconds (always short) */
  longestPauseSec: number;
}

export interface StreetTruth {
  scene: 'street';
  variant: string;
  durationSec: number;
  fps: number;
  width: number;
  height: number;
  zones: { id: string; polygon: [number, number][] }[];
  stalls: StallTruth[];
  passersBy: PasserTruth[];
}

export type PlateType = 'blue' | 'yellow' | 'green' | 'white';

export interface VehicleTruth {
  plate: string;
  type: PlateType;
  arrive: number;
  depart: number;
  stopStart: number;
  stopEnd: number;
  /** plate box while the vehicle stands at the barrier */
  box: Box;
  vehicleBox: Box;
}

export interface GateTruth {
  scene: 'gate';
  variant: string;
  durationSec: number;
  fps: number;
  width: number;
  height: number;
  vehicles: VehicleTruth[];
}

export interface ClassroomTruth {
  scene: 'classroom';
  variant: string;
  durationSec: number;
  fps: number;
  width: number;
  height: number;
  children: number;
}

export interface ClockTruth {
  scene: 'clock';
  variant: string;
  encoding: string;
}

export type SceneTruth = StreetTruth | GateTruth | ClassroomTruth | ClockTruth;
