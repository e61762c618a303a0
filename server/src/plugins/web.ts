// Serves the built Vue app (web/dist); the not-found handler (plugins/errors.ts) falls back to
// index.html for client-side routes.
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
});
