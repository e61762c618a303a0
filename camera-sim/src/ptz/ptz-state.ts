// Pan/tilt/zoom of a simulated dome: positions in ONVIF generic spaces (pan, tilt in [-1, 1],
// zoom in [0, 1]) and the crop window of the wide scene that the position shows.

export interface PtzVector {
  pan: number;
  tilt: number;
  zoom: number;
}

export interface Preset {
  token: string;
  name: string;
  position: PtzVector;
}

/** Normalised crop of the wide scene: [x, y, w, h] in 0–1. */
export type ViewWindow = [number, number, number, number];

export const MAX_PRESETS = 16;
/** Generic velocity 1 moves this many position units per second. */
const UNITS_PER_SECOND = 0.5;
const DEFAULT_CONTINUOUS_TIMEOUT_MS = 10_000;

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

export class PtzState {
  private base: PtzVector = { pan: 0, tilt: 0, zoom: 0 };
  private velocity: PtzVector = { pan: 0, tilt: 0, zoom: 0 };
  private movingSince = 0;
  private movingUntil = 0;
  private readonly presets = new Map<string, Preset>([['1', { token: '1', name: 'Home', position: { pan: 0, tilt: 0, zoom: 0 } }]]);
  private nextToken = 2;

  constructor(private readonly now: () => number = Date.now) {}

  position(): PtzVector {
    const t = Math.min(this.now(), this.movingUntil);
    const dt = Math.max(0, t - this.movingSince) / 1000;
    return {
      pan: clamp(this.base.pan + this.velocity.pan * UNITS_PER_SECOND * dt, -1, 1),
      tilt: clamp(this.base.tilt + this.velocity.tilt * UNITS_PER_SECOND * dt, -1, 1),
      zoom: clamp(this.base.zoom + this.velocity.zoom * UNITS_PER_SECOND * dt, 0, 1),
    };
  }

  moving(): { panTilt: boolean; zoom: boolean } {
    const active = this.now() < this.movingUntil;
    return { panTilt: active && (this.velocity.pan !== 0 || this.velocity.tilt !== 0), zoom: active && this.velocity.zoom !== 0 };
  }

  absoluteMove(target: Partial<PtzVector>): void {
    const p = this.position();
    this.setBase({ pan: target.pan ?? p.pan, tilt: target.tilt ?? p.tilt, zoom: target.zoom ?? p.zoom });
  }

  relativeMove(delta: Partial<PtzVector>): void {
    const p = this.position();
    this.setBase({ pan: p.pan + (delta.pan ?? 0), tilt: p.tilt + (delta.tilt ?? 0), zoom: p.zoom + (delta.zoom ?? 0) });
  }

  continuousMove(v: Partial<PtzVector>, timeoutMs = DEFAULT_CONTINUOUS_TIMEOUT_MS): void {
    this.base = this.position();
    this.velocity = { pan: clamp(v.pan ?? 0, -1, 1), tilt: clamp(v.tilt ?? 0, -1, 1), zoom: clamp(v.zoom ?? 0, -1, 1) };
    this.movingSince = this.now();
    this.movingUntil = this.movingSince + timeoutMs;
  }

  stop(panTilt = true, zoom = true): void {
    const p = this.position();
    const v = this.velocity;
    this.base = p;
    this.velocity = { pan: panTilt ? 0 : v.pan, tilt: panTilt ? 0 : v.tilt, zoom: zoom ? 0 : v.zoom };
    this.movingSince = this.now();
    if (this.velocity.pan === 0 && this.velocity.tilt === 0 && this.velocity.zoom === 0) this.movingUntil = this.movingSince;
  }

  listPresets(): Preset[] {
    return [...this.presets.values()];
  }

  /** Returns the preset token, or undefined when the table is full. */
  setPreset(name: string | undefined, token?: string): string | undefined {
    if (token && !this.presets.has(token)) return undefined;
    if (!token && this.presets.size >= MAX_PRESETS) return undefined;
    const t = token ?? String(this.nextToken++);
    this.presets.set(t, { token: t, name: name || `Preset ${t}`, position: this.position() });
    return t;
  }

  gotoPreset(token: string): boolean {
    const p = this.presets.get(token);
    if (!p) return false;
    this.setBase(p.position);
    return true;
  }

  removePreset(token: string): boolean {
    return this.presets.delete(token);
  }

  /** Zoom 0 shows 60 % of the scene's width, zoom 1 shows 15 %; pan and tilt move the window across. */
  view(): ViewWindow {
    const p = this.position();
    const size = 0.6 - 0.45 * p.zoom;
    const cx = 0.5 + (p.pan * (1 - size)) / 2;
    const cy = 0.5 - (p.tilt * (1 - size)) / 2;
    return [cx - size / 2, cy - size / 2, size, size];
  }

  private setBase(p: PtzVector): void {
    this.base = { pan: clamp(p.pan, -1, 1), tilt: clamp(p.tilt, -1, 1), zoom: clamp(p.zoom, 0, 1) };
    this.velocity = { pan: 0, tilt: 0, zoom: 0 };
    this.movingSince = this.now();
    this.movingUntil = this.movingSince;
  }
}
