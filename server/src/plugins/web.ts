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
  // wildcard: files are looked up per request, so a rebuilt web/dist (new asset hashes) is served
  // without a restart; misses fall through to the not-found handler (SPA fallback).
  await app.register(fastifyStatic, { root: dist, prefix: '/', wildcard: true, index: ['index.html'] });
});
