// The patrol phone (390×844 Chromium, zh-CN) against a real control plane and a simulated camera:
// on duty it follows the GPS and reports it (the operator's nearest-team suggestion uses it), shows
// 定位中/已定位/未授权, plays the live camera of an incident dispatched to its team over LL-HLS, and
// loses it when the incident goes to another team; a full-size camera photo (over the server's
// 5 MiB limit) is shrunk on the phone and the incident resolves with it.
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCameraSim, type CameraSimHandle } from '../camera-sim/src';
import { toGeo } from '../server/src/incidents/geo';
import type { TestApp } from './support/app';
import { screenshotPath } from './support/browser';
import { signIn, startWebTestApp, type WebTestApp } from './support/web-app';
import { api, waitFor } from './incidents-support';

let sim: CameraSimHandle;
let t: TestApp;
let browser: Browser;
let env: WebTestApp | undefined;
let operator: string;
const contexts: BrowserContext[] = [];

async function phone(user: string, geo: { latitude: number; longitude: number } | null): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  contexts.push(context);
  if (geo) {
    await context.grantPermissions(['geolocation']);
    await context.setGeolocation({ ...geo, accuracy: 12 });
  }
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[browser ${user}]`, err.message));
  await signIn(page, t.url, user, 'qly-patrol-2026');
  await page.waitForURL((u) => u.pathname.startsWith('/patrol'));
  return page;
}

const team = async (name: string) => (await t.app.db.query('SELECT x, y, available, position_at FROM teams WHERE name = $1', [name])).rows[0];

beforeAll(async () => {
  sim = await startCameraSim({ cameras: [{ name: '东风路口 1 号', location: '东风路 地铁B口', scene: 'street' }], discovery: false });
  env = await startWebTestApp({ label: 'patrolweb', config: { webrtc: false } });
  t = env.app;
  browser = env.browser;
  const admin = await t.login('admin', 'qly-admin-2026');
  operator = await t.login('operator', 'qly-operator-2026');
  const c = sim.cameras[0];
  const cam = await api(t.url, admin, 'POST', '/api/cameras', { name: c.name, siteId: t.seed.sites.street, kind: 'rtsp', location: c.location, rtspMain: c.rtspMainUrl, rtspSub: c.rtspSubUrl, username: c.username, password: c.password, x: 900, y: 900 });
  expect(cam.status).toBe(201);
}, 600_000);
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await env?.close();
  await sim?.stop();
});

describe('patrol phone', () => {
  it('reports its GPS position while on duty, and the nearest-team suggestion uses it', async () => {
    const origin = t.app.incidentRuntime.settings.mapOrigin;
    const page = await phone('patrol1', toGeo(origin, 140, 160));
    const state = page.locator('[data-test=position-state]');
    await expect.poll(() => state.getAttribute('data-state'), { timeout: 15_000 }).toBe('located');
    expect(await state.textContent()).toContain('已定位');
    await waitFor('first position', async () => (await team('城管机动一队')).position_at !== null);

    // The team walks to the far end of the district, where an incident then happens.
    await page.waitForTimeout(3200); // moves are sent at most every 3 s
    await page.context().setGeolocation({ ...toGeo(origin, 880, 870), accuracy: 8 });
    await waitFor('moved position', async () => Math.abs((await team('城管机动一队')).x - 880) < 1, 15_000);
    const at = await team('城管机动一队');
    expect(at.y).toBeCloseTo(870, 0);
    await page.screenshot({ path: screenshotPath('patrol-located') });

    const inc = (await api(t.url, operator, 'POST', '/api/incidents', { type: 'intrusion', title: '地铁B口 有人翻越护栏', x: 890, y: 880, location: '东风路 地铁B口' })).body;
    const suggestions = (await api(t.url, operator, 'GET', `/api/incidents/${inc.id}/suggestions`)).body as { name: string; distance: number }[];
    expect(suggestions[0].name).toBe('城管机动一队');
    expect(suggestions[0].distance).toBeLessThan(20);

    // Off duty: no more reports, and the team is no longer offered first.
    await page.locator('[data-test=duty-switch]').click();
    await expect.poll(() => state.getAttribute('data-state')).toBe('off');
    await expect.poll(async () => (await team('城管机动一队')).available).toBe(false);
    await page.waitForTimeout(500);
    const after = (await api(t.url, operator, 'GET', `/api/incidents/${inc.id}/suggestions`)).body as { name: string; available: boolean }[];
    expect(after[0].name).not.toBe('城管机动一队');
    await page.screenshot({ path: screenshotPath('patrol-off-duty') });
    await page.locator('[data-test=duty-switch]').click();
    await expect.poll(async () => (await team('城管机动一队')).available).toBe(true);
  });

  it('says so when location is not allowed', async () => {
    const page = await phone('patrol2', null);
    await expect.poll(() => page.locator('[data-test=position-state]').getAttribute('data-state'), { timeout: 15_000 }).toBe('denied');
    expect(await page.locator('[data-test=position-state]').textContent()).toContain('未授权');
    await page.waitForTimeout(500); // the duty switch's slide
    await page.screenshot({ path: screenshotPath('patrol-location-denied') });
  });

  it('plays the live camera of its incident, and stops when the incident goes to another team', async () => {
    const origin = t.app.incidentRuntime.settings.mapOrigin;
    const page = await phone('patrol1', toGeo(origin, 880, 870));
    const inc = (await api(t.url, operator, 'POST', '/api/incidents', { type: 'intrusion', title: '东风路口 占道经营', x: 905, y: 895, location: '东风路 地铁B口 东侧' })).body;
    expect(inc.cameraId).toBeTruthy(); // the nearest camera
    expect((await api(t.url, operator, 'POST', `/api/incidents/${inc.id}/dispatch`, { teamId: t.seed.teams['城管机动一队'] })).status).toBe(200);
    const card = page.locator(`[data-test=patrol-card-${inc.number}]`);
    await card.waitFor({ timeout: 10_000 });
    await page.locator(`[data-test=patrol-live-${inc.number}]`).click();
    const player = page.locator(`[data-test=patrol-player-${inc.number}]`);
    await expect.poll(() => player.getAttribute('data-state'), { timeout: 30_000 }).toBe('playing');
    // Frames are actually decoded, not just requested.
    await expect.poll(() => player.locator('video').evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 15_000 }).toBeGreaterThan(0.5);
    await page.waitForTimeout(500);
    await page.screenshot({ path: screenshotPath('patrol-live-camera') });
    const view = (await t.app.db.query(`SELECT id FROM stream_views WHERE stream_id = $1 AND ended_at IS NULL`, [`${inc.cameraId}.sub`])).rows[0];
    expect(view).toBeTruthy();

    // The operator gives it to another team: the card and its video leave the phone, the view ends.
    expect((await api(t.url, operator, 'POST', `/api/incidents/${inc.id}/dispatch`, { teamId: t.seed.teams['社区巡逻队'] })).status).toBe(200);
    await card.waitFor({ state: 'detached', timeout: 10_000 });
    await page.locator('.el-notification').filter({ hasText: `事件 #${inc.number} 已改派` }).waitFor();
    await waitFor('view ended', async () => (await t.app.db.query(`SELECT ended_at FROM stream_views WHERE id = $1`, [view.id])).rows[0].ended_at !== null, 5000);
    await page.screenshot({ path: screenshotPath('patrol-live-withdrawn') });
  });

  it('resolves with a full-size camera photo, shrunk on the phone to fit the upload limit', async () => {
    const page = await phone('patrol2', null);
    const patrol2 = await t.login('patrol2', 'qly-patrol-2026');
    const inc = (await api(t.url, operator, 'POST', '/api/incidents', { type: 'intrusion', title: '军门社区 围墙破损', x: 300, y: 480, location: '军门社区 北墙' })).body;
    expect((await api(t.url, operator, 'POST', `/api/incidents/${inc.id}/dispatch`, { teamId: t.seed.teams['社区巡逻队'] })).status).toBe(200);
    for (const action of ['acknowledge', 'arrive']) expect((await api(t.url, patrol2, 'POST', `/api/incidents/${inc.id}/transitions`, { action })).status).toBe(200);
    const action = page.locator(`[data-test=patrol-action-${inc.number}]`);
    await expect.poll(() => action.textContent(), { timeout: 10_000 }).toContain('处置完毕');
    await action.click();
    // 12 MP of sensor noise: a JPEG far over 5 MiB, as a phone camera makes them.
    const big = await sharp(randomBytes(4000 * 3000 * 3), { raw: { width: 4000, height: 3000, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
    expect(big.length).toBeGreaterThan(5 * 1024 * 1024);
    await page.locator('[data-test=resolve-note]').fill('围墙已临时封堵');
    await page.locator('[data-test=resolve-photo]').setInputFiles({ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: big });
    await page.locator('[data-test=resolve-submit]').click();
    await page.locator(`[data-test=patrol-card-${inc.number}]`).waitFor({ state: 'detached', timeout: 30_000 });
    const photo = (await t.app.db.query(`SELECT bytes, mime FROM incident_photos WHERE incident_id = $1 AND kind = 'resolution'`, [inc.id])).rows[0];
    expect(photo.mime).toBe('image/jpeg');
    expect(photo.bytes).toBeLessThan(5 * 1024 * 1024);
    const detail = (await api(t.url, operator, 'GET', `/api/incidents/${inc.id}`)).body as { incident: { status: string }; photos: { url: string }[] };
    expect(detail.incident.status).toBe('resolved');
    const img = Buffer.from(await (await fetch(`${t.url}${detail.photos[0].url}`, { headers: { cookie: operator } })).arrayBuffer());
    expect(await sharp(img).metadata()).toMatchObject({ width: 2048, height: 1536 });
  });
});

