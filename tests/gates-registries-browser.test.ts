// The gate registries and the flagged-households page in Chromium (no camera needed): staff
// register a vehicle through the shared CRUD form, a bad plate is refused in the form, and an
// affordable-housing household with a luxury car shows up on 保障房核查.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './support/app';
import { screenshotPath } from './support/browser';
import { signIn, startWebTestApp, type WebTestApp } from './support/web-app';

let t: TestApp;
let env: WebTestApp | undefined;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  env = await startWebTestApp({ label: 'gatesreg' });
  t = env.app;
  browser = env.browser;
  const estate = t.seed.sites.estate;
  const h = (await t.app.db.query(`INSERT INTO households (site_id, unit, head_name, affordable) VALUES ($1, '5-1-302', '李强', true) RETURNING id`, [estate])).rows[0].id;
  await t.app.db.query(`INSERT INTO vehicles (household_id, plate, plate_type, brand, vehicle_class, declared_value) VALUES ($1, '京A88888', 'blue', '保时捷', 'luxury', 1200000)`, [h]);
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  page = await ctx.newPage();
  page.on('pageerror', (err) => console.error('[browser]', err.message));
  await signIn(page, t.url, 'operator', 'qly-operator-2026');
}, 600_000);

afterAll(async () => {
  await env?.close();
});

const dialog = () => page.locator('.el-dialog:visible');
const field = (label: string) => dialog().locator('.el-form-item').filter({ has: page.locator('.el-form-item__label', { hasText: new RegExp(`^${label}$`) }) });
const rows = () => page.locator('[data-test=crud-table] .el-table__body-wrapper tr.el-table__row');

describe('gate registries', () => {
  it('staff register a resident vehicle; a bad plate is refused in the form', async () => {
    await page.goto(`${t.url}/gates/vehicles`);
    await rows().first().waitFor();
    expect(await rows().count()).toBe(1);
    await page.locator('[data-test=create]').click();
    await field('住户').locator('.el-select__wrapper').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '5-1-302' }).first().click();
    await field('车牌').locator('input').fill('京O12345');
    await dialog().locator('[data-test=save]').click();
    await dialog().locator('.el-form-item__error').first().waitFor();
    await field('车牌').locator('input').fill('粤b12345');
    await page.screenshot({ path: screenshotPath('gates-vehicle-form') });
    await dialog().locator('[data-test=save]').click();
    await page.locator('.el-message--success').last().waitFor();
    await page.locator('[data-test=crud-table]', { hasText: '粤B12345' }).waitFor();
    const stored = await t.app.db.query(`SELECT plate FROM vehicles WHERE plate = '粤B12345'`);
    expect(stored.rows).toHaveLength(1);
    await page.screenshot({ path: screenshotPath('gates-vehicles') });
  });

  it('staff issue a visitor pass valid from now for a day, and the gate lets it in', async () => {
    await page.goto(`${t.url}/gates/passes`);
    await page.locator('[data-test=crud-table]').waitFor();
    await page.locator('[data-test=create]').click();
    await field('小区').locator('.el-select__wrapper').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '幸福里' }).first().click();
    await field('车牌').locator('input').fill('川A5K321');
    await page.screenshot({ path: screenshotPath('gates-pass-form') });
    await dialog().locator('[data-test=save]').click();
    await page.locator('[data-test=crud-table]', { hasText: '川A5K321' }).waitFor();
    const pass = (await t.app.db.query(`SELECT valid_from, valid_to FROM visitor_passes WHERE plate = '川A5K321'`)).rows[0];
    const hours = (pass.valid_to.getTime() - pass.valid_from.getTime()) / 3_600_000;
    expect(hours).toBeCloseTo(24, 0);
    const res = await fetch(`${t.url}/api/gates/${t.seed.gateId}/check`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-device-key': t.seed.gateKey }, body: '{"plate":"川A5K321"}' });
    expect(await res.json()).toMatchObject({ decision: 'allow', rule: 'visitor-pass' });
    await page.screenshot({ path: screenshotPath('gates-passes') });
  });

  it('the flagged-households page lists the affordable household with the luxury car', async () => {
    await page.goto(`${t.url}/gates/flagged`);
    const table = page.locator('[data-test=flagged-table]');
    // The plate shows in the vehicles and in the reason (which names each car and the line it crosses).
    await table.locator('text=京A88888').first().waitFor();
    expect(await table.textContent()).toContain('李强');
    await page.screenshot({ path: screenshotPath('gates-flagged') });
  });
});
