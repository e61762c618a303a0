// Starts incidents with the API server: decorates `app.incidents` (the service) and
// `app.incidentRuntime` (intake, jobs, settings); stops them before the database closes. Patrol
// members' access to incident cameras is decided here and enforced by the stream guard.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { IncidentRuntime } from './runtime';
import { patrolStreamAccess } from './stream-access';
import type { IncidentService } from './service';
import { incidentSettings } from './settings';

declare module 'fastify' {
  interface FastifyInstance {
    incidents: IncidentService;
    incidentRuntime: IncidentRuntime;
  }
}

export const incidentsPlugin = fp(
  async (app: FastifyInstance) => {
    const runtime = new IncidentRuntime(
      {
        db: app.db,
        redisUrl: app.config.redisUrl,
        redisPrefix: app.config.redisPrefix,
        mqttUrl: app.config.mqttUrl,
        log: app.log.child({ part: 'incidents' }),
        publish: (topic, data, audience) => app.live.publish(topic, data, audience),
        // A team that got an incident may watch its camera at once; one that lost it stops at once.
        streamAccessChanged: async (ended) => (ended ? app.parents.recheck('patrol') : app.parents.changed('patrol')),
      },
      incidentSettings(process.env, app.config.redisPrefix),
    );
    app.decorate('incidents', runtime.service);
    app.decorate('incidentRuntime', runtime);
    app.parents.access.allowRole('patrol', patrolStreamAccess(app.db));
    app.addHook('onReady', async () => runtime.start());
    app.addHook('preClose', async () => runtime.close());
    app.health.register('incidents', async () => {
      const mqtt = runtime.mqttConnected;
      return mqtt === false ? { status: 'degraded', detail: 'MQTT alarm intake disconnected' } : { status: 'ok' };
    });
  },
  { name: 'incidents', dependencies: ['qly-parents'] },
);
