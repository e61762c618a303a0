// Frames for gate decisions, from the gate camera's single ingest in media/: the newest keyframe
// of the main stream as a full-resolution JPEG (media's Snapshotter decodes just that keyframe, at
// most once per keyframe). Cars wait seconds at a barrier, so one keyframe a second is plenty, and
// the plate needs the main stream's pixels (the analytics frame decoder stops at 640×360). The same
// JPEG becomes the decision's image. Used by continuous mode and by "read the gate camera now".
import type { FastifyInstance } from 'fastify';
import type { MediaStream, Snapshot } from '../../../media/src';
import { streamIdOf } from '../streams/stream-ids';

export class GateCameraUnavailable extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The gate camera's main stream, known to this node (assigned from the camera registry if needed). */
export async function gateStreamId(app: FastifyInstance, cameraId: string): Promise<string> {
  const streamId = streamIdOf(cameraId, 'main');
  if (!(await app.ensureStream(streamId))) throw new GateCameraUnavailable('The gate camera has no stream URL');
  return streamId;
}

/**
 * The first keyframe taken after `afterMs` (wall clock of the keyframe), waiting up to `timeoutMs`
 * for the ingest to start or the next keyframe to arrive.
 */
export async function nextKeyframe(stream: MediaStream, afterMs: number, timeoutMs: number, isStopped: () => boolean = () => false): Promise<Snapshot> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no keyframe yet';
  while (Date.now() < deadline && !isStopped()) {
    try {
      const snap = await stream.snapshots.take();
      if (snap.takenAt > afterMs) return snap;
    } catch (err) {
      lastError = (err as Error).message;
    }
    await sleep(200);
  }
  throw new GateCameraUnavailable(`No picture from the gate camera within ${Math.round(timeoutMs / 1000)} s (${lastError})`);
}

/** "Read the gate camera now": a fresh keyframe; the stream is kept up 15 s after (HLS-style lease). */
export async function gateCameraNow(app: FastifyInstance, cameraId: string, timeoutMs = 10_000): Promise<Snapshot> {
  const streamId = await gateStreamId(app, cameraId);
  const stream = app.media.touch(streamId, 'gate:check');
  // A snapshot at most a second old is "now" for a car standing at the barrier.
  return nextKeyframe(stream, Date.now() - 1500, timeoutMs);
}
