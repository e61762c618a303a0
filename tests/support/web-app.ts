// What every browser test starts from: a private copy of the built web app, a control plane on a
// fresh database serving it, and Debian Chromium — closed together, whatever failed half-way.
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { startTestApp, type TestApp } from './app';
import { launchBrowser } from './browser';
import { webDistCopy } from './web';

export interface WebTestApp {
  app: TestApp;
  browser: Browser;
  close(): Promise<void>;
}

export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

export async function startWebTestApp(opts: Parameters<typeof startTestApp>[0] & { browserArgs?: string[] } = {}): Promise<WebTestApp> {
  const { browserArgs, ...appOpts } = opts;
  const web = webDistCopy();
  let app: TestApp | undefined;
  try {
    app = await startTestApp({ ...appOpts, config: { ...appOpts.config, webDist: web.dir } });
    const browser = await launchBrowser(browserArgs);
    const started = app;
    return {
      app: started,
      browser,
      async close() {
        await browser.close();
        await started.close();
        web.remove();
      },
    };
  } catch (err) {
    await app?.close();
    web.remove();
    throw err;
  }
}

/** Signs in through the login form and waits until it has left the login page. */
export async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.locator('[data-test=login-submit]').click();
  await page.waitForURL((u) => u.pathname !== '/login');
}
