// Standalone incident worker: escalation and notification jobs, the reconciler and (unless
// QLY_MQTT_INTAKE=0) the MQTT alarm intake, without the HTTP API. Run it next to API servers that
// have QLY_INCIDENT_WORKER=0 / QLY_MQTT_INTAKE=0:  tsx server/src/workers/main.ts
import { Redis } from 'ioredis';
import pg from 'pg';
import pino from 'pino';
import { ConfigError, loadConfig } from '../config';
import { migrate } from '../db/migrate';
import { IncidentRuntime } from '../incidents/runtime';
import { incidentSettings } from '../incidents/settings';
import { publishLive } from '../live/hub';

try {
  const config = loadConfig();
  const log = pino({ level: config.logLevel, base: { part: 'incident-worker' } });
  if (config.migrate) await migrate(config.databaseUrl);
  const db = new pg.Pool({ connectionString: config.databaseUrl, max: config.databasePoolSize });
  db.on('error', (err) => log.error({ err }, 'idle PostgreSQL client error'));
  // Autopipelining: the live pushes of one batch of escalations leave in one socket write.
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3, enableAutoPipelining: true });
  redis.on('error', (err) => log.warn({ err: err.message }, 'redis error'));
  const settings = { ...incidentSettings(process.env, config.redisPrefix), worker: true };
  const runtime = new IncidentRuntime(
    {
      db,
      redisUrl: config.redisUrl,
      redisPrefix: config.redisPrefix,
      mqttUrl: config.mqttUrl,
      log,
      publish: (topic, data, audience) => publishLive(redis, config.redisPrefix, topic, data, audience),
    },
    settings,
  );
  await runtime.start();
  log.info({ mqttIntake: settings.mqttIntake }, 'incident worker started');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'incident worker stopping');
      void runtime
        .close()
        .then(() => Promise.all([db.end(), redis.quit()]))
        .finally(() => process.exit(0));
    });
  }
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`Configuration error: ${err.message}`);
    process.exit(2);
  }
  throw err;
}
