// Parents' access to classroom streams: the StreamGuard as `app.parents`, and the hook the
// media plugin calls on every request.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { parentSettings } from './settings';
import { StreamGuard, type StreamDenial } from './stream-guard';

declare module 'fastify' {
  interface FastifyInstance {
    parents: StreamGuard;
  }
}

export const parentsPlugin = fp(
  async (app: FastifyInstance) => {
    const guard = new StreamGuard(app, parentSettings());
    app.decorate('parents', guard);
    app.addHook('onReady', async () => guard.start());
    app.addHook('preClose', async () => guard.stop());
  },
  { name: 'qly-parents' },
);

/**
 * For `mediaHttpPlugin({ authorize })`: every playlist, init, part, segment and snapshot request
 * must carry a stream token (header `X-Stream-Token` or `?token=`) issued to this session.
 */
export function createStreamAuthorizer(app: FastifyInstance): (request: FastifyRequest, streamId: string) => Promise<true | StreamDenial> {
  return (request, streamId) => app.parents.authorizeMedia(request, streamId);
}

export { StreamGuard } from './stream-guard';
export type { StreamDenial, IssuedToken, Caller, CutView } from './stream-guard';
