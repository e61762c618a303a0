// A parent on a phone-sized Chromium: opens the invitation link, sets a password, watches the
// classroom (hls.js over the real LL-HLS media plugin, token on every request), cannot reach
// another classroom or the staff pages, and is cut off when the (injected) clock reaches
// closing time. The staff view log then shows the view.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSING, PARENT, startParentsWorld, type ParentsWorld } from './parents-support';
import { launchBrowser, screenshotPath } from './support/browser';
import { ensureWebBuilt } from './support/web';

process.env.QLY_VIEW_SWEEP_MS = '300';
process.env.QLY_STREAM_TOKEN_TTL = '60';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };
const NEW_PARENT = { phone: '13811112222', name: '李雷', password: 'xiaohong-baba-1' };

let w: ParentsWorld;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  ensureWebBuilt();
  w = await startParentsWorld({ label: 'parentsweb' });
  browser = await launchBrowser();
  context = await browser.newContext(PHONE);
  page = await context.newPage();
  page.on('pageerror', (err) => console.error('[browser]', err.message));
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await w?.close();
});

/** Seconds of video actually played by the page's <video>. */
const playedSeconds = (p: Page) => p.locator('[data-test=stream-video]').evaluate((v: HTMLVideoElement) => (v.readyState >= 2 ? v.currentTime : 0));

async function waitPlaying(p: Page, seconds: number): Promise<void> {
  await expect.poll(() => playedSeconds(p), { timeout: 30_000, interval: 250 }).toBeGreaterThan(seconds);
}

/** The stream views of the parent who joined in the first test, newest first. */
async function newParentViews() {
  const { rows } = await w.t.app.db.query(`SELECT id FROM users WHERE phone = $1`, [NEW_PARENT.phone]);
  return (await w.api<{ items: { endReason: string | null; ip: string; streamId: string; userName: string }[] }>('GET', `/api/stream-views?userId=${rows[0].id}`, w.admin)).body.items;
}

describe('parent on a phone', () => {
  it('joins with the invitation link and watches the open classroom', async () => {
    const enrolment = await w.api<{ id: string }>('POST', `/api/classrooms/${w.classroomA}/enrolments`, w.admin, { childName: '小红', validFrom: '2026-09-01', validTo: '2027-01-31' });
    const invitation = await w.api<{ code: string }>('POST', `/api/enrolments/${enrolment.body.id}/invitations`, w.admin, {});
    await page.goto(`${w.t.url}/parent/join?code=${invitation.body.code}`);
    await page.locator('input[name=phone]').fill(NEW_PARENT.phone);
    await page.locator('input[name=displayName]').fill(NEW_PARENT.name);
    await page.locator('input[name=password]').fill(NEW_PARENT.password);
    await page.locator('input[name=confirm]').fill(NEW_PARENT.password);
    await page.screenshot({ path: screenshotPath('parents-join'), fullPage: true });
    await page.locator('[data-test=join-submit]').click();
    await page.waitForURL('**/parent');
    await page.locator(`[data-test=classroom-${w.classroomA}] [data-test=status-open]`).waitFor();
    await waitPlaying(page, 2);
    // Only their own classroom is on the page, and the player has no controls of ours beyond the video's.
    expect(await page.locator('[data-test^=classroom-]').count()).toBe(1);
    expect(await page.locator('[data-test=stream-player] button').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('parents-watching'), fullPage: true });
  });

  it('cannot open another classroom or the staff API from the page', async () => {
    const results = await page.evaluate(async ({ other, classroom }) => {
      const token = await fetch('/api/stream-tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ streamId: other }) });
      const media = await fetch(`/media/streams/${other}/ll.m3u8`);
      const staff = await fetch(`/api/classrooms/${classroom}/detail`);
      const views = await fetch('/api/stream-views');
      return [token.status, media.status, staff.status, views.status];
    }, { other: w.streamB, classroom: w.classroomB });
    expect(results).toEqual([403, 401, 403, 403]);
    await page.goto(`${w.t.url}/admin/users`);
    await page.waitForURL('**/forbidden');
    // Leaving the page ends the view (a beacon on pagehide), before anything else can end it.
    await expect.poll(async () => (await newParentViews()).map((v) => v.endReason), { timeout: 15_000 }).toEqual(['stopped']);
    await page.goto(`${w.t.url}/parent`);
    await waitPlaying(page, 1);
  });

  it('logs in with the phone number on a second phone', async () => {
    const second = await browser.newContext(PHONE);
    const p = await second.newPage();
    await p.goto(`${w.t.url}/login`);
    await p.locator('input[name=username]').fill(PARENT.phone);
    await p.locator('input[name=password]').fill(PARENT.password);
    await p.locator('[data-test=login-submit]').click();
    await p.waitForURL('**/parent');
    await waitPlaying(p, 1);
    await second.close();
  });

  it('is cut off at closing time and shows the schedule instead', async () => {
    w.setNow(CLOSING);
    await page.locator('[data-test=cut-notice]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-test=cut-notice]').innerText()).toContain('已到放学时间');
    await page.locator('[data-test=closed-message]').waitFor();
    await page.locator('[data-test=status-open]').waitFor({ state: 'detached' });
    expect(await page.locator('[data-test=stream-video]').count()).toBe(0);
    expect(await page.locator('[data-test=next-open]').innerText()).toContain('16:00');
    await page.screenshot({ path: screenshotPath('parents-closed'), fullPage: true });
  });

  it('shows the view in the staff view log', async () => {
    const items = await newParentViews();
    expect(items.every((v) => v.ip === '127.0.0.1' && v.streamId === w.streamA && v.userName === NEW_PARENT.name)).toBe(true);
    // Leaving the page for /admin/users ended the first view (beacon); closing time ended the second.
    expect(items.map((v) => v.endReason).sort()).toEqual(['closed', 'stopped']);
  });

  it('staff manage the classroom and read the view log on the desktop', async () => {
    const desk = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const p = await desk.newPage();
    p.on('pageerror', (err) => console.error('[browser]', err.message));
    await p.goto(`${w.t.url}/login`);
    await p.locator('input[name=username]').fill('operator');
    await p.locator('input[name=password]').fill('qly-operator-2026');
    await p.locator('[data-test=login-submit]').click();
    await p.waitForURL((u) => u.pathname !== '/login');
    await p.goto(`${w.t.url}/classrooms/${w.classroomA}`);
    await p.locator('[data-test=enrolments]').getByText('小红').waitFor();
    await p.locator('[data-test=grants]').getByText(NEW_PARENT.phone).waitFor();
    await p.locator('[data-test=invite]').first().click();
    const code = await p.locator('[data-test=issued-code]').innerText();
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{2}$/);
    await p.screenshot({ path: screenshotPath('parents-staff-classroom'), fullPage: true });
    await p.keyboard.press('Escape');
    await p.goto(`${w.t.url}/stream-views`);
    await p.locator('[data-test=stream-views] .el-table__row').first().waitFor();
    expect(await p.locator('[data-test=stream-views]').innerText()).toContain('放学关闭');
    await p.screenshot({ path: screenshotPath('parents-staff-views'), fullPage: true });
    const href = (await p.locator('[data-test=export-csv]').getAttribute('href'))!;
    const csv = await p.evaluate(async (url) => (await fetch(url)).text(), href);
    expect(csv).toContain(NEW_PARENT.phone);
    await desk.close();
  });
});
