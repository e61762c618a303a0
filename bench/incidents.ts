// Alarm → patrol phone push latency and escalation lateness under a steady alarm stream, on a real
// control plane (PostgreSQL, Redis, Mosquitto, the live WebSocket). Two intake paths: MQTT (QoS 1)
// and the HTTP webhook (the in-process baseline: no broker hop). Every alarm auto-dispatches and,
// as nobody acknowledges, escalates when its deadline passes.
// `npx tsx bench/incidents.ts` (QLY_BENCH_RATE=100, QLY_BENCH_SECONDS=10); writes bench/results/incidents.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { hashPassword } from '../server/src/lib/passwords';
import { startTestApp } from '../tests/support/app';
import { createAlarmDevice, listenLive, mqttPublisher, testTopicRoot, waitFor, type LiveListener } from '../tests/incidents-support';

const RATE = Number(process.env.QLY_BENCH_RATE ?? 100);
const SECONDS = Number(process.env.QLY_BENCH_SECONDS ?? 10);
const ACK_SECONDS = 3;
process.env.QLY_MQTT_TOPIC_ROOT = testTopicRoot('bench');
process.env.QLY_ACK_SECONDS = String(ACK_SECONDS);

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const r1 = (n: number) => Math.round(n * 10) / 10;

const t = await startTestApp({ label: 'benchinc' });
try {
  // A phone per team: the third team gets a member for the bench.
  await t.app.db.query(`INSERT INTO users (username, display_name, password_hash, role, team_id) VALUES ('patrol3', '保安 赵六', $1, 'patrol', $2)`, [
    await hashPassword('qly-patrol-2026'),
    t.seed.teams['小区保安队'],
  ]);
  const pushedAt = new Map<string, number>(); // location text → first push to a phone
  const onPush = (e: { topic: string; data: unknown; at: number }) => {
    const loc = (e.data as { incident?: { location?: string } }).incident?.location;
    if (e.topic === 'incident.dispatched' && loc && !pushedAt.has(loc)) pushedAt.set(loc, e.at);
  };
  const phones: LiveListener[] = [];
  for (const u of ['patrol1', 'patrol2', 'patrol3']) phones.push(await listenLive(t.url, await t.login(u, 'qly-patrol-2026'), onPush));
  const devices = await Promise.all([...Array(20)].map((_, i) => createAlarmDevice(t.app.db, { x: 100 + i * 15, y: 150 + i * 10 })));

  let httpErrors = 0;
  async function stream(channel: 'mqtt' | 'http'): Promise<{ sent: number; latencies: number[]; missing: number; sendLagMs: number }> {
    const pub = channel === 'mqtt' ? await mqttPublisher() : null;
    const sentAt = new Map<string, number>();
    const total = RATE * SECONDS;
    const start = performance.now();
    let maxLag = 0;
    const inflight: Promise<unknown>[] = [];
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      maxLag = Math.max(maxLag, performance.now() - due);
      const dev = devices[i % devices.length];
      const loc = `${channel}-${i}`;
      const body = { deviceId: dev.id, eventId: `${channel}-${i}`, type: (['sos', 'smoke', 'gas'] as const)[i % 3], time: new Date().toISOString(), location: { x: 100 + (i % 40) * 8, y: 150 + (i % 25) * 12, text: loc } };
      sentAt.set(loc, Date.now());
      if (pub) inflight.push(pub.publishAsync(`${process.env.QLY_MQTT_TOPIC_ROOT}/alarms/${dev.id}`, JSON.stringify(body), { qos: 1 }));
      else {
        // A webhook terminal retries a failed POST once (the dedup key makes that safe).
        const post = () => fetch(`${t.url}/api/alarms`, { method: 'POST', headers: { 'x-device-key': dev.key, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.arrayBuffer());
        inflight.push(post().catch(() => post().catch(() => httpErrors++)));
      }
    }
    await Promise.all(inflight);
    await waitFor(`${channel} pushes`, async () => [...sentAt.keys()].every((k) => pushedAt.has(k)), 60_000, 200).catch(() => {});
    await pub?.endAsync();
    const latencies = [...sentAt].filter(([k]) => pushedAt.has(k)).map(([k, at]) => pushedAt.get(k)! - at);
    return { sent: total, latencies, missing: total - latencies.length, sendLagMs: maxLag };
  }

  const results: Record<string, unknown> = {};
  const rows: string[][] = [];
  // CPU of this process (the whole control plane plus the bench's clients) per alarm, its three
  // escalations included: unlike latency, it hardly depends on what else the machine runs.
  const cpuStart = process.cpuUsage();
  for (const channel of ['mqtt', 'http'] as const) {
    const r = await stream(channel);
    results[channel] = { sent: r.sent, pushed: r.latencies.length, missing: r.missing, p50: r1(pct(r.latencies, 50)), p99: r1(pct(r.latencies, 99)), max: r1(Math.max(...r.latencies)), publisherLagMs: r1(r.sendLagMs) };
    rows.push([`alarm → patrol push (${channel})`, String(r.sent), String(r.latencies.length), r1(pct(r.latencies, 50)).toString(), r1(pct(r.latencies, 99)).toString(), r1(Math.max(...r.latencies)).toString()]);
  }

  // Escalations: each incident passes through three teams, ACK_SECONDS apart.
  await waitFor('escalations to finish', async () => (await t.app.db.query(`SELECT count(*)::int AS n FROM dispatches WHERE status = 'pending'`)).rows[0].n === 0, 180_000, 500).catch(() => {});
  const cpu = process.cpuUsage(cpuStart);
  const cpuMsPerAlarm = r1((cpu.user + cpu.system) / 1000 / (2 * RATE * SECONDS));
  const esc = (await t.app.db.query(`SELECT (data->>'lateMs')::float8 AS late FROM incident_events WHERE action = 'escalated'`)).rows.map((r) => Number(r.late));
  const counts = (await t.app.db.query(`SELECT (SELECT count(*)::int FROM incidents) AS incidents, (SELECT count(*)::int FROM dispatches WHERE status = 'escalated') AS escalated`)).rows[0];
  results.httpErrors = httpErrors;
  results.cpuMsPerAlarm = cpuMsPerAlarm;
  results.escalation = { fired: esc.length, escalatedDispatches: counts.escalated, p50: r1(pct(esc, 50)), p99: r1(pct(esc, 99)), max: r1(Math.max(...esc)) };
  rows.push(['escalation lateness', String(counts.escalated), String(esc.length), r1(pct(esc, 50)).toString(), r1(pct(esc, 99)).toString(), r1(Math.max(...esc)).toString()]);

  // Other work on the machine changes these numbers a lot: record how busy it was.
  const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '?', node: process.version, loadAvg1m: r1(os.loadavg()[0]), rate: RATE, seconds: SECONDS };
  console.log(`\nincidents bench — ${machine.cpus} CPUs (${machine.model}), load average ${machine.loadAvg1m}, ${process.version}, ${RATE} alarms/s for ${SECONDS} s per channel, incidents ${counts.incidents}`);
  const head = ['measure', 'n', 'measured', 'p50 ms', 'p99 ms', 'max ms'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log([line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
  console.log(`control-plane CPU per alarm (with its escalations): ${cpuMsPerAlarm} ms`);
  console.log('goals: push p99 < 300 ms; escalation ≤ 1000 ms after its deadline');
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/incidents.json', JSON.stringify({ at: new Date().toISOString(), machine, results }, null, 2));
  for (const p of phones) p.close();
} finally {
  await t.close();
}
