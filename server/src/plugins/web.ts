// Serves the built Vue app (web/dist) with an SPA fallback for client-side routes.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';

export const webPlugin = fp(async (app: FastifyInstance) => {
  const dist = app.config.webDist;
  if (!dist || !existsSync(path.join(dist, 'index.html'))) {
    app.log.warn({ dist }, 'web app not built; only the API is served');
    return;
  }
  await app.register(fastifyStatic, { root: dist, prefix: '/', wildcard: false, index: ['index.html'] });
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0];
    if (request.method === 'GET' && !url.startsWith('/api/') && !url.startsWith('/media/') && !path.extname(url)) {
      return reply.type('text/html').sendFile('index.html');
    }
    reply.status(404).send({ error: 'not_found', message: `No route ${request.method} ${url}` });
  });
});
