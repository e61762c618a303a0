// Shared shapes of the stall detector. Coordinates crossing the module boundary are normalised
// (0–1 of frame width/height) so zones drawn on a 1080p snapshot apply to a 320×180 analysis frame.

export type PixelFormat = 'rgba' | 'rgb' | 'gray';

/** One decoded video frame; `data` is tightly packed rows (no stride padding). */
export interface Frame {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  format: PixelFormat;
}

/** Normalised box: [x, y, w, h], all in 0–1. */
export type Box = [number, number, number, number];

/** A normalised polygon vertex [x, y]. */
export type Point = [number, number];

export interface ZoneSpec {
  id: string;
  polygon: Point[];
  /** Seconds something must stay inside before an event starts. */
  dwellSec: number;
  /** Seconds the zone must be clear before an event ends (default: the detector's graceSec). */
  graceSec?: number;
}

export interface StallEvent {
  /** Unique within one detector (zoneId + sequence). */
  id: string;
  zoneId: string;
  /** Seconds on the detector's clock (video time for files, epoch seconds for live). */
  start: number;
  /** Null while the stall is still there. */
  end: number | null;
  box: Box;
  /** The input frame at the moment the event started (for the snapshot). */
  snapshotFrame?: Frame;
}

export type StallUpdate = { type: 'start'; event: StallEvent } | { type: 'end'; event: StallEvent };

/**
 * The detector's long-term background at its analysis size (RGB bytes, gain-normalised), kept
 * between pipeline runs so a restart does not learn a standing stall as background.
 */
export interface BackgroundRef {
  width: number;
  height: number;
  rgb: Uint8Array;
}
