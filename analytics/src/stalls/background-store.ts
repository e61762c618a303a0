// Each camera's long-term background, kept in Redis between pipeline runs (a pipeline that dies,
// is redeployed or moves to another worker must not learn a standing stall as the empty street).
// One hash per camera: width, height, the RGB bytes (≈ 170 KB at 320×180) and when it was saved.
import type { Redis } from 'ioredis';
import type { BackgroundRef } from './types';

export interface BackgroundStore {
  load(cameraId: string): Promise<BackgroundRef | undefined>;
  save(cameraId: string, ref: BackgroundRef): Promise<void>;
}

/** A camera whose pipeline has not run for this long starts from scratch (and leaves no litter). */
const KEEP_SECONDS = 7 * 24 * 3600;

export function redisBackgroundStore(redis: Redis, keyPrefix = ''): BackgroundStore {
  const key = (cameraId: string) => `${keyPrefix}stalls:background:${cameraId}`;
  return {
    async load(cameraId) {
      const h = await redis.hgetallBuffer(key(cameraId));
      const width = Number(h.width?.toString());
      const height = Number(h.height?.toString());
      // Anything malformed is as good as no reference: the detector warms up as before.
      if (!(width > 0 && height > 0) || h.rgb?.length !== width * height * 3) return undefined;
      return { width, height, rgb: new Uint8Array(h.rgb) };
    },
    async save(cameraId, ref) {
      await redis
        .multi()
        .hset(key(cameraId), { width: ref.width, height: ref.height, rgb: Buffer.from(ref.rgb.buffer, ref.rgb.byteOffset, ref.rgb.byteLength), savedAt: Date.now() })
        .expire(key(cameraId), KEEP_SECONDS)
        .exec();
    },
  };
}
