// The control plane: a Fastify app built from one plugin per concern.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { AppConfig } from './config';
import { auditPlugin } from './plugins/audit';
import { authPlugin } from './plugins/auth';
import { dbPlugin } from './plugins/db';
import { docsPlugin } from './plugins/docs';
import { errorsPlugin } from './plugins/errors';
import { healthPlugin } from './plugins/health';
import { livePlugin } from './plugins/live';
import { redisPlugin } from './plugins/redis';
import { webPlugin } from './plugins/web';
import { routePlugins } from './routes';
import { validatorCompiler } from './lib/validators';
import type { RouteEntry } from './types';

export interface BuildOptions {
  /** Extra plugins registered after the core ones (demo wiring, tests). */
  plugins?: FastifyPluginAsync[];
}

export async function buildApp(config: AppConfig, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.logLevel, redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-device-key"]'] },
    bodyLimit: config.bodyLimitBytes,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    trustProxy: false,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.decorate('config', config);
  app.decorate('routeTable', [] as RouteEntry[]);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // Routes registered by libraries (docs UI, static web files) cannot carry our access rule;
  // anything outside /api/ (and the docs) is public, while /api/ routes must declare one.
  app.addHook('onRoute', (route) => {
    if (route.config?.access === undefined && (route.url.startsWith('/api/docs') || !route.url.startsWith('/api/'))) {
      route.config = { ...route.config, access: 'public' };
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') app.routeTable.push({ method, url: route.url, access: route.config?.access, websocket: Boolean(route.websocket) });
    }
  });

  await app.register(errorsPlugin);
  await app.register(healthPlugin);
  await app.register(dbPlugin);
  await app.register(redisPlugin);
  await app.register(auditPlugin);
  await app.register(authPlugin);
  await app.register(docsPlugin);
  await app.register(livePlugin);
  for (const plugin of routePlugins) await app.register(plugin);
  for (const plugin of options.plugins ?? []) await app.register(plugin);
  await app.register(webPlugin);
  await app.ready();
  return app;
}
