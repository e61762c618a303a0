// Device API keys are random 256-bit secrets, so a SHA-256 lookup is a sound check, and a barrier
// asking 1000 times a second must not cost a database write each time (the old per-request
// `UPDATE devices SET last_used_at` serialised every check of one device on that row's lock).
// Keys that resolved are remembered for `ttlMs`; `last_used_at` is refreshed on each reload.
// A revocation is immediate in the process that revokes, and within `ttlMs` in the others.
import type { DevicePrincipal } from '../types';

declare module 'fastify' {
  interface FastifyInstance {
    deviceKeys: DeviceKeyCache;
  }
}

export class DeviceKeyCache {
  private readonly entries = new Map<string, { device: DevicePrincipal; expiresAt: number }>();

  constructor(readonly ttlMs = 5000) {}

  get(keyHash: Buffer): DevicePrincipal | null {
    const hex = keyHash.toString('hex');
    const e = this.entries.get(hex);
    if (!e) return null;
    if (e.expiresAt > Date.now()) return e.device;
    this.entries.delete(hex);
    return null;
  }

  set(keyHash: Buffer, device: DevicePrincipal): void {
    // Bounded by the number of devices; a sweep keeps revoked or idle keys from piling up.
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(keyHash.toString('hex'), { device, expiresAt: Date.now() + this.ttlMs });
  }

  forget(deviceId: string): void {
    for (const [hex, e] of this.entries) if (e.device.id === deviceId) this.entries.delete(hex);
  }
}
