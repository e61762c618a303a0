// Estate staff on a 390×844 phone (zh-CN): estate1 logs in and lands on the review queue of their
// own estate, allows a doubtful vehicle with one tap, the decision shows the review, and the
// barrier hears it on its MQTT topic. Another estate's doubtful case never appears in the queue.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, mqttPublisher, waitFor } from './incidents-support';
import type { TestApp } from './support/app';
import { screenshotPath } from './support/browser';
import { PHONE, signIn, startWebTestApp, type WebTestApp } from './support/web-app';

let t: TestApp;
let env: WebTestApp | undefined;
let browser: Browser;
let otherGate = '';
let otherKey = '';

const check = async (gateId: string, key: string, plate: string) => {
  const res = await fetch(`${t.url}/api/gates/${gateId}/check`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-device-key': key }, body: JSON.stringify({ plate }) });
  expect(res.status).toBe(200);
  return res.json();
};

beforeAll(async () => {
  env = await startWebTestApp({ label: 'gatesestateweb' });
  t = env.app;
  browser = env.browser;
  const admin = await t.login('admin', 'qly-admin-2026');
  otherGate = (await api(t.url, admin, 'POST', '/api/gates', { siteId: t.seed.sites.street, name: '别的小区 北门' })).body.id;
  otherKey = (await api(t.url, admin, 'POST', '/api/devices', { kind: 'gate', name: '北门道闸', gateId: otherGate })).body.key;
}, 600_000);

afterAll(async () => {
  await env?.close();
});

describe('estate staff on a phone', () => {
  it('land on their review queue and allow a vehicle with one tap; the barrier hears it', async () => {
    const pending = await check(t.seed.gateId, t.seed.gateKey, '浙A0K777');
    expect(pending).toMatchObject({ decision: 'review' });
    const elsewhere = await check(otherGate, otherKey, '浙A0K888');
    const mqtt = await mqttPublisher();
    const heard: Record<string, unknown>[] = [];
    mqtt.on('message', (_topic, payload) => heard.push(JSON.parse(payload.toString())));
    await mqtt.subscribeAsync(`qly/gates/${t.seed.gateId}/decision`, { qos: 1 });

    const phone = await browser.newContext({ ...PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await phone.newPage();
    page.on('pageerror', (err) => console.error('[browser]', err.message));
    await signIn(page, t.url, 'estate1', 'qly-estate-2026');
    await page.waitForURL((u) => u.pathname === '/gates/review');

    const card = page.locator(`[data-test=review-queue] [data-id="${pending.decisionId}"]`);
    await card.waitFor({ timeout: 15_000 });
    expect(await page.locator(`[data-test=review-queue] [data-id="${elsewhere.decisionId}"]`).count()).toBe(0);
    const allow = card.locator('[data-test=review-allow]');
    const box = (await allow.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(box.width).toBeGreaterThanOrEqual(390 / 3);
    await page.screenshot({ path: screenshotPath('gates-estate-phone') });

    await allow.tap();
    await card.waitFor({ state: 'detached', timeout: 10_000 });
    // The answer stays in view on the phone: allowed, reviewed.
    const answered = page.locator(`[data-test=review-done] [data-id="${pending.decisionId}"]`);
    await answered.waitFor();
    expect(await answered.locator('[data-test=verdict]').innerText()).toBe('放行');
    expect(await answered.innerText()).toContain('已复核');
    const row = (await t.app.db.query('SELECT review_decision, reviewed_by FROM gate_decisions WHERE id = $1', [pending.decisionId])).rows[0];
    expect(row).toMatchObject({ review_decision: 'allow', reviewed_by: t.seed.users.estate1.id });
    const msg = await waitFor('review on the barrier topic', async () => heard.find((m) => m.decisionId === pending.decisionId && m.kind === 'review'));
    expect(msg).toMatchObject({ decision: 'allow' });
    await page.screenshot({ path: screenshotPath('gates-estate-phone-after') });

    await mqtt.endAsync();
    await phone.close();

    // At a desk: the gate page of their estate shows the reviewed decision; the menu offers their
    // gate pages and nothing else (no wall, incidents, watch list or admin).
    const desk = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const deskPage = await desk.newPage();
    await signIn(deskPage, t.url, 'estate1', 'qly-estate-2026');
    await deskPage.waitForURL((u) => u.pathname === '/gates/review');
    await deskPage.goto(`${t.url}/gates`);
    const decided = deskPage.locator(`[data-test=recent-decisions] [data-id="${pending.decisionId}"]`);
    await decided.waitFor({ timeout: 15_000 });
    expect(await decided.locator('[data-test=verdict]').innerText()).toBe('放行');
    expect(await decided.innerText()).toContain('已复核');
    expect(await deskPage.locator(`[data-id="${elsewhere.decisionId}"]`).count()).toBe(0);
    const hrefs = await deskPage.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const forbidden of ['/wall', '/incidents', '/gates/watchlist', '/admin/users']) expect(hrefs).not.toContain(forbidden);
    await deskPage.screenshot({ path: screenshotPath('gates-estate-desk') });
    await desk.close();
  }, 120_000);
});
