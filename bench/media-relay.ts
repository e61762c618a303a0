// CPU and memory per relayed stream: the media node (one ffmpeg -c copy per camera into fMP4,
// packaged into LL-HLS in Node) against a plain `ffmpeg -c copy` → HLS pull of the same
// sources, side by side in the same windows, for N = 1, 8, 32 streams; then LL-HLS latency in hls.js.
// Sources are the same 640×360 25 fps clip looped in real time (-re), identical for both sides.
// CPU and RSS come from /proc; the bench process's own CPU counts for the node side.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { mediaHttpPlugin } from '../media/src/hls/http-plugin';
import { MediaNode } from '../media/src/node';
import { launchBrowser } from '../tests/support/browser';
import { clip, ffmpegChildren } from '../tests/media-fixtures';
import { cpuSeconds, rssMb, sleep } from './lib/proc';

const COUNTS = (process.env.QLY_BENCH_STREAMS ?? '1,8,32').split(',').filter(Boolean).map(Number);
const WINDOW_MS = Number(process.env.QLY_BENCH_WINDOW_MS ?? 10_000);
const WARMUP_MS = 3000;
const WINDOWS = Number(process.env.QLY_BENCH_WINDOWS ?? 3);

interface Sample {
  cpuPct: number;
  rssMb: number;
  /** Node side only: the share spent in this (JavaScript) process. */
  jsCpuPct?: number;
  /** Node side only: ingests that left `live` during the windows (each restart costs a spawn). */
  restarts?: number;
}

const cpuOf = (pids: number[]) => pids.reduce((n, p) => n + cpuSeconds(p), 0);
const rssOf = (pids: number[]) => pids.reduce((n, p) => n + rssMb(p), 0);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function startPlainPulls(src: string, n: number, dir: string): ChildProcess[] {
  const kids: ChildProcess[] = [];
  for (let i = 0; i < n; i++) {
    const out = path.join(dir, `b${i}`);
    mkdirSync(out, { recursive: true });
    kids.push(
      spawn('ffmpeg', [
        '-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', src, '-map', '0:v:0', '-c', 'copy',
        '-f', 'hls', '-hls_time', '1', '-hls_list_size', '6', '-hls_segment_type', 'fmp4',
        '-hls_flags', 'delete_segments+omit_endlist+program_date_time+independent_segments', path.join(out, 'index.m3u8'),
      ], { stdio: 'ignore' }),
    );
  }
  return kids;
}

/**
 * Both sides run at once and are measured over the same windows, so the load other work puts on
 * this shared machine hits them alike; the median of WINDOWS windows is reported.
 */
async function compare(src: string, n: number, dir: string): Promise<{ node: Sample; plain: Sample }> {
  const rssBase = process.memoryUsage().rss / 2 ** 20;
  const plain = startPlainPulls(src, n, dir);
  const plainPids = new Set(plain.map((k) => k.pid!));
  const node = new MediaNode({ id: 'bench', address: 'http://127.0.0.1', capacity: 1000 });
  for (let i = 0; i < n; i++) node.acquire(`s${i}`, { url: src }, 'pin:bench');
  const nodePids = () => ffmpegChildren().filter((p) => !plainPids.has(p));
  try {
    // A loaded machine starts many ffmpegs slowly: measure only once all are live.
    for (let waited = 0; waited < 60_000 && node.statuses().some((x) => x.state !== 'live'); waited += 250) await sleep(250);
    await sleep(WARMUP_MS);
    let restarts = 0;
    node.on('status', (st) => {
      if (st.state !== 'live') restarts++;
    });
    const nodeCpu: number[] = [];
    const jsCpu: number[] = [];
    const plainCpu: number[] = [];
    for (let w = 0; w < WINDOWS; w++) {
      const np = nodePids();
      const pp = [...plainPids];
      const n0 = cpuOf(np);
      const p0 = cpuOf(pp);
      const s0 = process.cpuUsage();
      const t0 = performance.now();
      await sleep(WINDOW_MS);
      const secs = (performance.now() - t0) / 1000;
      const self = process.cpuUsage(s0);
      const js = (self.user + self.system) / 1e6;
      nodeCpu.push(((cpuOf(np) - n0 + js) / secs) * 100);
      jsCpu.push((js / secs) * 100);
      plainCpu.push(((cpuOf(pp) - p0) / secs) * 100);
    }
    const live = node.statuses().filter((x) => x.state === 'live').length;
    if (live !== n) console.warn(`only ${live}/${n} streams live at the end`);
    return {
      node: { cpuPct: median(nodeCpu), jsCpuPct: median(jsCpu), restarts, rssMb: rssOf(nodePids()) + Math.max(0, process.memoryUsage().rss / 2 ** 20 - rssBase) },
      plain: { cpuPct: median(plainCpu), rssMb: rssOf([...plainPids]) },
    };
  } finally {
    for (const k of plain) k.kill('SIGKILL');
    await node.close();
    await sleep(300);
  }
}

/** hls.js in Chromium on one LL-HLS stream: latency behind the live edge by PROGRAM-DATE-TIME. */
async function llHlsLatency(src: string, partTargetS: number): Promise<{ partTargetS: number; p50: number; p95: number; samples: number; stalls: number }> {
  const node = new MediaNode({ id: 'bench-hls', address: 'http://127.0.0.1', hls: { partTargetS } });
  node.assign('cam', { url: src });
  const app = Fastify();
  await app.register(mediaHttpPlugin, { node });
  const hlsJs = readFileSync(createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js'));
  app.get('/hls.js', (_q, r) => r.type('application/javascript').send(hlsJs));
  app.get('/', (_q, r) =>
    r.type('text/html').send(`<video id="v" muted autoplay></video><script src="/hls.js"></script><script>
      const hls = new Hls({ lowLatencyMode: true, maxLiveSyncPlaybackRate: 1.5 }); window.hls = hls; window.stalls = 0;
      hls.on(Hls.Events.ERROR, (_e, d) => { if (d.details === 'bufferStalledError') window.stalls++; });
      hls.loadSource('/media/streams/cam/ll.m3u8'); hls.attachMedia(document.getElementById('v'));</script>`),
  );
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(base);
    await page.waitForFunction(() => (document.getElementById('v') as HTMLVideoElement).currentTime > 1, undefined, { timeout: 30_000 });
    await sleep(4000); // let hls.js catch up to its target latency
    const lat: number[] = [];
    for (let i = 0; i < 40; i++) {
      const v = await page.evaluate(() => {
        const h = (window as unknown as { hls: { playingDate: Date | null } }).hls;
        return h.playingDate ? Date.now() - h.playingDate.getTime() : null;
      });
      if (v !== null) lat.push(v);
      await sleep(250);
    }
    const stalls = await page.evaluate(() => (window as unknown as { stalls: number }).stalls);
    lat.sort((a, b) => a - b);
    const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
    return { partTargetS, p50: q(0.5), p95: q(0.95), samples: lat.length, stalls };
  } finally {
    await browser.close();
    await app.close();
    await node.close();
  }
}

async function main(): Promise<void> {
  const src = await clip('baseline');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qly-bench-hls-'));
  const rows: Record<string, number | string>[] = [];
  try {
    for (const n of COUNTS) {
      const { node: r, plain: b } = await compare(src, n, dir);
      rows.push({
        streams: n,
        'node cpu %': +r.cpuPct.toFixed(1),
        'of which js %': +(r.jsCpuPct ?? 0).toFixed(1),
        'plain ffmpeg cpu %': +b.cpuPct.toFixed(1),
        'cpu ratio': +(r.cpuPct / b.cpuPct).toFixed(2),
        'node cpu %/stream': +(r.cpuPct / n).toFixed(2),
        'node MB/stream': +(r.rssMb / n).toFixed(1),
        'ingest restarts': r.restarts ?? 0,
        'plain MB/stream': +(b.rssMb / n).toFixed(1),
        'streams/core (node)': Math.floor(100 / (r.cpuPct / n)),
      });
    }
    const latency = [];
    if (!process.env.QLY_BENCH_SKIP_BROWSER) for (const part of [0.2, 0.1]) latency.push(await llHlsLatency(src, part));
    const load = os.loadavg().map((x) => x.toFixed(1)).join(' ');
    console.log(`\nmedia relay — ${os.cpus().length} cores (${os.cpus()[0]?.model}), load avg ${load}, median of ${WINDOWS} × ${WINDOW_MS / 1000} s windows`);
    console.table(rows);
    for (const l of latency) {
      console.log(`LL-HLS in hls.js (lowLatencyMode), parts of ${l.partTargetS * 1000} ms, behind the ingest by PROGRAM-DATE-TIME: p50 ${l.p50} ms, p95 ${l.p95} ms (${l.samples} samples, ${l.stalls} stalls)`);
    }
    mkdirSync('bench/results', { recursive: true });
    writeFileSync(
      'bench/results/media-relay.json',
      JSON.stringify({ cores: os.cpus().length, cpu: os.cpus()[0]?.model, loadavg: os.loadavg(), windowMs: WINDOW_MS, windows: WINDOWS, rows, llHlsLatencyMs: latency, at: new Date().toISOString() }, null, 2),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
