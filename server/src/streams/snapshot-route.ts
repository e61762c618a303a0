// `GET /api/cameras/:id/snapshot`: a JPEG of the camera's newest keyframe for staff pages (the
// zone editor, thumbnails) with the session cookie alone — no stream token to fetch first, so
// an <img src> works. It comes from the single ingest in media/ (started on demand and held for
// the usual lease, like an HLS viewer), never from a second pull from the camera.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { CapacityError, type MediaStream } from '../../../media/src';
import { NoKeyframeError } from '../../../media/src/snapshot/snapshotter';
import { HttpError, notFound } from '../lib/http-error';
import { errorResponses, IdParams } from '../lib/schemas';
import { streamIdOf, type Profile } from './stream-ids';

const START_TIMEOUT_MS = 10_000;

export default async function cameraSnapshotRoutes(app: FastifyInstance) {
  app.get(
    '/api/cameras/:id/snapshot',
    {
      config: { access: ['admin', 'operator'] },
      schema: {
        tags: ['streams'],
        description: 'JPEG of the newest keyframe of the camera (sub profile when the camera has one). Starts the stream when idle; 503 when the camera cannot be reached.',
        params: IdParams,
        querystring: Type.Object(
          {
            profile: Type.Optional(Type.Union([Type.Literal('main'), Type.Literal('sub')])),
            /** Ignored: lets an <img> ask for a fresh picture under a new URL. */
            t: Type.Optional(Type.String({ maxLength: 32 })),
          },
          { additionalProperties: false },
        ),
        response: errorResponses,
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const { rows } = await app.db.query<{ rtsp_sub: string | null }>('SELECT rtsp_sub FROM cameras WHERE id = $1', [id]);
      if (!rows[0]) throw notFound('Camera');
      const profile: Profile = (request.query as { profile?: Profile }).profile ?? (rows[0].rtsp_sub ? 'sub' : 'main');
      const streamId = streamIdOf(id, profile);
      if (!(await app.ensureStream(streamId))) throw new HttpError(404, 'unknown_stream', 'The camera has no stream address');
      let stream: MediaStream;
      try {
        stream = app.media.touch(streamId, 'snapshot');
      } catch (err) {
        if (err instanceof CapacityError) throw new HttpError(503, 'node_full', err.message);
        throw err;
      }
      // A stream started just now has no keyframe yet; a camera that fails answers at once.
      const failed = () => ['offline', 'unsupported_codec'].includes(stream.ingest.state) || (stream.ingest.state === 'reconnecting' && stream.packager.segments.length === 0);
      const ready = () => Boolean(stream.packager.segments.at(-1)?.parts[0]);
      await stream.packager.waitFor(() => ready() || failed(), START_TIMEOUT_MS);
      if (!ready()) throw new HttpError(503, failed() ? stream.ingest.state : 'not_ready', stream.ingest.lastError ?? 'no picture from the camera yet');
      try {
        const snap = await stream.snapshots.take();
        // Every look at a camera is on record, stills included.
        await app.audit.write(request, { action: 'camera.snapshot', targetType: 'camera', targetId: id, details: { profile } });
        return reply.type('image/jpeg').header('cache-control', 'no-store').header('last-modified', new Date(snap.takenAt).toUTCString()).send(snap.jpeg);
      } catch (err) {
        if (err instanceof NoKeyframeError) throw new HttpError(503, 'not_ready', err.message);
        throw new HttpError(502, 'snapshot_failed', (err as Error).message);
      }
    },
  );
}
