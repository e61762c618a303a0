import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';

export const redisPlugin = fp(async (app: FastifyInstance) => {
  const redis = new Redis(app.config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  redis.on('error', (err) => app.log.warn({ err: err.message }, 'redis error'));
  await redis.connect();
  app.decorate('redis', redis);
  app.addHook('onClose', async () => {
    await redis.quit().catch(() => redis.disconnect());
  });
  app.health.register('redis', async () => {
    await redis.ping();
    return { status: 'ok' };
  });
});
