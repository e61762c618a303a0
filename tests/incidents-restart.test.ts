// Escalations survive restarts: a dispatch whose deadline passes while no server runs escalates
// once the next server starts, whether its BullMQ job survived in Redis or was lost (the
// reconciler rebuilds it from PostgreSQL). Concurrent firings of one escalation take effect once.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../server/src/app';
import { loadConfig, type AppConfig } from '../server/src/config';
import { seedDemo } from '../server/src/db/seed-demo';
import { ESCALATION_SLOT_MS, escalationJobId } from '../server/src/incidents/jobs';
import { createTestDatabase, testRedisPrefix, type TestDatabase } from './support/db';
import { alarm, createAlarmDevice, waitFor } from './incidents-support';

process.env.QLY_ACK_SECONDS = '2';
process.env.QLY_MQTT_INTAKE = '0';
process.env.QLY_RECONCILE_MS = '60000';

let db: TestDatabase;
let config: AppConfig;
const apps: FastifyInstance[] = [];

async function start(): Promise<FastifyInstance> {
  const app = await buildApp(config);
  apps.push(app);
  return app;
}
async function raise(app: FastifyInstance, key: string, deviceId: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/alarms', headers: { 'x-device-key': key }, payload: alarm(deviceId, 'sos') });
  expect(res.statusCode).toBe(201);
  return res.json().incidentId;
}
const dispatchesOf = async (app: FastifyInstance, id: string) =>
  (await app.db.query(`SELECT id, attempt, status FROM dispatches WHERE incident_id = $1 ORDER BY attempt`, [id])).rows;

beforeAll(async () => {
  db = await createTestDatabase('increstart');
  config = loadConfig({ ...process.env, NODE_ENV: 'test', DATABASE_URL: db.url, QLY_LOG_LEVEL: 'silent' }, { port: 0, redisPrefix: testRedisPrefix('increstart') });
});
afterAll(async () => {
  for (const app of apps) await app.close().catch(() => {});
  await db?.drop();
});

describe('restart', () => {
  it('resumes pending escalations after a restart, with or without the Redis job', async () => {
    const a = await start();
    await seedDemo(a);
    const dev = await createAlarmDevice(a.db, { x: 150, y: 170 });
    const kept = await raise(a, dev.key, dev.id);
    // Deadlines share a job per slot: the second alarm's deadline falls in a later slot.
    await new Promise((r) => setTimeout(r, 2 * ESCALATION_SLOT_MS));
    const lost = await raise(a, dev.key, dev.id);
    const slotJob = async (incidentId: string) =>
      escalationJobId((await a.db.query(`SELECT ack_deadline_at FROM dispatches WHERE incident_id = $1`, [incidentId])).rows[0].ack_deadline_at);
    // Simulate a Redis that lost the job (or a crash between COMMIT and queue.add).
    await a.incidentRuntime.jobs.queue.remove(await slotJob(lost));
    expect(await a.incidentRuntime.jobs.queue.getJob(await slotJob(lost))).toBeUndefined();
    expect(await a.incidentRuntime.jobs.queue.getJob(await slotJob(kept))).toBeDefined();
    await a.close();
    // Both deadlines pass while nothing runs.
    await new Promise((r) => setTimeout(r, 2500));
    const b = await start();
    for (const id of [kept, lost]) {
      await waitFor(`escalation of ${id}`, async () => (await dispatchesOf(b, id)).some((d) => d.status === 'escalated'), 10_000);
      const ds = await dispatchesOf(b, id);
      expect(ds[0].status).toBe('escalated');
      expect(ds[1]).toMatchObject({ attempt: 2, status: 'pending' });
    }
    const { rows } = await b.db.query(`SELECT incident_id, count(*)::int AS n FROM incident_events WHERE action = 'escalated' GROUP BY incident_id`);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    await b.close();
  });

  it('fires a due escalation once when many workers race for it', async () => {
    const c = await start();
    const d = await start(); // two servers, two BullMQ workers on one queue
    const dev = await createAlarmDevice(c.db, { x: 150, y: 170 });
    const id = await raise(c, dev.key, dev.id);
    const first = (await dispatchesOf(c, id))[0].id;
    await c.db.query(`UPDATE dispatches SET ack_deadline_at = now() - interval '1 second' WHERE id = $1`, [first]);
    const outcomes = await Promise.all([...Array(8)].map((_, i) => (i % 2 ? c : d).incidents.escalate(first)));
    expect(outcomes.filter((o) => o.kind === 'escalated')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'noop')).toHaveLength(7);
    // The BullMQ job still fires later and finds nothing to do.
    await new Promise((r) => setTimeout(r, 2500));
    const esc = await c.db.query(`SELECT count(*)::int AS n FROM incident_events WHERE incident_id = $1 AND action = 'escalated' AND data->>'dispatchId' = $2`, [id, first]);
    expect(esc.rows[0].n).toBe(1);
    // The unique index refuses a second 'escalated' entry for the same dispatch outright.
    await expect(
      c.db.query(`INSERT INTO incident_events (incident_id, actor_kind, action, data) VALUES ($1, 'system', 'escalated', $2)`, [id, { dispatchId: first }]),
    ).rejects.toThrow(/duplicate key/);
  });
});
