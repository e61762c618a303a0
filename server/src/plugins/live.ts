import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import websocket from '@fastify/websocket';
import { ANY_USER } from '../lib/roles';
import { LiveHub } from '../live/hub';

export const livePlugin = fp(async (app: FastifyInstance) => {
  await app.register(websocket, { options: { maxPayload: 256 * 1024 } });
  const hub = new LiveHub(app.config.redisUrl, app.config.redisPrefix, app.log);
  await hub.start();
  app.decorate('live', hub);
  app.addHook('preClose', async () => hub.close());
  // A refused upgrade (401/403) leaves a paused raw socket that would never notice the client
  // going away and would hold the server open; end it once the answer is out.
  app.addHook('onResponse', async (request, reply) => {
    if (request.headers.upgrade && reply.statusCode >= 400) request.raw.socket?.destroy();
  });
  app.get('/api/ws', { websocket: true, config: { access: ANY_USER }, schema: { hide: true } }, (socket, request) => {
    hub.attach(socket, request.principal!, request.ip);
  });
});
