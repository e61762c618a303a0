// An operator's video wall in Chromium against a real control plane with mediasoup: four
// simulated cameras play (WebRTC, and LL-HLS on the tile where WebRTC is switched off), frames
// advance on every tile, a camera killed by fault injection shows "reconnecting" and comes back
// by itself, and a camera dragged from the tree onto a tile starts playing.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from './support/browser';
import { operatorPage, startWallWorld, type WallWorld } from './wall-support';

let w: WallWorld;
let browser: Browser;
let page: Page;
/** Camera ids in tile order, as the first visit filled the wall. */
let wall: string[] = [];

beforeAll(async () => {
  // Recorded scenes for the four tiles (codec copy, light on a busy machine); the fifth camera
  // is a live-encoded PTZ dome, dragged onto the wall later.
  w = await startWallWorld(
    'wall',
    [
      { name: '北京街地铁口', location: '北京街 1 号', scene: 'street' },
      { name: '幸福里东门', location: '幸福里小区东门', scene: 'gate' },
      { name: '实验小学', location: '教学楼 2 层', scene: 'classroom' },
      { name: '幸福里西门', location: '幸福里小区西门', scene: 'gate' },
      { name: '南门云台', location: '幸福里小区南门', scene: 'street', ptz: true },
    ],
    ['1 主干道', '2 出入口', '3 学校', '2 出入口', '4 云台'],
  );
  browser = await launchBrowser();
  ({ page } = await operatorPage(browser, w));
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await w?.close();
});

const tile = (cameraId: string) => page.locator(`[data-test=wall-tile][data-camera="${cameraId}"]`);
const stateOf = (cameraId: string) => tile(cameraId).locator('[data-test=live-video]').getAttribute('data-state');

/** Frames each tile's <video> presented during `ms` (requestVideoFrameCallback). */
async function framesDuring(ms: number): Promise<Record<string, number>> {
  return page.evaluate(async (ms) => {
    const counts: Record<string, number> = {};
    const tiles = Array.from(document.querySelectorAll<HTMLElement>('[data-test=wall-tile]')).filter((t) => t.dataset.camera);
    for (const t of tiles) {
      const video = t.querySelector('video')!;
      const id = t.dataset.camera!;
      counts[id] = 0;
      const onFrame = () => {
        counts[id] += 1;
        video.requestVideoFrameCallback(onFrame);
      };
      video.requestVideoFrameCallback(onFrame);
    }
    await new Promise((r) => setTimeout(r, ms));
    return counts;
  }, ms);
}

describe('video wall', () => {
  it('plays four cameras, WebRTC first and LL-HLS where WebRTC is off, every picture moving', async () => {
    // A first visit fills the 2×2 wall from the camera tree; the third tile is then reloaded with WebRTC off.
    await page.goto(`${w.t.url}/wall`);
    await expect.poll(() => page.locator('[data-test=wall-tile][data-camera]:not([data-camera=""])').count(), { timeout: 20_000 }).toBe(4);
    wall = await page.locator('[data-test=wall-tile]').evaluateAll((ts: HTMLElement[]) => ts.map((t) => t.dataset.camera!));
    const [a, b, c, d] = wall;
    await page.goto(`${w.t.url}/wall?forceHls=${c}`);
    for (const id of [a, b, c, d]) await expect.poll(() => stateOf(id), { timeout: 45_000, interval: 250 }).toBe('live');

    const transports = await Promise.all([a, b, c, d].map((id) => tile(id).locator('[data-test=live-video]').getAttribute('data-transport')));
    expect(transports).toEqual(['webrtc', 'webrtc', 'll-hls', 'webrtc']);
    // 2×2 tiles play the sub stream; double-click enlarges a tile to the whole wall on main.
    expect(await tile(a).locator('[data-test=live-video]').getAttribute('data-stream')).toBe(`${a}.sub`);

    const frames = await framesDuring(2000);
    for (const id of [a, b, c, d]) expect(frames[id], `frames on ${id}`).toBeGreaterThan(10);
    const currentTimes = await page.locator('[data-test=tile-video]').evaluateAll((vs: HTMLVideoElement[]) => vs.map((v) => v.currentTime));
    expect(currentTimes.every((t) => t > 0)).toBe(true);

    await tile(a).hover();
    await expect.poll(() => tile(a).locator('[data-test=tile-stats]').innerText()).toMatch(/WebRTC[\s\S]*\d+×\d+[\s\S]*fps/);
    await page.screenshot({ path: screenshotPath('wall') });
    // One ingest per camera however it is watched (main profile of four cameras).
    expect(w.t.app.media.info().streams.filter((s) => s.state === 'live').length).toBeGreaterThanOrEqual(4);

    // Double-click: the tile fills the wall and switches to the main stream; again: back to 2×2.
    await tile(a).dblclick();
    await expect.poll(() => page.locator('[data-test=wall-tile]').count()).toBe(1);
    await expect.poll(() => tile(a).locator('[data-test=live-video]').getAttribute('data-stream')).toBe(`${a}.main`);
    await expect.poll(() => stateOf(a), { timeout: 45_000, interval: 250 }).toBe('live');
    await page.screenshot({ path: screenshotPath('wall-enlarged') });
    await tile(a).dblclick();
    await expect.poll(() => page.locator('[data-test=wall-tile]').count()).toBe(4);
    await expect.poll(() => stateOf(a), { timeout: 45_000, interval: 250 }).toBe('live');
  }, 240_000);

  it('shows a camera that goes dark as reconnecting, with the reason, and brings it back by itself', async () => {
    const [a, b] = wall;
    const sim = w.sim.cameras[w.cameraIds.indexOf(a)];
    sim.faults.offline(true);
    await expect.poll(() => stateOf(a), { timeout: 30_000, interval: 250 }).toMatch(/reconnecting|offline/);
    expect(await tile(a).locator('[data-test=tile-reason]').innerText()).not.toBe('');
    await page.screenshot({ path: screenshotPath('wall-reconnecting') });
    // The other tiles keep playing meanwhile.
    expect(await stateOf(b)).toBe('live');

    sim.faults.offline(false);
    await expect.poll(() => stateOf(a), { timeout: 90_000, interval: 250 }).toBe('live');
    // Playing smoothly again soon after the first picture.
    await expect.poll(async () => (await framesDuring(1000))[a], { timeout: 20_000 }).toBeGreaterThan(5);
    await page.screenshot({ path: screenshotPath('wall-recovered') });
  }, 180_000);

  it('takes a camera dragged from the tree onto a tile of a 1+5 wall, on the sub stream, with PTZ', async () => {
    const e = w.cameraIds[4];
    expect(wall).not.toContain(e);
    await page.locator('[data-test="layout-1+5"]').click();
    await expect.poll(() => page.locator('[data-test=wall-tile]').count()).toBe(6);
    const name = w.sim.cameras[w.cameraIds.indexOf(e)].name;
    await page.locator('input[data-test=camera-search]').fill(name);
    await expect.poll(() => page.locator(`[data-test=tree-camera-${wall[0]}]`).isVisible()).toBe(false);
    await page.locator(`[data-test=tree-camera-${e}]`).dragTo(page.locator('[data-test=wall-tile]').nth(5));
    await expect.poll(() => stateOf(e), { timeout: 45_000, interval: 250 }).toBe('live');
    expect(await tile(e).locator('[data-test=live-video]').getAttribute('data-stream')).toBe(`${e}.sub`);
    // The large tile plays main.
    await expect.poll(() => page.locator('[data-test=wall-tile]').first().locator('[data-test=live-video]').getAttribute('data-stream')).toBe(`${wall[0]}.main`);
    await tile(e).hover();
    expect(await tile(e).locator('[data-test=ptz]').isVisible()).toBe(true);
    await page.screenshot({ path: screenshotPath('wall-1plus5') });

    // The wall is remembered for this user.
    await page.reload();
    await expect.poll(() => page.locator('[data-test=wall-tile]').count(), { timeout: 20_000 }).toBe(6);
    await expect.poll(() => tile(e).count()).toBe(1);
  }, 180_000);
});
