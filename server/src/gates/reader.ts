// One plate reader per app (tfjs + OpenCV, ~1 s to load), shared by the check API and the gate
// camera pipelines, loaded on first use and disposed when the app closes.
import type { FastifyInstance } from 'fastify';
import { createPlateReader, type PlateReader } from '../../../analytics/src/plates';

const readers = new WeakMap<FastifyInstance, Promise<PlateReader>>();

export function plateReaderOf(app: FastifyInstance): Promise<PlateReader> {
  let reader = readers.get(app);
  if (!reader) {
    reader = createPlateReader();
    readers.set(app, reader);
    app.addHook('onClose', async () => (await reader!.catch(() => null))?.dispose());
  }
  return reader;
}
