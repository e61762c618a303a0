// Shared by the wall browser test and the latency bench: simulated cameras registered in a real
// control plane with WebRTC, and an operator's Chromium page on the wall.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startCameraSim, type CameraSimHandle, type CameraSpec } from '../camera-sim/src';
import { startTestApp, type TestApp } from './support/app';
import { webDistCopy, type WebDist } from './support/web';

export interface WallWorld {
  sim: CameraSimHandle;
  t: TestApp;
  web: WebDist;
  cameraIds: string[];
  admin: string;
  close(): Promise<void>;
}

/** `areas[i]` files camera i under that area of the demo estate (the tree sorts areas by name). */
export async function startWallWorld(label: string, cameras: CameraSpec[], areas: string[] = []): Promise<WallWorld> {
  const web = webDistCopy();
  const sim = await startCameraSim({ cameras, discovery: false });
  const t = await startTestApp({ label, config: { webrtc: true, webDist: web.dir } });
  const admin = await t.login('admin', 'qly-admin-2026');
  const cameraIds: string[] = [];
  for (const [i, cam] of sim.cameras.entries()) {
    const res = await fetch(`${t.url}/api/cameras`, {
      method: 'POST',
      headers: { cookie: admin, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: cam.name,
        location: cam.location,
        area: areas[i] ?? '',
        siteId: t.seed.sites?.estate ?? null,
        rtspMain: cam.rtspMainUrl,
        rtspSub: cam.rtspSubUrl,
        onvifUrl: cam.onvifUrl,
        username: cam.username,
        password: cam.password,
        ptz: cam.ptz,
      }),
    });
    if (res.status !== 201) throw new Error(`camera ${cam.name}: ${res.status} ${await res.text()}`);
    cameraIds.push((await res.json()).id);
  }
  return {
    sim,
    t,
    web,
    cameraIds,
    admin,
    async close() {
      await t.close();
      await sim.stop();
      web.remove();
    },
  };
}

/** A signed-in operator's page (the session cookie set directly: the login form has its own test). */
export async function operatorPage(browser: Browser, w: WallWorld, viewport = { width: 1600, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
  const cookie = await w.t.login('operator', 'qly-operator-2026');
  const [name, value] = cookie.split('=');
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  await context.addCookies([{ name, value, url: w.t.url }]);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('[browser]', err.message));
  return { context, page };
}
