// Fastify routes for a node's streams: LL-HLS and plain playlists, init/segments/parts, and
// JPEG snapshots, under /media/streams/:streamId/. The server injects `authorize` to check
// signed stream tokens; this plugin only knows about media.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { CapacityError, UnknownStreamError, validateStreamId, type MediaNode } from '../node';
import { NoKeyframeError } from '../snapshot/snapshotter';
import type { MediaStream } from '../stream';
import { segmentData, type LlHlsPackager } from './ll-hls-packager';
import { renderLowLatencyPlaylist, renderPlainPlaylist } from './playlist';

export interface AuthDenial {
  status: number;
  error: string;
  message: string;
}

export interface MediaHttpOptions {
  node: MediaNode;
  /** true lets the request through; false is a 403; an object is sent as the error. */
  authorize?: (request: FastifyRequest, streamId: string) => Promise<boolean | AuthDenial>;
  /** Who is watching, for the viewer count (default: client IP). */
  viewerKey?: (request: FastifyRequest) => string;
  /** Longest a request waits for a stream to produce its first media. */
  startTimeoutMs?: number;
}

type MediaFile =
  | { kind: 'll' | 'plain' | 'snapshot' | 'init' }
  | { kind: 'init-gen'; generation: number }
  | { kind: 'segment'; msn: number }
  | { kind: 'part'; msn: number; index: number };

const MAX_INT = 2 ** 31;

function int(s: string): number | null {
  if (!/^\d{1,10}$/.test(s)) return null;
  const n = Number(s);
  return n < MAX_INT ? n : null;
}

export function parseMediaFile(name: string): MediaFile | null {
  if (name === 'll.m3u8') return { kind: 'll' };
  if (name === 'index.m3u8') return { kind: 'plain' };
  if (name === 'snapshot.jpg') return { kind: 'snapshot' };
  if (name === 'init.mp4') return { kind: 'init' };
  let m = /^init-(\d+)\.mp4$/.exec(name);
  if (m && int(m[1]) !== null) return { kind: 'init-gen', generation: int(m[1])! };
  m = /^seg-(\d+)\.m4s$/.exec(name);
  if (m && int(m[1]) !== null) return { kind: 'segment', msn: int(m[1])! };
  m = /^part-(\d+)\.(\d+)\.m4s$/.exec(name);
  if (m && int(m[1]) !== null && int(m[2]) !== null && int(m[2])! < 1000) return { kind: 'part', msn: int(m[1])!, index: int(m[2])! };
  return null;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Blocking-reload query: `_HLS_msn` (and optionally `_HLS_part`), validated. */
export function parseBlockingQuery(query: Record<string, unknown>): { msn: number; part?: number } | null {
  const rawMsn = query._HLS_msn;
  const rawPart = query._HLS_part;
  if (rawMsn === undefined) {
    if (rawPart !== undefined) throw new HttpError(400, 'bad_request', '_HLS_part requires _HLS_msn');
    return null;
  }
  const msn = typeof rawMsn === 'string' ? int(rawMsn) : null;
  if (msn === null) throw new HttpError(400, 'bad_request', '_HLS_msn must be a non-negative integer');
  if (rawPart === undefined) return { msn };
  const part = typeof rawPart === 'string' ? int(rawPart) : null;
  if (part === null) throw new HttpError(400, 'bad_request', '_HLS_part must be a non-negative integer');
  return { msn, part };
}

// Apple: hold a blocking request at most three target durations, then 503.
const blockTimeoutMs = (p: LlHlsPackager) => 3 * p.targetDuration * 1000;

async function waitOrFail(p: LlHlsPackager, ready: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const r = await p.waitFor(ready, timeoutMs);
  if (r === 'timeout') throw new HttpError(503, 'not_ready', `${what} not available within ${timeoutMs} ms`);
  if (r === 'closed') throw new HttpError(503, 'stream_stopped', 'the stream stopped');
}

export const mediaHttpPlugin: FastifyPluginAsync<MediaHttpOptions> = async (app, opts) => {
  const { node } = opts;
  const viewerKey = opts.viewerKey ?? ((req: FastifyRequest) => req.ip);
  const startTimeoutMs = opts.startTimeoutMs ?? 10_000;

  app.get<{ Params: { streamId: string; file: string }; Querystring: Record<string, unknown> }>(
    '/media/streams/:streamId/:file',
    async (request, reply) => {
      try {
        const { streamId, file } = request.params;
        try {
          validateStreamId(streamId);
        } catch {
          throw new HttpError(400, 'bad_stream_id', 'invalid stream id');
        }
        const what = parseMediaFile(file);
        if (!what) throw new HttpError(404, 'not_found', 'no such media file');
        if (opts.authorize) {
          const verdict = await opts.authorize(request, streamId);
          if (verdict === false) throw new HttpError(403, 'forbidden', 'not allowed to view this stream');
          if (verdict !== true) throw new HttpError(verdict.status, verdict.error, verdict.message);
        }
        if (!node.isKnown(streamId)) throw new HttpError(404, 'unknown_stream', `stream '${streamId}' is not served here`);
        let stream: MediaStream;
        try {
          stream = what.kind === 'snapshot' ? node.touch(streamId, 'snapshot') : node.touchHlsViewer(streamId, viewerKey(request));
        } catch (err) {
          if (err instanceof CapacityError) throw new HttpError(503, 'node_full', err.message);
          if (err instanceof UnknownStreamError) throw new HttpError(404, 'unknown_stream', err.message);
          throw err;
        }
        await serve(stream, what, request.query, reply, startTimeoutMs);
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        return reply.code(err.status).header('cache-control', 'no-store').send({ error: err.code, message: err.message });
      }
      return reply;
    },
  );
};

async function serve(stream: MediaStream, what: MediaFile, query: Record<string, unknown>, reply: FastifyReply, startTimeoutMs: number): Promise<void> {
  const p = stream.packager;
  // Nothing to play: the camera failed before its first segment, or cannot be relayed at all.
  const unplayable = () => {
    const { state, lastError } = stream.ingest;
    const failed = state === 'offline' || state === 'unsupported_codec' || (state === 'reconnecting' && p.segments.length === 0);
    if (failed) throw new HttpError(503, state, lastError ?? state);
  };
  unplayable();
  // A stream that just started has nothing yet: players (hls.js) need one whole segment.
  const hasSegment = () => p.segments.some((s) => s.complete);
  const startDone = () => hasSegment() || !['starting', 'live'].includes(stream.ingest.state);
  if (!hasSegment() && what.kind !== 'init' && what.kind !== 'init-gen') await waitOrFail(p, startDone, startTimeoutMs, 'first segment');
  unplayable();

  switch (what.kind) {
    case 'll': {
      const block = parseBlockingQuery(query);
      if (block) {
        if (p.isTooFarAhead(block.msn)) throw new HttpError(400, 'bad_request', `_HLS_msn ${block.msn} is too far ahead of the live edge`);
        await waitOrFail(p, () => p.hasReached(block.msn, block.part), blockTimeoutMs(p), `segment ${block.msn}`);
      }
      playlistReply(reply).send(renderLowLatencyPlaylist(p));
      return;
    }
    case 'plain': {
      playlistReply(reply).send(renderPlainPlaylist(p));
      return;
    }
    case 'init':
    case 'init-gen': {
      const init = p.inits.get('generation' in what ? what.generation : p.latestInitGeneration);
      if (!init) throw new HttpError(404, 'gone', 'init segment not in the window');
      mediaReply(reply, 'video/mp4', 'max-age=3600').send(init);
      return;
    }
    case 'segment': {
      const { msn } = what;
      // The segment being written is worth waiting for; anything further ahead does not exist.
      if (!p.hasReached(msn) && msn === p.nextPartAddress().msn) {
        await waitOrFail(p, () => p.hasReached(msn), blockTimeoutMs(p), `segment ${msn}`);
      }
      const seg = p.getSegment(msn);
      const data = seg && segmentData(seg);
      if (!data) throw new HttpError(404, 'gone', `segment ${msn} is not in the window`);
      mediaReply(reply, 'video/mp4', 'max-age=60').send(data);
      return;
    }
    case 'part': {
      const { msn, index } = what;
      const next = p.nextPartAddress();
      const isNext = msn === next.msn && index === next.index;
      if (isNext) await waitOrFail(p, () => p.hasReached(msn, index), blockTimeoutMs(p), `part ${msn}.${index}`);
      let part = p.getPart(msn, index);
      // A preload hint guessed the part would be in segment msn, but a keyframe began the next one.
      if (!part && isNext) part = p.getPart(msn + 1, 0);
      if (!part) throw new HttpError(404, 'gone', `part ${msn}.${index} is not in the window`);
      mediaReply(reply, 'video/mp4', 'max-age=60').send(part.data);
      return;
    }
    case 'snapshot': {
      try {
        const snap = await stream.snapshots.take();
        reply
          .header('content-type', 'image/jpeg')
          .header('cache-control', 'no-store')
          .header('last-modified', new Date(snap.takenAt).toUTCString())
          .send(snap.jpeg);
      } catch (err) {
        if (err instanceof NoKeyframeError) throw new HttpError(503, 'not_ready', err.message);
        throw new HttpError(502, 'snapshot_failed', (err as Error).message);
      }
      return;
    }
  }
}

function playlistReply(reply: FastifyReply): FastifyReply {
  return reply.header('content-type', 'application/vnd.apple.mpegurl').header('cache-control', 'no-cache');
}

function mediaReply(reply: FastifyReply, type: string, cache: string): FastifyReply {
  return reply.header('content-type', type).header('cache-control', cache);
}
