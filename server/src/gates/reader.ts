// One plate reader per app (tfjs + OpenCV, ~1 s to load), shared by the check API and the gate
// camera pipelines: loaded on first use, disposed when the app closes (gatesPlugin).
import { createPlateReader, type PlateReader } from '../../../analytics/src/plates';

declare module 'fastify' {
  interface FastifyInstance {
    plateReader: () => Promise<PlateReader>;
  }
}

export function lazyPlateReader(): { get: () => Promise<PlateReader>; dispose: () => Promise<void> } {
  let reader: Promise<PlateReader> | null = null;
  return {
    get: () => (reader ??= createPlateReader()),
    dispose: async () => (await reader?.catch(() => null))?.dispose(),
  };
}
