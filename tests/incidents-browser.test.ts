// The demo in real Chromium: an SOS sent with `mosquitto_pub` appears on the operator's
// incident panel with the nearest camera and is pushed to the first team's phone; nobody
// acknowledges, so it escalates to the next team (supervisor alerted); that patrol acknowledges,
// arrives and resolves with a note and a photo; the operator sees the timeline and closes it.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './support/app';
import { screenshotPath } from './support/browser';
import { signIn as signInForm, startWebTestApp, type WebTestApp } from './support/web-app';
import { createAlarmDevice, testTopicRoot } from './incidents-support';

const ROOT = testTopicRoot('incweb');
process.env.QLY_MQTT_TOPIC_ROOT = ROOT;
process.env.QLY_ACK_SECONDS = '8';

let t: TestApp;
let browser: Browser;
let env: WebTestApp | undefined;
const contexts: BrowserContext[] = [];

async function signIn(user: string, password: string, phone: boolean): Promise<Page> {
  const context = await browser.newContext(
    phone
      ? { locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }
      : { locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1366, height: 860 } },
  );
  contexts.push(context);
  // Record vibration requests: headless Chromium has no motor to ask.
  await context.addInitScript(() => {
    (window as unknown as { __vibrations: unknown[] }).__vibrations = [];
    navigator.vibrate = (p: VibratePattern) => ((window as unknown as { __vibrations: unknown[] }).__vibrations.push(p), true);
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[browser ${user}]`, err.message));
  await signInForm(page, t.url, user, password);
  await page.goto(`${t.url}${phone ? '/patrol' : '/incidents'}`);
  return page;
}

beforeAll(async () => {
  env = await startWebTestApp({ label: 'incweb' });
  t = env.app;
  browser = env.browser;
}, 600_000);
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await env?.close();
});

describe('operator and patrol pages', () => {
  it('runs an SOS from mosquitto_pub to a resolved incident with a photo', async () => {
    const camera = (await t.app.db.query(`INSERT INTO cameras (name, site_id, location, x, y) VALUES ('幸福里 南门 2 号', $1, '幸福路 88 号 南门', 185, 305) RETURNING id`, [t.seed.sites.estate])).rows[0].id;
    const dev = await createAlarmDevice(t.app.db, { siteId: t.seed.sites.estate, location: '幸福里 5 栋 301 独居老人', contacts: [{ name: '儿子 王磊', phone: '13700000009' }] });
    const operator = await signIn('operator', 'qly-operator-2026', false);
    const phone1 = await signIn('patrol1', 'qly-patrol-2026', true);
    const phone2 = await signIn('patrol2', 'qly-patrol-2026', true);
    await operator.locator('[data-test=incident-table]').waitFor();
    await phone1.locator('[data-test=patrol-empty]').waitFor();
    await phone2.locator('[data-test=patrol-empty]').waitFor();
    await phone2.locator('[data-test=patrol-page]').click(); // a tap unlocks sound, as on a real phone

    // The alarm terminal: nearest team is 城管机动一队, then 社区巡逻队.
    const payload = { deviceId: dev.id, eventId: 'sos-0001', type: 'sos', time: new Date().toISOString(), location: { x: 180, y: 300, text: '幸福里 5 栋 301 独居老人' } };
    await promisify(execFile)('mosquitto_pub', ['-h', '127.0.0.1', '-p', '1883', '-q', '1', '-t', `${ROOT}/alarms/${dev.id}`, '-m', JSON.stringify(payload)]);

    const row = operator.locator('[data-test=incident-table] tr.el-table__row').filter({ hasText: '一键求助' });
    await row.waitFor({ timeout: 10_000 });
    const incident = (await t.app.db.query(`SELECT * FROM incidents WHERE device_id = $1`, [dev.id])).rows[0];
    expect(incident.camera_id).toBe(camera);
    const n = Number(incident.number);
    await expect.poll(() => operator.locator(`[data-test=status-${n}]`).textContent()).toBe('已派单');
    await phone1.locator(`[data-test=patrol-card-${n}]`).waitFor({ timeout: 10_000 });
    await operator.screenshot({ path: screenshotPath('incidents-operator-new-sos') });
    await phone1.screenshot({ path: screenshotPath('incidents-patrol1-pushed') });

    // Nobody on team 1 acknowledges: after 8 s the dispatch escalates to team 2.
    await operator.locator('.el-notification').filter({ hasText: '超时未确认' }).waitFor({ timeout: 15_000 });
    await phone2.locator(`[data-test=patrol-card-${n}]`).waitFor({ timeout: 10_000 });
    await phone1.locator(`[data-test=patrol-card-${n}]`).waitFor({ state: 'detached', timeout: 5000 });
    expect(await phone2.evaluate(() => (window as unknown as { __vibrations: unknown[] }).__vibrations.length)).toBeGreaterThan(0);
    await operator.screenshot({ path: screenshotPath('incidents-operator-escalated') });
    await phone2.screenshot({ path: screenshotPath('incidents-patrol2-pushed') });

    // One tap per step on the phone.
    const action = phone2.locator(`[data-test=patrol-action-${n}]`);
    await expect.poll(() => action.textContent()).toContain('确认接单');
    await action.click();
    await expect.poll(() => action.textContent()).toContain('已到现场');
    await action.click();
    await expect.poll(() => action.textContent()).toContain('处置完毕');
    await action.click();
    const sheet = phone2.locator('[data-test=resolve-sheet]');
    await phone2.locator('[data-test=resolve-note]').waitFor();
    await phone2.locator('[data-test=resolve-note]').fill('已上门，老人摔倒已扶起，家属已到场');
    const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 40, g: 120, b: 200 } } }).jpeg().toBuffer();
    await phone2.locator('[data-test=resolve-photo]').setInputFiles({ name: 'scene.jpg', mimeType: 'image/jpeg', buffer: photo });
    await phone2.screenshot({ path: screenshotPath('incidents-patrol2-resolve-sheet') });
    await phone2.locator('[data-test=resolve-submit]').click();
    await phone2.locator(`[data-test=patrol-card-${n}]`).waitFor({ state: 'detached', timeout: 10_000 });
    await sheet.waitFor({ state: 'hidden' });
    await phone2.screenshot({ path: screenshotPath('incidents-patrol2-done') });

    // The operator sees it resolved, reads the timeline and closes it.
    await expect.poll(() => operator.locator(`[data-test=status-${n}]`).textContent(), { timeout: 10_000 }).toBe('已处置');
    await row.click();
    const timeline = operator.locator('[data-test=timeline]');
    await timeline.waitFor();
    await expect.poll(() => operator.locator('[data-test=drawer-camera]').textContent()).toContain('幸福里 南门 2 号');
    await expect.poll(() => operator.locator('[data-test=photo]').count()).toBe(1);
    const text = await timeline.textContent();
    for (const step of ['事件创建', '已通知紧急联系人', '派单 → 城管机动一队', '超时升级', '派单 → 社区巡逻队', '确认接单', '到达现场', '处置完毕：已上门']) expect(text).toContain(step);
    await operator.waitForTimeout(600); // the drawer's slide-in
    await operator.screenshot({ path: screenshotPath('incidents-operator-timeline') });
    await operator.locator('[data-test=drawer-close]').click();
    await expect.poll(() => operator.locator('[data-test=drawer-status]').textContent()).toBe('已结案');
    const final = (await t.app.db.query(`SELECT status FROM incidents WHERE id = $1`, [incident.id])).rows[0];
    expect(final.status).toBe('closed');
  });

  it('lets an operator create an incident from a camera and dispatch it', async () => {
    const operator = await signIn('operator', 'qly-operator-2026', false);
    await operator.locator('[data-test=create-incident]').click();
    const dialog = operator.locator('[data-test=create-dialog]');
    await dialog.locator('[data-test=create-title]').waitFor();
    await dialog.locator('.el-select').nth(1).click();
    await operator.locator('.el-select-dropdown__item').filter({ hasText: '幸福里 南门 2 号' }).click();
    await dialog.locator('[data-test=create-title]').fill('南门占道经营');
    await operator.locator('[data-test=create-save]').click();
    await expect.poll(async () => (await t.app.db.query(`SELECT count(*)::int AS n FROM incidents WHERE title = '南门占道经营'`)).rows[0].n).toBe(1);
    const inc = (await t.app.db.query(`SELECT * FROM incidents WHERE title = '南门占道经营'`)).rows[0];
    expect(inc).toMatchObject({ location: '幸福路 88 号 南门', x: 185, y: 305, source: 'operator' });
    // The new incident opens in the drawer, ready to dispatch.
    await operator.locator('[data-test=drawer-dispatch]').click();
    const dd = operator.locator('[data-test=dispatch-dialog]');
    await dd.locator('[data-test^=team-]').first().waitFor();
    await operator.screenshot({ path: screenshotPath('incidents-operator-dispatch-dialog') });
    await dd.locator('[data-test=confirm-dispatch]').click();
    await expect.poll(() => operator.locator(`[data-test=status-${inc.number}]`).textContent()).toBe('已派单');
  });

  it('reconnects by itself and shows what was dispatched while the phone was offline', async () => {
    const phone = await signIn('patrol1', 'qly-patrol-2026', true);
    await phone.locator('[data-test=patrol-page]').waitFor();
    const live = phone.locator('[data-test=live-state]');
    await expect.poll(() => live.getAttribute('data-state')).toBe('open');
    // The phone loses its network; the server drops the socket.
    await phone.context().setOffline(true);
    for (const ws of t.app.websocketServer.clients) ws.terminate();
    await expect.poll(() => live.getAttribute('data-state')).toBe('reconnecting');
    const op = await t.login('operator', 'qly-operator-2026');
    const created = await fetch(`${t.url}/api/incidents`, { method: 'POST', headers: { cookie: op, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'intrusion', title: '离线期间的派单', siteId: t.seed.sites.street }) }).then((r) => r.json());
    await fetch(`${t.url}/api/incidents/${created.id}/dispatch`, { method: 'POST', headers: { cookie: op, 'content-type': 'application/json' }, body: JSON.stringify({ teamId: t.seed.teams['城管机动一队'] }) });
    await phone.waitForTimeout(1500);
    await phone.context().setOffline(false);
    await expect.poll(() => live.getAttribute('data-state'), { timeout: 40_000 }).toBe('open');
    await phone.locator(`[data-test=patrol-card-${created.number}]`).waitFor({ timeout: 10_000 });
    await phone.screenshot({ path: screenshotPath('incidents-patrol1-after-reconnect') });
  });
});
