// Gate check throughput and latency on loopback: POST /api/gates/:gateId/check by plate text at a
// fixed offered rate (open loop, default 1000 req/s for 60 s, from a separate load-generator
// process: plates-gate-load.ts), then by camera image (sequential). Real server, PostgreSQL and
// Redis, as in the tests. `npx tsx bench/plates-gate.ts`; QLY_BENCH_RATE, QLY_BENCH_SECONDS,
// QLY_BENCH_IMAGES, QLY_BENCH_WARMUP, QLY_BENCH_FLOOR_SECONDS override. Baseline in the same run:
// PostgreSQL alone doing one durable INSERT per request at the same rate (bench/lib/commit-floor.ts). CPU (server, its PostgreSQL backends, the
// generator) is counted over the open loop only. Writes bench/results/plates-gate.json.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { Rng } from '../analytics/src/plates/rng';
import { makeScene } from '../analytics/src/plates/scene';
import { randomPlate } from '../analytics/src/plates/synth';
import { startTestApp } from '../tests/support/app';
import { commitFloor } from './lib/commit-floor';

const RATE = Number(process.env.QLY_BENCH_RATE ?? 1000);
const SECONDS = Number(process.env.QLY_BENCH_SECONDS ?? 60);
const IMAGES = Number(process.env.QLY_BENCH_IMAGES ?? 20);
const WARMUP = Number(process.env.QLY_BENCH_WARMUP ?? 20000);
const FLOOR_SECONDS = Number(process.env.QLY_BENCH_FLOOR_SECONDS ?? 15);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};

interface LoadResult {
  serial: number[];
  open: number[];
  errors: number;
  elapsed: number;
  /** The generator's own CPU during the open loop. */
  cpuMs: number;
}

/** CPU ms so far of each PostgreSQL backend serving `database`, by pid (Linux /proc; empty elsewhere). */
function postgresCpuMs(database: string): Map<string, number> {
  const byPid = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(` ${database} `)) continue;
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      byPid.set(pid, (Number(fields[11]) + Number(fields[12])) * 10); // utime + stime, USER_HZ 100
    } catch {
      // the process ended meanwhile
    }
  }
  return byPid;
}

/** CPU used between two samples; pool connections that closed meanwhile (idle) drop out, new ones count whole. */
const cpuSince = (before: Map<string, number>, after: Map<string, number>) => [...after].reduce((sum, [pid, ms]) => sum + ms - (before.get(pid) ?? 0), 0);

/** Runs the generator; `onOpen` is called when its open loop starts (after warm-up and serial). */
function runLoad(job: { url: string; key: string; plates: string[]; rate: number; seconds: number; serial: number; warmup: number }, onOpen: () => void): Promise<LoadResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('bench', 'plates-gate-load.ts'), JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    if (out.startsWith('open\n')) {
      out = out.slice(5);
      onOpen();
    }
  });
  return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load generator exited with ${code}`)))));
}

async function main(): Promise<void> {
  const t = await startTestApp({ label: 'benchgate' });
  try {
    const rng = new Rng(7);
    // 1000 registered vehicles in 500 households, a few passes and watch-list entries.
    const plates: string[] = [];
    for (let i = 0; i < 500; i++) {
      const h = await t.app.db.query(`INSERT INTO households (site_id, unit, head_name) VALUES ($1, $2, '住户') RETURNING id`, [t.seed.sites.estate, `B-${i}`]);
      for (let k = 0; k < 2; k++) {
        const p = randomPlate(rng);
        plates.push(p.text);
        await t.app.db.query(`INSERT INTO vehicles (household_id, plate, plate_type, declared_value) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [h.rows[0].id, p.text, p.color, 100000 + i * 100]);
      }
    }
    for (let i = 0; i < 50; i++) plates.push(randomPlate(rng).text); // unknown visitors
    const url = new URL(`${t.url}/api/gates/${t.seed.gateId}/check`);
    // CPU is counted over the open loop only: a barrier server runs for days, so the steady state
    // (after the JIT has optimised the hot path during warm-up) is what a check costs.
    let cpuOpen = process.cpuUsage();
    let pgOpen = new Map<string, number>();
    // How long the server's event loop was blocked (any check waits that long): tells a tail made
    // by our own process (GC, a long synchronous task) from one made by PostgreSQL or the kernel.
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    const load = await runLoad({ url: url.toString(), key: t.seed.gateKey, plates, rate: RATE, seconds: SECONDS, serial: 1000, warmup: WARMUP }, () => {
      cpuOpen = process.cpuUsage();
      pgOpen = postgresCpuMs(t.db.name);
      loopDelay.enable();
    });
    loopDelay.disable();
    const eventLoopDelay = { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
    const cpu = process.cpuUsage(cpuOpen);
    const pgMs = cpuSince(pgOpen, postgresCpuMs(t.db.name));
    const { serial, open: lat, errors, elapsed } = load;
    const serverCpuPerRequestMs = (cpu.user + cpu.system) / 1000 / lat.length;
    const cpuShare = { serverCores: (cpu.user + cpu.system) / 1e6 / elapsed, postgresCores: pgMs / 1000 / elapsed, loadGeneratorCores: load.cpuMs / 1000 / elapsed };

    const agent = new http.Agent({ keepAlive: true });
    const post = (body: string) =>
      new Promise<{ status: number; ms: number }>((resolve) => {
        const started = performance.now();
        const req = http.request(
          { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'x-device-key': t.seed.gateKey, 'content-length': Buffer.byteLength(body) } },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
          },
        );
        req.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
        req.end(body);
      });
    const imageMs: number[] = [];
    const srng = new Rng(11);
    for (let i = 0; i < IMAGES; i++) {
      const scene = await makeScene(srng);
      imageMs.push((await post(JSON.stringify({ image: scene.jpeg.toString('base64') }))).ms);
    }
    agent.destroy();
    const floor = await commitFloor(t.app.db, RATE, FLOOR_SECONDS, pct);

    const result = {
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`,
      cpus: os.cpus().length,
      loadAvg1m: os.loadavg()[0],
      byTextOneInFlight: { requests: serial.length, p50: pct(serial, 50), p99: pct(serial, 99) },
      byText: { offeredRate: RATE, seconds: SECONDS, requests: lat.length, achievedRate: lat.length / elapsed, errors, p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99), max: Math.max(...lat) },
      byImage1080p: { requests: IMAGES, p50: pct(imageMs, 50), p99: pct(imageMs, 99) },
      baselineDurableInsert: floor,
      serverCpuPerRequestMs,
      postgresCpuPerRequestMs: pgMs / lat.length,
      cpuShare,
      eventLoopDelay,
    };
    console.log(`gate check bench — ${result.machine}, load ${result.loadAvg1m.toFixed(1)}, Node ${process.version}`);
    console.log('| mode | requests | rate | errors | p50 ms | p95 ms | p99 ms | max ms |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    const c = result.byTextOneInFlight;
    console.log(`| plate text, 1 in flight | ${c.requests} | closed loop | — | ${c.p50.toFixed(2)} | — | ${c.p99.toFixed(2)} | — |`);
    const b = result.byText;
    console.log(`| plate text | ${b.requests} | ${b.achievedRate.toFixed(0)}/s of ${RATE}/s | ${errors} | ${b.p50.toFixed(2)} | ${b.p95.toFixed(2)} | ${b.p99.toFixed(2)} | ${b.max.toFixed(1)} |`);
    console.log(`| baseline: PostgreSQL alone, 1 durable INSERT per request | ${floor.requests} | ${floor.rate.toFixed(0)}/s of ${RATE}/s | — | ${floor.p50.toFixed(2)} | — | ${floor.p99.toFixed(2)} | ${floor.max.toFixed(1)} |`);
    console.log(`CPU per plate-text check in the open loop: server ${serverCpuPerRequestMs.toFixed(3)} ms (whole process, incl. pushes), PostgreSQL ${result.postgresCpuPerRequestMs.toFixed(3)} ms`);
    console.log(`cores busy in the open loop: server ${cpuShare.serverCores.toFixed(2)}, PostgreSQL ${cpuShare.postgresCores.toFixed(2)}, load generator ${cpuShare.loadGeneratorCores.toFixed(2)} (of ${result.cpus})`);
    console.log(`server event-loop delay in the open loop (1 ms resolution): p50 ${eventLoopDelay.p50.toFixed(1)} ms, p99 ${eventLoopDelay.p99.toFixed(1)} ms, max ${eventLoopDelay.max.toFixed(1)} ms`);
    console.log(`| 1080p JPEG | ${IMAGES} | sequential | — | ${result.byImage1080p.p50.toFixed(1)} | — | ${result.byImage1080p.p99.toFixed(1)} | — |`);
    const dir = path.resolve('bench/results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'plates-gate.json'), JSON.stringify(result, null, 2));
  } finally {
    await t.close();
  }
}

await main();
