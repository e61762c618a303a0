// The installable app (web/public/manifest.webmanifest + sw.js) in real Chromium: the manifest and
// icons are served, the service worker takes control, and a patrol phone that loses its network
// still opens the app from the cached shell instead of the browser's offline page — then the page
// reconnects by itself when the network is back. API calls are never answered from the cache.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './support/app';
import { screenshotPath } from './support/browser';
import { startWebTestApp, type WebTestApp } from './support/web-app';

let app: TestApp;
let env: WebTestApp | undefined;
let browser: Browser;

beforeAll(async () => {
  env = await startWebTestApp({ label: 'pwa' });
  app = env.app;
  browser = env.browser;
}, 600_000);

afterAll(async () => {
  await env?.close();
});

describe('installable app', () => {
  it('serves a manifest whose icons exist', async () => {
    const res = await fetch(`${app.url}/manifest.webmanifest`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/manifest\+json/);
    const manifest = (await res.json()) as { start_url: string; display: string; icons: { src: string; type: string }[] };
    expect(manifest.display).toBe('standalone');
    for (const icon of manifest.icons) {
      const r = await fetch(`${app.url}${icon.src}`);
      expect(r.status, icon.src).toBe(200);
      expect(r.headers.get('content-type')).toContain(icon.type);
    }
    const sw = await fetch(`${app.url}/sw.js`);
    expect(sw.status).toBe(200);
    expect(sw.headers.get('content-type')).toMatch(/javascript/);
  });

  it('opens the patrol page from the cached shell while offline and reconnects afterwards', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    try {
      await page.goto(`${app.url}/login`);
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      // The first load was not yet controlled; from now on requests go through the worker.
      await page.reload();
      expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
      await page.locator('input[name=username]').fill('patrol1');
      await page.locator('input[name=password]').fill(app.seed.users.patrol1.password);
      await page.locator('[data-test=login-submit]').click();
      await page.waitForURL('**/patrol');
      await page.locator('[data-test=shell]').waitFor();

      await context.setOffline(true);
      await page.reload();
      await page.locator('#app > *').first().waitFor({ timeout: 15_000 });
      const offlineText = await page.locator('body').innerText();
      expect(offlineText).toContain('千里眼');
      await page.screenshot({ path: screenshotPath('pwa-patrol-offline') });
      // The worker never answers the API from its cache.
      expect(await page.evaluate(() => fetch('/api/auth/me').then(() => 'answered', () => 'failed'))).toBe('failed');

      // Back in signal: the page notices by itself and returns to the patrol page, no new sign-in.
      await context.setOffline(false);
      await page.waitForURL((u) => u.pathname === '/patrol', { timeout: 15_000 });
      await page.locator('[data-test=shell]').waitFor();
    } finally {
      await context.close();
    }
  });
});
