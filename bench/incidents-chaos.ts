// Reliability under kill -9: an API server (MQTT intake) and an incident worker (escalations) run as
// separate processes while alarms stream in over MQTT (with duplicates); a bounded loop kills one
// of them with SIGKILL at random moments and restarts it. Afterwards every alarm must be exactly
// one incident and every dispatch must have escalated exactly once (nobody acknowledges), with
// nothing left pending. Prints the counts; exits 1 on a violation.
// `npx tsx bench/incidents-chaos.ts` (QLY_CHAOS_RATE=40, QLY_CHAOS_SECONDS=30); writes bench/results/incidents-chaos.json.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp } from '../server/src/app';
import { loadConfig } from '../server/src/config';
import { seedDemo } from '../server/src/db/seed-demo';
import { createTestDatabase, testRedisPrefix } from '../tests/support/db';
import { createAlarmDevice, mqttPublisher, testTopicRoot, waitFor } from '../tests/incidents-support';

const RATE = Number(process.env.QLY_CHAOS_RATE ?? 40);
const SECONDS = Number(process.env.QLY_CHAOS_SECONDS ?? 30);
const ACK_SECONDS = 3;
const rand = (lo: number, hi: number) => lo + Math.random() * (hi - lo);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

const db = await createTestDatabase('chaos');
const prefix = testRedisPrefix('chaos');
const root = testTopicRoot('chaos');
const port = await freePort();
mkdirSync('bench/results', { recursive: true });
// The children's own output, for when a check fails.
const logFd = openSync(path.join(os.tmpdir(), 'qly-incidents-chaos.log'), 'w');
const env = {
  ...process.env,
  NODE_ENV: 'development',
  DATABASE_URL: db.url,
  QLY_REDIS_PREFIX: prefix,
  QLY_MQTT_TOPIC_ROOT: root,
  QLY_MQTT_CLIENT_ID: `qly-chaos-${randomBytes(4).toString('hex')}`,
  QLY_ACK_SECONDS: String(ACK_SECONDS),
  QLY_RECONCILE_MS: '3000',
  QLY_LOG_LEVEL: 'warn',
  QLY_MIGRATE: '0',
  QLY_WEB_DIST: '/nonexistent',
  QLY_PORT: String(port),
};

// Schema and demo data, in-process, with intake and worker off.
process.env.QLY_MQTT_INTAKE = '0';
process.env.QLY_INCIDENT_WORKER = '0';
const setup = await buildApp(loadConfig({ ...env, QLY_MIGRATE: '1' }), {});
await seedDemo(setup);
const devices = await Promise.all([...Array(10)].map((_, i) => createAlarmDevice(setup.db, { x: 100 + i * 20, y: 150 + i * 15 })));
await setup.close();

const procs: Record<'server' | 'worker', ChildProcess | null> = { server: null, worker: null };
const kills = { server: 0, worker: 0 };
const entry = { server: 'server/src/main.ts', worker: 'server/src/workers/main.ts' };
function launch(which: 'server' | 'worker'): void {
  // node --import tsx (not the tsx CLI, which forks a child a SIGKILL would orphan).
  const child = spawn(process.execPath, ['--import', 'tsx', entry[which]], {
    env: which === 'server' ? { ...env, QLY_INCIDENT_WORKER: '0' } : { ...env, QLY_MQTT_INTAKE: '0' },
    stdio: ['ignore', logFd, logFd],
  });
  child.on('exit', (code, signal) => writeSync(logFd, `[chaos] ${which} pid ${child.pid} exited code=${code} signal=${signal}\n`));
  procs[which] = child;
}
async function serverReady(): Promise<void> {
  await waitFor('server with MQTT intake', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null);
    if (!res) return false;
    return (await res.json()).checks?.incidents?.status === 'ok';
  }, 180_000, 250);
}

const pool = new pg.Pool({ connectionString: db.url, max: 2 });
const q = async (sql: string) => (await pool.query(sql)).rows[0];
const outcome = { ok: false };
try {
  launch('server');
  launch('worker');
  await serverReady(); // the persistent MQTT session exists from here on: nothing published is lost

  const pub = await mqttPublisher();
  const sent: string[] = [];
  let deliveries = 0;
  let streaming = true;
  const chaos = (async () => {
    while (streaming) {
      await sleep(rand(1500, 4000));
      if (!streaming) break;
      const which = Math.random() < 0.5 ? 'server' : 'worker';
      procs[which]?.kill('SIGKILL');
      kills[which]++;
      await sleep(rand(300, 1500));
      launch(which);
    }
  })();
  const start = performance.now();
  for (let i = 0; i < RATE * SECONDS; i++) {
    const wait = start + (i * 1000) / RATE - performance.now();
    if (wait > 0) await sleep(wait);
    // One in ten deliveries repeats an earlier alarm (a terminal's retry).
    const dup = sent.length > 0 && Math.random() < 0.1;
    const eventId = dup ? sent[Math.floor(Math.random() * sent.length)] : `chaos-${i}`;
    if (!dup) sent.push(eventId);
    const dev = devices[Number(eventId.split('-')[1]) % devices.length];
    const body = { deviceId: dev.id, eventId, type: 'sos', time: new Date().toISOString(), location: { x: 150, y: 170, text: eventId } };
    await pub.publishAsync(`${root}/alarms/${dev.id}`, JSON.stringify(body), { qos: 1 });
    deliveries++;
  }
  streaming = false;
  await chaos;
  await pub.endAsync();
  await serverReady();

  const expected = sent.length;
  await waitFor('every alarm stored', async () => (await q('SELECT count(*)::int AS n FROM incidents')).n >= expected, 120_000, 500).catch(() => {});
  await waitFor('every escalation done', async () => (await q(`SELECT count(*)::int AS n FROM dispatches WHERE status = 'pending'`)).n === 0, 180_000, 500).catch(() => {});

  const c = await q(`SELECT
      (SELECT count(*)::int FROM incidents) AS incidents,
      (SELECT count(DISTINCT dedup_key)::int FROM incidents) AS distinct_keys,
      (SELECT coalesce(sum(duplicates), 0)::int FROM incidents) AS merged,
      (SELECT count(*)::int FROM incidents WHERE NOT EXISTS (SELECT 1 FROM dispatches d WHERE d.incident_id = incidents.id)) AS undispatched,
      (SELECT count(*)::int FROM dispatches) AS dispatches,
      (SELECT count(*)::int FROM dispatches WHERE status = 'escalated') AS escalated_dispatches,
      (SELECT count(*)::int FROM dispatches WHERE status = 'pending') AS pending,
      (SELECT count(*)::int FROM incident_events WHERE action = 'escalated') AS escalation_events,
      (SELECT count(DISTINCT data->>'dispatchId')::int FROM incident_events WHERE action = 'escalated') AS escalated_distinct,
      (SELECT count(*)::int FROM (SELECT incident_id FROM dispatches GROUP BY incident_id HAVING count(*) <> 3) x) AS wrong_chain,
      (SELECT max((data->>'lateMs')::float8) FROM incident_events WHERE action = 'escalated') AS max_late_ms,
      (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY (data->>'lateMs')::float8) FROM incident_events WHERE action = 'escalated') AS p50_late_ms`);
  const checks: [string, boolean][] = [
    ['every alarm is one incident', c.incidents === expected && c.distinct_keys === expected],
    ['every incident was dispatched', c.undispatched === 0],
    ['nothing pending is left', c.pending === 0],
    ['every dispatch escalated exactly once', c.escalated_dispatches === c.dispatches && c.escalation_events === c.escalated_distinct && c.escalation_events === c.dispatches],
    ['three teams per incident, no more', c.wrong_chain === 0],
  ];
  outcome.ok = checks.every(([, pass]) => pass);
  const summary = {
    machine: { cpus: os.cpus().length, node: process.version },
    rate: RATE,
    seconds: SECONDS,
    alarms: expected,
    deliveries,
    kills,
    counts: c,
    checks: Object.fromEntries(checks),
  };
  console.log(`\nincidents chaos — ${os.cpus().length} CPUs, ${RATE} alarms/s for ${SECONDS} s, kill -9: server ${kills.server}×, worker ${kills.worker}×`);
  console.log(`alarms ${expected} (deliveries ${deliveries}, merged duplicates ${c.merged}) → incidents ${c.incidents}`);
  console.log(`dispatches ${c.dispatches}, escalated ${c.escalated_dispatches}, escalation log entries ${c.escalation_events} (distinct ${c.escalated_distinct}), pending ${c.pending}`);
  console.log(`escalation lateness (includes downtime): p50 ${Math.round(c.p50_late_ms)} ms, max ${Math.round(c.max_late_ms)} ms`);
  for (const [name, pass] of checks) console.log(`${pass ? 'PASS' : 'FAIL'}  ${name}`);
  writeFileSync('bench/results/incidents-chaos.json', JSON.stringify({ at: new Date().toISOString(), ...summary }, null, 2));
} finally {
  for (const p of Object.values(procs)) p?.kill('SIGKILL');
  await pool.end();
  await db.drop().catch(() => {});
}
process.exit(outcome.ok ? 0 : 1);
