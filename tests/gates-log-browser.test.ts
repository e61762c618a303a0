// The gate decision log (通行记录) in Chromium against a real server and PostgreSQL: decisions made
// by a barrier's device key (plate text and a camera JPEG) are listed with their plate crop, found
// by plate, verdict and rule, the filters survive a reload (they live in the address), and the
// whole picture opens from the crop.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../analytics/src/plates/rng';
import { makeScene } from '../analytics/src/plates/scene';
import type { TestApp } from './support/app';
import { screenshotPath } from './support/browser';
import { signIn, startWebTestApp, type WebTestApp } from './support/web-app';

let env: WebTestApp | undefined;
let t: TestApp;

async function check(body: unknown): Promise<{ decision: string; rule: string; plate: string | null }> {
  const res = await fetch(`${t.url}/api/gates/${t.seed.gateId}/check`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-device-key': t.seed.gateKey }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return res.json();
}

const rows = (page: Page) => page.locator('[data-test=log-table] .el-table__body tbody tr');

beforeAll(async () => {
  env = await startWebTestApp({ label: 'gatelog' });
  t = env.app;
  const q = (sql: string, params: unknown[] = []) => t.app.db.query(sql, params);
  const h = (await q(`INSERT INTO households (site_id, unit, head_name) VALUES ($1, '2-1-101', '张伟') RETURNING id`, [t.seed.sites.estate])).rows[0].id;
  await q(`INSERT INTO vehicles (household_id, plate, plate_type) VALUES ($1, '粤BB234D', 'blue')`, [h]);
  await q(`INSERT INTO watchlist (plate, reason) VALUES ('沪C12345', '盗抢车辆')`);
  expect(await check({ plate: '粤BB234D' })).toMatchObject({ decision: 'allow', rule: 'resident' });
  expect(await check({ plate: '沪C12345' })).toMatchObject({ decision: 'deny', rule: 'watchlist' });
  expect(await check({ plate: '浙A00001' })).toMatchObject({ decision: 'review', rule: 'unknown' });
  // A camera picture: kept with its decision, and the read box gives the crop (whatever was read).
  await check({ image: (await makeScene(new Rng(3))).jpeg.toString('base64') });
}, 600_000);
afterAll(async () => env?.close());

describe('gate decision log', () => {
  it('lists, filters by verdict and plate, keeps the filters in the address, and opens the picture', async () => {
    const ctx = await env!.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await ctx.newPage();
    page.on('pageerror', (err) => console.error('[browser]', err.message));
    await signIn(page, t.url, 'operator', 'qly-operator-2026');
    await page.goto(`${t.url}/gates/log`);
    await expect.poll(() => rows(page).count(), { timeout: 15_000 }).toBe(4);
    await expect.poll(() => page.locator('[data-test=log-crop] img').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(500); // the tags' enter transition
    await page.screenshot({ path: screenshotPath('gates-log') });

    // Only the denials: the watch-list car, with its rule named in Chinese.
    await page.locator('[data-test=log-verdict]').click();
    await page.locator('.el-select-dropdown__item').filter({ hasText: '拒绝' }).click();
    await expect.poll(() => rows(page).count(), { timeout: 10_000 }).toBe(1);
    expect(await rows(page).first().textContent()).toContain('沪C12345');
    expect(await rows(page).first().textContent()).toContain('布控名单');
    await expect.poll(() => new URL(page.url()).searchParams.get('decision')).toBe('deny');

    // A reload keeps the filter; then a plate search across all verdicts.
    await page.reload();
    await expect.poll(() => rows(page).count(), { timeout: 10_000 }).toBe(1);
    await page.goto(`${t.url}/gates/log?q=BB234`);
    await expect.poll(() => rows(page).count(), { timeout: 10_000 }).toBe(1);
    expect(await rows(page).first().textContent()).toContain('住户车辆');

    // The whole camera picture opens from its crop.
    await page.goto(`${t.url}/gates/log`);
    await page.locator('[data-test=log-crop] img').first().click();
    const preview = page.locator('.el-image-viewer__canvas img');
    await preview.waitFor();
    await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 10_000 }).toBeGreaterThan(1000);
    await page.screenshot({ path: screenshotPath('gates-log-picture') });
    await ctx.close();
  });

  it('is one click from the gate desk, for estate staff too, filtered to the gate', async () => {
    const ctx = await env!.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await ctx.newPage();
    await signIn(page, t.url, 'estate1', 'qly-estate-2026');
    await page.goto(`${t.url}/gates`);
    await page.locator('[data-test=decision-log-link]').click();
    await page.waitForURL((u) => u.pathname === '/gates/log' && u.searchParams.get('gateId') === t.seed.gateId);
    await expect.poll(() => rows(page).count(), { timeout: 15_000 }).toBe(4);
    await ctx.close();
  });
});
