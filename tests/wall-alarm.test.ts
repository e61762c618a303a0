// An alarm or a new incident pops its camera onto the operator's wall and outlines the tile.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from './support/browser';
import { operatorPage, startWallWorld, type WallWorld } from './wall-support';

let w: WallWorld;
let browser: Browser;

beforeAll(async () => {
  w = await startWallWorld('wallalarm', [
    { name: '地铁口', location: '北京街', scene: 'street', variant: 'day' },
    { name: '东门道闸', location: '幸福里 东门', scene: 'gate' },
  ]);
  browser = await launchBrowser();
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await w?.close();
});

describe('wall alarm pop-up', () => {
  it('brings the incident camera onto the wall (or finds its tile), outlines it, and clears the outline when the operator takes it', async () => {
    const { page } = await operatorPage(browser, w);
    await page.goto(`${w.t.url}/wall?forceHls=all`);
    await page.locator('[data-test="layout-1+5"]').click();
    await page.waitForTimeout(1000);
    const operator = await w.t.login('operator', 'qly-operator-2026');
    const res = await fetch(`${w.t.url}/api/incidents`, {
      method: 'POST',
      headers: { cookie: operator, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'intrusion', title: '东门 有人翻越道闸', priority: 1, cameraId: w.cameraIds[1] }),
    });
    expect(res.status).toBe(201);
    const alarmed = page.locator('[data-alarm="true"]');
    await expect.poll(() => alarmed.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => alarmed.textContent(), { timeout: 15_000 }).toContain('东门道闸');
    await expect.poll(() => page.locator('.el-notification').count(), { timeout: 5000 }).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('wall-alarm') });
    await alarmed.click();
    await expect.poll(() => page.locator('[data-alarm="true"]').count(), { timeout: 5000 }).toBe(0);
  });
});
