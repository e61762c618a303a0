// The add-camera wizard in Chromium: an admin finds a simulated camera by WS-Discovery, is told
// a wrong password by the camera itself, picks main/sub profiles and saves; the camera is then
// in the registry with the profiles' RTSP addresses and shows as added in the next scan.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCameraSim, type CameraSimHandle } from '../camera-sim/src';
import type { TestApp } from './support/app';
import { screenshotPath } from './support/browser';
import { startWebTestApp, type WebTestApp } from './support/web-app';

let sim: CameraSimHandle;
let t: TestApp;
let env: WebTestApp | undefined;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  sim = await startCameraSim({ cameras: [{ name: '东门球机', location: '幸福里 东门', scene: 'gate', ptz: true }] });
  env = await startWebTestApp({ label: 'wallwizard' });
  t = env.app;
  browser = env.browser;
  const [name, value] = (await t.login('admin', 'qly-admin-2026')).split('=');
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  await context.addCookies([{ name, value, url: t.url }]);
  page = await context.newPage();
  page.on('pageerror', (err) => console.error('[browser]', err.message));
}, 600_000);

afterAll(async () => {
  await env?.close();
  await sim?.stop();
});

describe('add-camera wizard', () => {
  it('discovers, refuses a wrong password with the camera’s answer, and saves with main and sub profiles', async () => {
    const cam = sim.cameras[0];
    await page.goto(`${t.url}/admin/cameras`);
    await page.locator('[data-test=discover-add]').click();
    const pick = page.locator(`[data-test=wizard-pick-${cam.onvifPort}]`);
    await pick.waitFor({ timeout: 20_000 });
    await pick.click();

    await page.locator('input[data-test=wizard-password]').fill('not-the-password');
    await page.locator('[data-test=wizard-check]').click();
    await expect.poll(() => page.locator('[data-test=wizard-error]').innerText(), { timeout: 20_000 }).toContain('账号或密码错误');

    await page.locator('input[data-test=wizard-username]').fill(cam.username);
    await page.locator('input[data-test=wizard-password]').fill(cam.password);
    await page.locator('[data-test=wizard-check]').click();
    await page.locator('[data-test=wizard-device]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-test=wizard-device]').innerText()).toContain('PTZ');
    expect(await page.locator('input[data-test=wizard-name]').inputValue()).toBe(cam.name);
    await page.screenshot({ path: screenshotPath('wall-wizard-profiles') });
    await page.locator('[data-test=wizard-save]').click();
    await page.locator('[data-test=add-camera-wizard]').waitFor({ state: 'hidden' });

    const { rows } = await t.app.db.query('SELECT name, kind, onvif_url, rtsp_main, rtsp_sub, ptz, password_enc IS NOT NULL AS has_password FROM cameras');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: cam.name, kind: 'onvif', onvif_url: cam.onvifUrl, ptz: true, has_password: true });
    expect(rows[0].rtsp_main).toContain('/main');
    expect(rows[0].rtsp_sub).toContain('/sub');
    await expect.poll(() => page.locator('[data-test=crud-table]').innerText()).toContain(cam.name);

    // Scanning again shows it as already added: no second registration from the list.
    await page.locator('[data-test=discover-add]').click();
    // WS-Discovery answers are UDP and the machine is busy: scan again until the camera answers.
    await expect
      .poll(
        async () => {
          if ((await page.locator(`[data-test=wizard-added-${cam.onvifPort}]`).count()) > 0) return true;
          await page.locator('[data-test=wizard-rescan]').click();
          return false;
        },
        { timeout: 40_000, interval: 3000 },
      )
      .toBe(true);
    expect(await page.locator(`[data-test=wizard-pick-${cam.onvifPort}]`).count()).toBe(0);
  }, 180_000);

  it('tells an unreachable address apart from a wrong password', async () => {
    await page.goto(`${t.url}/admin/cameras`);
    await page.locator('[data-test=discover-add]').click();
    await page.locator('input[data-test=wizard-manual-url]').fill('http://127.0.0.1:9/onvif/device_service');
    await page.locator('[data-test=wizard-manual]').click();
    await page.locator('input[data-test=wizard-password]').fill('x');
    await page.locator('[data-test=wizard-check]').click();
    await expect.poll(() => page.locator('[data-test=wizard-error]').innerText(), { timeout: 30_000 }).toContain('无法连接摄像头');
    const bad = page.locator('input[data-test=wizard-url]');
    await bad.fill('ftp://camera/onvif');
    await page.locator('[data-test=wizard-check]').click();
    await expect.poll(() => page.locator('[data-test=wizard-error]').innerText()).toContain('http(s)://');
  }, 120_000);
});
