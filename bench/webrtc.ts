// CPU of one mediasoup worker relaying one 640×360 25 fps H.264 stream to 1/4/16/64 WebRTC
// consumers in Chromium. Baseline: the same worker receiving the stream with no consumer. The
// source loops a pre-encoded clip with codec copy, as a camera ingest does.
// Viewers count frames before the decoder and drop them (encoded insertable streams), so the
// browser's decoding does not starve the worker on a small machine. CPU comes from /proc.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignalSession, Sfu } from '../media/src/webrtc';
import { launchBrowser } from '../tests/support/browser';
import { TestPattern, ViewerPage } from '../tests/webrtc-harness';
import { cpuSeconds, rssMb, sleep } from './lib/proc';

const COUNTS = (process.env.QLY_BENCH_VIEWERS ?? '1,4,16,64').split(',').map(Number);
const WINDOW_MS = Number(process.env.QLY_BENCH_WINDOW_MS ?? 15_000);


interface Row {
  viewers: number;
  workerCpuPct: number;
  perViewerPct: number | null;
  workerRssMb: number;
  fpsPerViewer: number;
  minFps: number;
  /** Viewers that received at least 20 fps during the window. */
  receiving: number;
  /** Joins that failed so far (signalling or ICE timed out on a starved machine). */
  failedJoins: number;
}

async function main(): Promise<void> {
  const sfu = await Sfu.start({ workers: 1, maxViewersPerRouter: 1000, connectTimeoutMs: 60_000 });
  const room = await sfu.openStream('bench');
  const clip = path.join(mkdtempSync(path.join(os.tmpdir(), 'qly-webrtc-bench-')), 'pattern.ts');
  await TestPattern.encodeClip(clip);
  const source = TestPattern.loop(room.getRtpInput(), clip);
  const browser = await launchBrowser();
  const session = new SignalSession(sfu, { authorize: () => true, maxViewers: 1000 });
  const page = await ViewerPage.open(browser, session);
  const [pid] = sfu.workerPids() as [number];
  const rows: Row[] = [];
  try {
    await room.whenLive();
    await sleep(2_000);
    const measure = async (): Promise<{ cpuPct: number; fps: number[] }> => {
      const before = await page.tiles();
      const c0 = cpuSeconds(pid);
      const t0 = performance.now();
      await sleep(WINDOW_MS);
      const seconds = (performance.now() - t0) / 1000;
      const cpuPct = ((cpuSeconds(pid) - c0) / seconds) * 100;
      const after = await page.tiles();
      return { cpuPct, fps: after.map((t, i) => (t.frames - (before[i]?.frames ?? 0)) / seconds) };
    };
    const idle = await measure();
    rows.push({ viewers: 0, workerCpuPct: idle.cpuPct, perViewerPct: null, workerRssMb: rssMb(pid), fpsPerViewer: 0, minFps: 0, receiving: 0, failedJoins: 0 });
    let watching = 0;
    let failedJoins = 0;
    for (const n of COUNTS) {
      while (watching < n) {
        watching += 1;
        // On an overloaded machine a join can time out; count it rather than abort the run.
        await page.watch('bench', { decode: false }).catch((err: Error) => {
          failedJoins += 1;
          console.warn(`viewer ${watching} failed to join: ${err.message.slice(0, 160)}`);
        });
      }
      // A starved browser may lose some PeerConnections on this shared machine: measure anyway
      // and report how many viewers were really receiving.
      await page.waitForFrames(10, 60_000).catch((err: Error) => console.warn(err.message.slice(0, 200)));
      await sleep(2_000); // let bandwidth estimation settle
      const m = await measure();
      const mean = m.fps.reduce((a, b) => a + b, 0) / m.fps.length;
      // Per-viewer cost over the consumers the worker actually fed during the window.
      const active = m.fps.filter((f) => f > 0).length;
      rows.push({
        viewers: n,
        workerCpuPct: m.cpuPct,
        perViewerPct: active > 0 ? (m.cpuPct - idle.cpuPct) / active : null,
        workerRssMb: rssMb(pid),
        fpsPerViewer: mean,
        minFps: Math.min(...m.fps),
        receiving: m.fps.filter((f) => f >= 20).length,
        failedJoins,
      });
    }
  } finally {
    session.close();
    await browser.close();
    await source.stop();
    await sfu.close();
    rmSync(path.dirname(clip), { recursive: true, force: true });
  }

  const largest = rows[rows.length - 1]!;
  const viewersPerCore = largest.perViewerPct && largest.perViewerPct > 0 ? Math.floor(100 / largest.perViewerPct) : null;
  const cpus = os.cpus();
  console.log(`\nWebRTC relay (mediasoup worker, 1 stream 640×360 25 fps H.264) — ${cpus.length} cores, ${cpus[0]?.model ?? 'unknown'}`);
  console.log('viewers | receiving ≥20 fps | worker CPU % of a core | per viewer (minus idle) | worker RSS MB | fps/viewer (min)');
  console.log('------: | ----------------: | ---------------------: | ----------------------: | -----------: | ---------------:');
  for (const r of rows) {
    const per = r.viewers === 0 ? '(baseline)' : (r.perViewerPct?.toFixed(3) ?? 'n/a');
    const fps = r.viewers === 0 ? '-' : `${r.fpsPerViewer.toFixed(1)} (${r.minFps.toFixed(1)})`;
    console.log(`${String(r.viewers).padStart(7)} | ${String(r.receiving).padStart(17)} | ${r.workerCpuPct.toFixed(2).padStart(22)} | ${per.padStart(23)} | ${r.workerRssMb.toFixed(1).padStart(12)} | ${fps.padStart(15)}`);
  }
  console.log(`viewers per core (from the ${largest.viewers}-viewer row): ${viewersPerCore ?? 'n/a'}`);

  const out = path.resolve('bench', 'results', 'webrtc.json');
  mkdirSync(path.dirname(out), { recursive: true });
  const result = {
    bench: 'webrtc',
    date: new Date().toISOString(),
    machine: { cores: cpus.length, model: cpus[0]?.model, loadavg: os.loadavg() },
    stream: { size: '640x360', fps: 25, codec: 'H.264 Constrained Baseline (x264 ultrafast, 1 s GOP), looped with codec copy' },
    windowMs: WINDOW_MS,
    rows,
    viewersPerCore,
  };
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${out}`);
}

await main();
