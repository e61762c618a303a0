// Admin pages in real Chromium against a real control plane: create, validate, filter, edit,
// page through and delete users, sites, teams and cameras; server-side refusals are shown.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './support/app';
import { screenshotPath } from './support/browser';
import { signIn, startWebTestApp, type WebTestApp } from './support/web-app';

let app: TestApp;
let env: WebTestApp | undefined;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let adminCookie: string;

beforeAll(async () => {
  env = await startWebTestApp({ label: 'webadmin' });
  app = env.app;
  browser = env.browser;
  context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1366, height: 860 } });
  page = await context.newPage();
  page.on('pageerror', (err) => console.error('[browser]', err.message));
  await signIn(page, app.url, 'admin', app.seed.users.admin.password);
  await page.waitForURL('**/wall');
  adminCookie = await app.login('admin', app.seed.users.admin.password);
}, 600_000);

afterAll(async () => {
  await env?.close();
});

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(app.url + path, {
    method,
    headers: { cookie: adminCookie, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

async function open(path: string): Promise<void> {
  await page.goto(app.url + path);
  await page.locator('[data-test=crud-table]').waitFor();
  await waitIdle();
}

/** The table finished loading. */
async function waitIdle(): Promise<void> {
  await page.locator('[data-test=crud-table] .el-loading-mask').waitFor({ state: 'detached' }).catch(() => {});
  await page.waitForFunction(() => !document.querySelector('[data-test=crud-table] .el-loading-mask'));
}

const rows = () => page.locator('[data-test=crud-table] .el-table__body-wrapper tr.el-table__row');
const row = (text: string) => rows().filter({ hasText: text });
const dialog = () => page.locator('.el-dialog:visible');
const field = (label: string): Locator =>
  dialog()
    .locator('.el-form-item')
    .filter({ has: page.locator('.el-form-item__label', { hasText: new RegExp(`^${label}$`) }) });
const errors = () => dialog().locator('.el-form-item__error');

async function choose(label: string, option: string): Promise<void> {
  await field(label).locator('.el-select__wrapper').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click();
}

async function save(): Promise<void> {
  await dialog().locator('[data-test=save]').click();
}

async function saved(): Promise<void> {
  await page.locator('.el-message--success').last().waitFor();
  await dialog().waitFor({ state: 'hidden' });
  await waitIdle();
}

async function totalShown(): Promise<number> {
  const text = (await page.locator('.el-pagination__total').textContent()) ?? '';
  return Number(/(\d+)/.exec(text)?.[1]);
}

describe('admin pages', () => {
  it('creates a user after client-side validation, and shows the server refusing a duplicate', async () => {
    await open('/admin/users');
    expect(await totalShown()).toBe(6);
    await page.screenshot({ path: screenshotPath('web-admin-users-zh'), animations: 'disabled' });

    await page.locator('[data-test=create]').click();
    await save();
    await expect.poll(() => errors().count(), { timeout: 5000 }).toBeGreaterThanOrEqual(3); // username, name, password
    await field('用户名').locator('input').fill('zhao liu'); // space: not allowed
    await field('姓名').locator('input').fill('<b>赵六</b>');
    await field('密码').locator('input').fill('short');
    await field('手机号').locator('input').fill('12ab');
    await save();
    await expect.poll(() => errors().allTextContents(), { timeout: 5000 }).toEqual(expect.arrayContaining(['2–40 位字母、数字或 _ . -', '不能包含 < > 或控制字符', '密码长度为 8–128 位', '请输入 6–15 位数字的电话号码']));
    await page.screenshot({ path: screenshotPath('web-admin-user-form-errors-zh'), animations: 'disabled' });

    await field('用户名').locator('input').fill('zhao_liu');
    await field('姓名').locator('input').fill('巡逻队员 赵六');
    await field('密码').locator('input').fill('zhao-liu-2026');
    await field('手机号').locator('input').fill('13700000009');
    await field('角色').getByText('巡逻队员').click();
    await choose('所属队伍', '社区巡逻队');
    await save();
    await saved();
    await expect(row('zhao_liu').textContent()).resolves.toContain('社区巡逻队');
    expect(await totalShown()).toBe(7);

    // Same username again: the client cannot know, the server answers 409 and the dialog stays open.
    await page.locator('[data-test=create]').click();
    await field('用户名').locator('input').fill('zhao_liu');
    await field('姓名').locator('input').fill('另一个赵六');
    await field('密码').locator('input').fill('zhao-liu-2026');
    await save();
    await expect(page.locator('.el-message--error').last().textContent()).resolves.toContain('与已有记录冲突');
    expect(await dialog().isVisible()).toBe(true);
    await dialog().getByRole('button', { name: '取消' }).click();
    await dialog().waitFor({ state: 'hidden' });
    expect(await totalShown()).toBe(7);
  });

  it('filters, edits only what changed, disables, and deletes after confirmation', async () => {
    await open('/admin/users');
    await page.locator('input[data-test=filter-q]').fill('zhao');
    await expect.poll(async () => rows().count(), { timeout: 5000 }).toBe(1);

    const before = await api<{ items: { id: string; role: string; teamId: string }[] }>('GET', '/api/users?q=zhao_liu');
    const target = before.items[0];
    // A session of the user being edited: a PATCH that touched the role would end it.
    const userCookie = await app.login('zhao_liu', 'zhao-liu-2026');

    await row('zhao_liu').locator('[data-test=edit]').click();
    expect(await field('用户名').locator('input').isDisabled()).toBe(true);
    await field('姓名').locator('input').fill('巡逻队员 赵六六');
    await save();
    await saved();
    await expect(row('zhao_liu').textContent()).resolves.toContain('赵六六');
    const me = await fetch(`${app.url}/api/auth/me`, { headers: { cookie: userCookie } });
    expect(me.status).toBe(200);
    const after = await api<{ role: string; teamId: string; displayName: string }>('GET', `/api/users/${target.id}`);
    expect(after).toMatchObject({ role: target.role, teamId: target.teamId, displayName: '巡逻队员 赵六六' });

    // Disabling the account ends its sessions and its logins.
    await row('zhao_liu').locator('[data-test=edit]').click();
    await field('状态').locator('.el-switch').click();
    await save();
    await saved();
    await expect(row('zhao_liu').textContent()).resolves.toContain('已停用');
    expect((await fetch(`${app.url}/api/auth/me`, { headers: { cookie: userCookie } })).status).toBe(401);
    await expect(app.login('zhao_liu', 'zhao-liu-2026')).rejects.toThrow(/401/);

    await row('zhao_liu').locator('[data-test=delete]').click();
    const box = page.locator('.el-message-box');
    await expect(box.textContent()).resolves.toContain('巡逻队员 赵六六');
    await box.getByRole('button', { name: '取消' }).click();
    await box.waitFor({ state: 'hidden' });
    expect(await rows().count()).toBe(1);
    await row('zhao_liu').locator('[data-test=delete]').click();
    await box.getByRole('button', { name: '删除' }).click();
    await page.locator('.el-message--success', { hasText: '已删除' }).waitFor();
    await expect.poll(async () => rows().count(), { timeout: 5000 }).toBe(0);
    await page.locator('input[data-test=filter-q]').fill('');
    await expect.poll(totalShown, { timeout: 5000 }).toBe(6);
  });

  it('pages through sites and creates one with a chosen kind', async () => {
    for (let i = 1; i <= 23; i++) await api('POST', '/api/sites', { name: `测试片区 ${String(i).padStart(2, '0')}`, kind: 'street' });
    await open('/admin/sites');
    expect(await totalShown()).toBe(26);
    expect(await rows().count()).toBe(20);
    await page.locator('.el-pager li', { hasText: '2' }).click();
    await expect.poll(async () => rows().count(), { timeout: 5000 }).toBe(6);

    await page.locator('[data-test=create]').click();
    await field('名称').locator('input').fill('军门社区 东区');
    await choose('类型', '小区');
    await field('时区').locator('input').fill('Mars/Olympus'); // well-formed but unknown: the server refuses
    await save();
    await expect(page.locator('.el-message--error').last().textContent()).resolves.toContain('输入有误');
    await field('时区').locator('input').fill('Asia/Shanghai');
    // The gates' plate reader leans towards the estate's own province.
    await choose('本地省份', '皖');
    await page.screenshot({ path: screenshotPath('web-admin-site-form-zh'), animations: 'disabled' });
    await save();
    await saved();
    expect(await totalShown()).toBe(27);
    const found = await api<{ items: { kind: string; timezone: string; plateProvince: string | null }[] }>('GET', `/api/sites?q=${encodeURIComponent('军门社区 东区')}`);
    expect(found.items).toEqual([expect.objectContaining({ kind: 'estate', timezone: 'Asia/Shanghai', plateProvince: '皖' })]);
  });

  it('creates a team and a camera whose password is stored but never shown', async () => {
    await open('/admin/teams');
    await page.locator('[data-test=create]').click();
    await field('名称').locator('input').fill('城管机动二队');
    await choose('类型', '城管机动队');
    await choose('所属片区', '北京街道 地铁口');
    await save();
    await saved();
    await expect(row('城管机动二队').textContent()).resolves.toContain('北京街道 地铁口');

    await open('/admin/cameras');
    await page.locator('[data-test=create]').click();
    await field('名称').locator('input').fill('地铁A口 球机');
    await choose('所属片区', '北京街道 地铁口');
    await field('主码流地址').locator('input').fill('http://not-rtsp');
    await field('登录账号').locator('input').fill('admin');
    await field('登录密码').locator('input').fill('cam-secret-1');
    await save();
    await expect.poll(() => errors().allTextContents(), { timeout: 5000 }).toContain('请输入以 rtsp(s):// rtmp:// 开头的地址');
    await field('主码流地址').locator('input').fill('rtsp://127.0.0.1:8554/metro-a');
    await field('PTZ').locator('.el-switch').click();
    await save();
    await saved();
    await expect(row('地铁A口 球机').textContent()).resolves.toContain('北京街道 地铁口');
    await page.screenshot({ path: screenshotPath('web-admin-cameras-zh'), animations: 'disabled' });

    const list = await api<{ items: Record<string, unknown>[] }>('GET', '/api/cameras');
    expect(list.items).toEqual([expect.objectContaining({ name: '地铁A口 球机', rtspMain: 'rtsp://127.0.0.1:8554/metro-a', username: 'admin', hasPassword: true, ptz: true })]);
    expect(JSON.stringify(list)).not.toContain('cam-secret-1');

    // Editing without touching the password keeps it.
    await row('地铁A口 球机').locator('[data-test=edit]').click();
    expect(await field('登录密码').locator('input').getAttribute('placeholder')).toBe('已保存，留空则不修改');
    await field('安装位置').locator('input').fill('北京街 地铁A口 东侧');
    await save();
    await saved();
    const edited = await api<{ items: Record<string, unknown>[] }>('GET', '/api/cameras');
    expect(edited.items[0]).toMatchObject({ location: '北京街 地铁A口 东侧', hasPassword: true });
  });

  it('creates an estate staff account bound to its estate (所属小区 is asked for that role only)', async () => {
    await open('/admin/users');
    await page.locator('[data-test=create]').click();
    expect(await field('所属小区').count()).toBe(0);
    await field('用户名').locator('input').fill('estate_sun');
    await field('姓名').locator('input').fill('物业 孙丽');
    await field('密码').locator('input').fill('estate-sun-2026');
    await field('角色').getByText('物业管理员').click();
    await save();
    await expect.poll(() => errors().allTextContents(), { timeout: 5000 }).toContain('物业管理员须选择所属小区');
    await choose('所属小区', '幸福里保障房小区');
    await page.screenshot({ path: screenshotPath('web-admin-user-estate-zh'), animations: 'disabled' });
    await save();
    await saved();
    await expect(row('estate_sun').textContent()).resolves.toContain('幸福里保障房小区');
    const created = await api<{ items: { siteId: string | null; role: string }[] }>('GET', '/api/users?q=estate_sun');
    expect(created.items[0]).toMatchObject({ role: 'estate', siteId: app.seed.sites.estate });
  });
});
