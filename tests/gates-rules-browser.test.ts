// The estate's affordable-housing line on the flagged-households page (zh-CN): staff see the line
// and the classes above the list; an admin changes it in a dialog and the list follows at once;
// an operator sees it without the button, estate staff on a phone too. And the gate desk at
// 390×844: camera on top, decisions below, nothing wider than the phone — while the desktop keeps
// its two columns.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from './incidents-support';
import type { TestApp } from './support/app';
import { screenshotPath } from './support/browser';
import { PHONE, signIn, startWebTestApp, type WebTestApp } from './support/web-app';

let t: TestApp;
let env: WebTestApp | undefined;
let browser: Browser;

const check = async (plate: string) => {
  const res = await fetch(`${t.url}/api/gates/${t.seed.gateId}/check`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-device-key': t.seed.gateKey }, body: JSON.stringify({ plate }) });
  expect(res.status).toBe(200);
  return res.json();
};

async function signedIn(user: string, password: string, options: Parameters<Browser['newContext']>[0]): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...options });
  const page = await ctx.newPage();
  page.on('pageerror', (err) => console.error('[browser]', err.message));
  await signIn(page, t.url, user, password);
  return page;
}

/** Wider than the viewport anywhere: the document, or a scrolling box inside it (the shell's main area). */
const overflowX = (page: Page) =>
  page.evaluate(() => {
    const wide = [document.documentElement, ...Array.from(document.querySelectorAll<HTMLElement>('[data-test=shell] *'))].filter((e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'hidden' && getComputedStyle(e).overflowX !== 'clip');
    return { page: document.documentElement.scrollWidth, boxes: wide.map((e) => `${e.tagName}.${e.className} ${e.scrollWidth}>${e.clientWidth}`) };
  });

beforeAll(async () => {
  env = await startWebTestApp({ label: 'gatesrulesweb' });
  t = env.app;
  browser = env.browser;
  const admin = await t.login('admin', 'qly-admin-2026');
  const household = (await api(t.url, admin, 'POST', '/api/households', { siteId: t.seed.sites.estate, unit: '2-1-201', headName: '张伟', affordable: true })).body.id;
  await api(t.url, admin, 'POST', '/api/vehicles', { householdId: household, plate: '粤B23456', plateType: 'blue', brand: '丰田', vehicleClass: 'suv', declaredValue: 150_000 });
  const camera = (await api(t.url, admin, 'POST', '/api/cameras', { name: '东门入口 道闸', siteId: t.seed.sites.estate, rtspMain: 'rtsp://127.0.0.1:1/none' })).body.id;
  await api(t.url, admin, 'PATCH', `/api/gates/${t.seed.gateId}`, { cameraId: camera });
}, 600_000);

afterAll(async () => {
  await env?.close();
});

describe('the estate line on the flagged page', () => {
  it('an admin sees the line, lowers it in the dialog, and the household it now catches is listed', async () => {
    const page = await signedIn('admin', 'qly-admin-2026', { viewport: { width: 1366, height: 800 } });
    await page.goto(`${t.url}/gates/flagged`);
    const rule = page.locator('[data-test=estate-rule]');
    await rule.waitFor();
    expect(await rule.locator('[data-test=rule-value]').innerText()).toBe('20.0 万元');
    expect(await rule.locator('[data-test=rule-classes]').innerText()).toContain('豪华车');
    expect(await rule.locator('[data-test=rule-updated]').innerText()).toMatch(/^设定于 /);
    const table = page.locator('[data-test=flagged-table]');
    await table.locator('text=没有需要核查的住户').waitFor();

    await rule.locator('[data-test=edit-rule]').click();
    const dialog = page.locator('.el-dialog:visible');
    await dialog.waitFor();
    await dialog.locator('[data-test=rule-value-input] input').fill('100000');
    await dialog.locator('[data-test=rule-value-input] input').blur();
    await dialog.locator('.el-checkbox', { hasText: '货车' }).click();
    await dialog.locator('.el-checkbox.is-checked', { hasText: '货车' }).waitFor();
    expect(await dialog.innerText()).toContain('= 10.0 万元');
    await page.screenshot({ path: screenshotPath('gates-rules-dialog'), animations: 'disabled' });
    await dialog.locator('[data-test=save]').click();
    await dialog.waitFor({ state: 'hidden' });

    await table.locator('text=粤B23456').first().waitFor();
    expect(await table.innerText()).toContain('申报价值 15.0 万元 超过资格线 10.0 万元');
    expect(await rule.locator('[data-test=rule-value]').innerText()).toBe('10.0 万元');
    expect(await rule.locator('[data-test=rule-classes]').innerText()).toMatch(/豪华车\s*货车/);
    expect(await rule.locator('[data-test=rule-updated]').innerText()).toMatch(/^系统管理员 于 .* 设定$/);
    const stored = await t.app.db.query('SELECT max_vehicle_value, flagged_classes FROM estate_rules WHERE site_id = $1', [t.seed.sites.estate]);
    expect(stored.rows[0]).toEqual({ max_vehicle_value: 100_000, flagged_classes: ['luxury', 'truck'] });
    await page.locator('[data-test=flagged-table] .el-loading-mask').waitFor({ state: 'detached' });
    await page.screenshot({ path: screenshotPath('gates-rules-flagged') });
    await page.context().close();
  }, 60_000);

  it('an operator sees the line and who sets it, without the button', async () => {
    const page = await signedIn('operator', 'qly-operator-2026', { viewport: { width: 1366, height: 800 } });
    await page.goto(`${t.url}/gates/flagged`);
    const rule = page.locator('[data-test=estate-rule]');
    await rule.locator('text=资格线由管理员').waitFor();
    expect(await rule.locator('[data-test=edit-rule]').count()).toBe(0);
    await page.context().close();
  }, 60_000);

  it('estate staff read the line and the households on a phone, one card each, without the button', async () => {
    const page = await signedIn('estate1', 'qly-estate-2026', PHONE);
    await page.goto(`${t.url}/gates/flagged`);
    const rule = page.locator('[data-test=estate-rule]');
    await rule.locator('text=资格线由管理员').waitFor();
    expect(await rule.locator('[data-test=edit-rule]').count()).toBe(0);
    expect(await rule.locator('[data-test=rule-value]').innerText()).toBe('10.0 万元');
    const card = page.locator('[data-test=flagged-list] .qly-flagged-card', { hasText: '2-1-201' });
    await card.waitFor();
    expect(await card.innerText()).toContain('申报价值 15.0 万元 超过资格线 10.0 万元');
    expect(await overflowX(page)).toEqual({ page: 390, boxes: [] });
    await page.screenshot({ path: screenshotPath('gates-rules-flagged-phone') });
    await page.context().close();
  }, 60_000);
});

describe('the gate desk', () => {
  it('fits a 390×844 phone: camera on top, the queue and the recent decisions below, no sideways scrolling', async () => {
    const pending = await check('浙A0K777');
    await check('粤B23456');
    for (const [user, password] of [
      ['operator', 'qly-operator-2026'],
      ['estate1', 'qly-estate-2026'],
    ]) {
      const page = await signedIn(user, password, PHONE);
      await page.goto(`${t.url}/gates`);
      await page.locator(`[data-test=review-queue] [data-id="${pending.decisionId}"]`).waitFor({ timeout: 15_000 });
      await page.locator('[data-test=recent-decisions] [data-test=gate-decision]').nth(1).waitFor();
      await page.screenshot({ path: screenshotPath(`gates-desk-phone-${user}`) });
      await page.screenshot({ path: screenshotPath(`gates-desk-phone-${user}-full`), fullPage: true });
      const video = (await page.locator('[data-test=gate-video]').boundingBox())!;
      const queue = (await page.locator('[data-test=review-queue]').boundingBox())!;
      const recent = (await page.locator('[data-test=recent-decisions]').boundingBox())!;
      expect(video.y).toBeLessThan(queue.y);
      expect(queue.y).toBeLessThan(recent.y);
      // The camera takes the phone's width (less the page margins), not a sliver beside a menu.
      expect(video.width).toBeGreaterThan(390 * 0.9);
      expect(video.x + video.width).toBeLessThanOrEqual(390);
      expect(await overflowX(page)).toEqual({ page: 390, boxes: [] });
      const allow = (await page.locator(`[data-test=review-queue] [data-id="${pending.decisionId}"] [data-test=review-allow]`).boundingBox())!;
      expect(allow.height).toBeGreaterThanOrEqual(44);
      await page.context().close();
    }
  }, 90_000);

  it('keeps two columns on a desktop', async () => {
    const page = await signedIn('operator', 'qly-operator-2026', { viewport: { width: 1366, height: 800 } });
    await page.goto(`${t.url}/gates`);
    await page.locator('[data-test=recent-decisions] [data-test=gate-decision]').first().waitFor({ timeout: 15_000 });
    const video = (await page.locator('[data-test=gate-video]').boundingBox())!;
    const recent = (await page.locator('[data-test=recent-decisions]').boundingBox())!;
    expect(recent.x).toBeGreaterThan(video.x + video.width);
    expect(recent.y).toBeLessThan(video.y + video.height);
    expect(await overflowX(page)).toEqual({ page: 1366, boxes: [] });
    await page.screenshot({ path: screenshotPath('gates-desk-desktop') });
    await page.context().close();
  }, 60_000);
});
