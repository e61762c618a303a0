// What the stream guard costs each media request of a parent's phone (every LL-HLS part asks),
// on a real control plane (PostgreSQL, Redis): the in-process baseline (HMAC verify alone), the
// usual warm check (decision and view cached), a cold check (cache dropped: grant, schedule and
// view read from PostgreSQL), and a token renewal over HTTP.
// `npx tsx bench/parents-guard.ts` (QLY_BENCH_N=5000); writes bench/results/parents-guard.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { StreamTokenSigner } from '../server/src/parents/stream-token';
import type { Principal } from '../server/src/types';
import { INSIDE_HOURS, PARENT, startParentsWorld } from '../tests/parents-support';

const N = Number(process.env.QLY_BENCH_N ?? 5000);
process.env.QLY_VIEW_SWEEP_MS = '60000';
process.env.QLY_PARENT_MAX_VIEWERS = '20';

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const r3 = (n: number) => Math.round(n * 1000) / 1000;

async function timeIt(n: number, fn: () => Promise<unknown> | unknown): Promise<{ perSecond: number; p50: number; p99: number }> {
  for (let i = 0; i < Math.min(200, n); i++) await fn(); // warm-up
  const samples: number[] = [];
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  const total = performance.now() - start;
  return { perSecond: Math.round((n / total) * 1000), p50: r3(pct(samples, 50)), p99: r3(pct(samples, 99)) };
}

const w = await startParentsWorld({ label: 'benchparents', sim: false });
try {
  const cookie = await w.t.login(PARENT.phone, PARENT.password);
  const issued = await w.api<{ token: string; viewId: string }>('POST', '/api/stream-tokens', cookie, { streamId: w.streamA });
  if (issued.status !== 200) throw new Error(`token: ${issued.status}`);
  const { rows } = await w.t.app.db.query(
    `SELECT s.id AS session_id, u.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.phone = $1 ORDER BY s.created_at DESC LIMIT 1`,
    [PARENT.phone],
  );
  const u = rows[0];
  const principal: Principal = {
    kind: 'user',
    role: 'parent',
    sessionId: u.session_id,
    user: { id: u.id, username: u.username, displayName: u.display_name, role: 'parent', teamId: null, siteId: null, phone: u.phone, locale: 'zh-CN' },
  };
  const guard = w.t.app.parents;
  const caller = { principal, ip: '127.0.0.1' };
  const expectOk = (v: unknown) => {
    if (v !== true) throw new Error(`refused: ${JSON.stringify(v)}`);
  };

  const signer = new StreamTokenSigner(w.t.app.config.secretKey);
  const results = {
    hmacVerify: await timeIt(N, () => signer.verify(issued.body.token, INSIDE_HOURS)),
    warmCheck: await timeIt(N, async () => expectOk(await guard.check(caller, w.streamA, issued.body.token))),
    coldCheck: await timeIt(Math.ceil(N / 10), async () => {
      guard.changed();
      await new Promise((r) => setTimeout(r, 0));
      expectOk(await guard.check(caller, w.streamA, issued.body.token));
    }),
    renewHttp: await timeIt(Math.ceil(N / 10), async () => {
      const r = await w.api('POST', '/api/stream-tokens', cookie, { streamId: w.streamA, viewId: issued.body.viewId });
      if (r.status !== 200) throw new Error(`renew ${r.status}`);
    }),
  };
  const cpu = os.cpus();
  console.log(`\nStream guard — ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, Node ${process.version}, N=${N}`);
  console.log('| path | ops/s | p50 ms | p99 ms |\n| --- | ---: | ---: | ---: |');
  const label: Record<string, string> = {
    hmacVerify: 'baseline: HMAC verify only (in-process)',
    warmCheck: 'media request check, warm (cached decision + view)',
    coldCheck: 'media request check, cold (PostgreSQL reads)',
    renewHttp: 'token renewal, POST /api/stream-tokens over HTTP',
  };
  for (const [k, v] of Object.entries(results)) console.log(`| ${label[k]} | ${v.perSecond} | ${v.p50} | ${v.p99} |`);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/parents-guard.json', `${JSON.stringify({ machine: { cpus: cpu.length, model: cpu[0]?.model, node: process.version }, n: N, results }, null, 2)}\n`);
} finally {
  await w.close();
}
