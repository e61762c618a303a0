// Glass-to-glass latency of the wall, read from the simulator's `clock` camera: every frame
// carries its capture time; the page decodes it from each frame Chromium presents and subtracts
// it from the frame's display time. Three ways to watch the same camera in one run: the wall's
// WebRTC tile, the wall's LL-HLS tile (?forceHls=all), and plain HLS (our index.m3u8 played by
// hls.js with default settings) as the baseline. Time to first frame is the wall tile's own
// measurement (tile start → first presented frame) with the ingest already warm.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../tests/support/browser';
import { operatorPage, startWallWorld } from '../tests/wall-support';

const SAMPLE_MS = Number(process.env.QLY_BENCH_SAMPLE_MS ?? 15_000);
const TTFF_RUNS = Number(process.env.QLY_BENCH_TTFF_RUNS ?? 5);
const CLIENT = fileURLToPath(new URL('./latency.client.ts', import.meta.url));

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const round = (x: number) => Math.round(x);

interface Row {
  mode: string;
  frames: number;
  p50: number;
  p95: number;
  ttffP50: number | null;
  ttffRuns: number[];
}

async function tileFirstFrame(page: Page): Promise<number> {
  const el = page.locator('[data-test=live-video][data-state=live]').first();
  await el.waitFor({ timeout: 60_000 });
  return Number(await el.getAttribute('data-first-frame-ms'));
}

async function main(): Promise<void> {
  const bundle = (await build({ entryPoints: [CLIENT], bundle: true, format: 'iife', platform: 'browser', target: 'chrome120', write: false, logLevel: 'error' })).outputFiles[0].text;
  const w = await startWallWorld('latency', [{ name: '时钟', location: 'bench', scene: 'clock' }]);
  const browser = await launchBrowser();
  const rows: Row[] = [];
  try {
    const { context, page } = await operatorPage(browser, w, { width: 1280, height: 800 });
    const me = await (await fetch(`${w.t.url}/api/auth/me`, { headers: { cookie: await w.t.login('operator', 'qly-operator-2026') } })).json();
    const userId = (me.user ?? me).id as string;
    const [cameraId] = w.cameraIds;
    // One large tile with the clock camera: the main profile, as a 1-up or fullscreen tile plays.
    await context.addInitScript(([key, value]) => localStorage.setItem(key, value), [`qly.wall.${userId}`, JSON.stringify({ current: { layout: '1', cells: [cameraId] }, saved: [] })] as const);

    for (const [mode, query] of [
      ['WebRTC (wall tile)', ''],
      ['LL-HLS (wall tile)', '?forceHls=all'],
    ] as const) {
      const ttff: number[] = [];
      for (let i = 0; i <= TTFF_RUNS; i++) {
        await page.goto(`${w.t.url}/wall${query}`);
        const ms = await tileFirstFrame(page);
        if (i > 0) ttff.push(ms); // the first run warms the ingest (and the WebRTC room)
      }
      await page.addScriptTag({ content: bundle });
      const lat = await page.evaluate((ms) => window.qlyClock.sample('[data-test=tile-video]', ms), SAMPLE_MS);
      rows.push({ mode, frames: lat.length, p50: round(pct(lat, 50)), p95: round(pct(lat, 95)), ttffP50: round(pct(ttff, 50)), ttffRuns: ttff });
    }

    // Baseline: plain HLS (1 s segments, no parts) in hls.js defaults on a blank page of the same origin.
    await page.goto(`${w.t.url}/forbidden`);
    await page.addScriptTag({ content: bundle });
    const streamId = `${cameraId}.main`;
    const token = await page.evaluate(async (streamId) => (await (await fetch('/api/stream-tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ streamId }) })).json()).token as string, streamId);
    const firstFrame = await page.evaluate(([url, token]) => window.qlyClock.playHls(url, token), [`/media/streams/${streamId}/index.m3u8`, token] as const);
    const lat = await page.evaluate((ms) => window.qlyClock.sample('#baseline', ms), SAMPLE_MS);
    rows.push({ mode: 'plain HLS baseline (hls.js defaults)', frames: lat.length, p50: round(pct(lat, 50)), p95: round(pct(lat, 95)), ttffP50: round(firstFrame), ttffRuns: [round(firstFrame)] });
  } finally {
    await browser.close();
    await w.close();
  }

  const cpus = os.cpus();
  console.log(`\nGlass-to-glass latency, clock camera main profile → Chromium — ${cpus.length} cores, ${cpus[0]?.model ?? 'unknown'}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log('| mode | frames decoded | p50 ms | p95 ms | time to first frame p50 ms (warm ingest) |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(`| ${r.mode} | ${r.frames} | ${r.p50} | ${r.p95} | ${r.ttffP50 ?? '–'} |`);
  const out = path.resolve('bench', 'results', 'latency.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), machine: { cores: cpus.length, model: cpus[0]?.model, loadavg: os.loadavg() }, sampleMs: SAMPLE_MS, rows }, null, 2));
  console.log(`\nwritten ${out}`);
}

await main();
process.exit(0);
