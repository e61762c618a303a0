// Public API of the plate reader (see analytics/README.md, "Plates").
import { PlateReader, type PlateReaderOptions } from './reader';

export { PlateReader, DEFAULT_MODEL_DIR, type PlateReading, type PlateReaderOptions, type ReadOptions } from './reader';
export { PlateImageError, type PlateImageErrorCode, type ImageInput, type RawImage, MAX_PIXELS, MAX_BYTES } from './image';
export type { Quad } from './detect';
export { PlateTracker, type Arrival, type TrackerOptions } from './tracker';
export * from './grammar';

export function createPlateReader(opts?: PlateReaderOptions): Promise<PlateReader> {
  return PlateReader.create(opts);
}
