// PostgreSQL pool; migrations are applied before the app accepts requests.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import pg from 'pg';
import { migrate } from '../db/migrate';

export const dbPlugin = fp(async (app: FastifyInstance) => {
  if (app.config.migrate) {
    const ran = await migrate(app.config.databaseUrl);
    if (ran.length) app.log.info({ migrations: ran }, 'migrations applied');
  }
  const pool = new pg.Pool({ connectionString: app.config.databaseUrl, max: app.config.databasePoolSize });
  pool.on('error', (err) => app.log.error({ err }, 'idle PostgreSQL client error'));
  app.decorate('db', pool);
  app.addHook('onClose', async () => pool.end());
  app.health.register('database', async () => {
    await pool.query('SELECT 1');
    return { status: 'ok' };
  });
});
