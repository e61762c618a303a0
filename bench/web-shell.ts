// How fast the web shell is on this machine, in Debian Chromium against a real control plane:
// bytes the login page needs, time to a usable login form (cold HTTP cache vs warm), login → home
// shell rendered, and switching between admin pages until the table shows rows.
// `npm run bench:web`; writes bench/results/web-shell.json.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../tests/support/app';
import { launchBrowser } from '../tests/support/browser';
import { webDistCopy } from '../tests/support/web';

const RUNS = Number(process.env.QLY_BENCH_RUNS ?? 10);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const kb = (n: number) => Math.round(n / 102.4) / 10;

/** Bytes of what index.html loads before the first route (entry script, preloads, CSS). */
function initialBytes(dist: string): { files: number; raw: number; gzip: number; total: { raw: number; gzip: number } } {
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]);
  let raw = 0;
  let gzip = 0;
  for (const r of refs) {
    const buf = readFileSync(path.join(dist, r));
    raw += buf.length;
    gzip += gzipSync(buf).length;
  }
  let allRaw = 0;
  let allGzip = 0;
  for (const f of readdirSync(path.join(dist, 'assets'))) {
    const p = path.join(dist, 'assets', f);
    allRaw += statSync(p).size;
    allGzip += gzipSync(readFileSync(p)).length;
  }
  return { files: refs.length, raw, gzip, total: { raw: allRaw, gzip: allGzip } };
}

async function loginForm(browser: Browser, app: TestApp): Promise<{ cold: number[]; warm: number[] }> {
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const ctx = await browser.newContext({ locale: 'zh-CN' });
    const page = await ctx.newPage();
    let t = performance.now();
    await page.goto(`${app.url}/login`);
    await page.locator('[data-test=login-submit]').waitFor();
    cold.push(performance.now() - t);
    t = performance.now();
    await page.reload();
    await page.locator('[data-test=login-submit]').waitFor();
    warm.push(performance.now() - t);
    await ctx.close();
  }
  return { cold, warm };
}

async function loginToHome(browser: Browser, app: TestApp): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const ctx = await browser.newContext({ locale: 'zh-CN' });
    const page = await ctx.newPage();
    await page.goto(`${app.url}/login`);
    await page.locator('input[name=username]').fill('operator');
    await page.locator('input[name=password]').fill(app.seed.users.operator.password);
    const t = performance.now();
    await page.locator('[data-test=login-submit]').click();
    await page.locator('[data-test=wall-tile]').first().waitFor();
    out.push(performance.now() - t);
    await ctx.close();
  }
  return out;
}

async function adminSwitch(browser: Browser, app: TestApp): Promise<number[]> {
  const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 800 } });
  const page = await ctx.newPage();
  await page.goto(`${app.url}/admin/users`);
  await page.locator('input[name=username]').fill('admin');
  await page.locator('input[name=password]').fill(app.seed.users.admin.password);
  await page.locator('[data-test=login-submit]').click();
  await page.waitForURL('**/admin/users');
  const out: number[] = [];
  const pages = ['admin-teams', 'admin-sites', 'admin-users'];
  for (let i = 0; i < RUNS * pages.length; i++) {
    const key = pages[i % pages.length];
    const t = performance.now();
    await page.locator(`[data-nav=${key}]`).click();
    await page.waitForURL(`**/admin/${key.slice('admin-'.length)}`);
    await page.locator('[data-test=crud-table] .el-table__row').first().waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-test=crud-table] .el-loading-mask'));
    out.push(performance.now() - t);
  }
  await ctx.close();
  return out;
}

async function main(): Promise<void> {
  const web = webDistCopy();
  const app = await startTestApp({ label: 'benchweb', config: { webDist: web.dir } });
  const browser = await launchBrowser();
  try {
    const bytes = initialBytes(web.dir);
    const form = await loginForm(browser, app);
    const home = await loginToHome(browser, app);
    const nav = await adminSwitch(browser, app);
    const row = (name: string, xs: number[]) => ({ measure: name, runs: xs.length, p50_ms: Math.round(pct(xs, 50)), p95_ms: Math.round(pct(xs, 95)) });
    const rows = [
      row('login form usable, cold cache', form.cold),
      row('login form usable, warm cache (baseline)', form.warm),
      row('login → wall rendered', home),
      row('admin page switch → rows shown', nav),
    ];
    console.log(`web shell — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average ${os.loadavg()[0].toFixed(1)}, Node ${process.version}, Chromium headless`);
    console.log(`initial load: ${bytes.files} files, ${kb(bytes.raw)} KiB (${kb(bytes.gzip)} KiB gzip); all assets ${kb(bytes.total.raw)} KiB (${kb(bytes.total.gzip)} KiB gzip)`);
    console.table(rows);
    mkdirSync('bench/results', { recursive: true });
    writeFileSync(
      'bench/results/web-shell.json',
      JSON.stringify({ machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadavg: os.loadavg()[0] }, at: new Date().toISOString(), bytes, rows }, null, 2),
    );
  } finally {
    await browser.close();
    await app.close();
    web.remove();
  }
}

await main();
