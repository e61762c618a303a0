// LL-HLS over HTTP from a real ingest: playlists, parts, blocking reload, snapshots, the
// authorize hook, bad requests, and hls.js in lowLatencyMode playing it in Chromium.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Fastify, { type FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaHttpPlugin } from '../media/src/hls/http-plugin';
import { MediaNode } from '../media/src/node';
import { launchBrowser, screenshotPath } from './support/browser';
import { clip, ffmpegChildren } from './media-fixtures';

const hlsJsPath = createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js');

let app: FastifyInstance;
let node: MediaNode;
let base: string;

beforeAll(async () => {
  const src = await clip('baseline');
  node = new MediaNode({ id: 'test-node', address: 'http://127.0.0.1', idleStopMs: 2000, hlsViewerLeaseMs: 5000 });
  node.assign('cam1', { url: src });
  node.assign('cam2', { url: src });
  node.assign('secret', { url: src });
  node.assign('broken', { url: 'rtsp://127.0.0.1:1/none' });
  app = Fastify();
  await app.register(mediaHttpPlugin, {
    node,
    startTimeoutMs: 8000,
    authorize: async (req, streamId) => {
      if (streamId !== 'secret') return true;
      const token = (req.query as Record<string, string>).token;
      if (token === 'expired') return { status: 401, error: 'token_expired', message: 'the stream link has expired' };
      return token === 'ok';
    },
  });
  app.get('/hls.js', (_req, reply) => reply.type('application/javascript').send(readFileSync(hlsJsPath)));
  app.get('/player.html', (_req, reply) =>
    reply.type('text/html').send(`<!doctype html><video id="v" muted autoplay playsinline width="640" height="360"></video>
<script src="/hls.js"></script><script>
  const q = new URLSearchParams(location.search);
  const hls = new Hls({ lowLatencyMode: q.get('ll') !== '0', backBufferLength: 4 });
  window.hls = hls; window.errors = [];
  hls.on(Hls.Events.ERROR, (_e, d) => window.errors.push(d.details + (d.fatal ? ' (fatal)' : '')));
  hls.loadSource('/media/streams/cam2/' + (q.get('ll') === '0' ? 'index.m3u8' : 'll.m3u8'));
  hls.attachMedia(document.getElementById('v'));
</script>`),
  );
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app?.close();
  await node?.close();
  expect(ffmpegChildren()).toEqual([]);
});

const get = (path: string) => fetch(base + path);

describe('LL-HLS routes', () => {
  it('serves an LL-HLS playlist whose init, parts and segments are fMP4', async () => {
    const res = await get('/media/streams/cam1/ll.m3u8');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    const text = await res.text();
    expect(text).toMatch(/^#EXTM3U\n#EXT-X-VERSION:9\n#EXT-X-TARGETDURATION:1\n/);
    expect(text).toContain('#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.6');
    expect(text).toContain('#EXT-X-PART-INF:PART-TARGET=0.2');
    expect(text).toMatch(/#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part-\d+\.\d+\.m4s"/);
    const map = /#EXT-X-MAP:URI="([^"]+)"/.exec(text)![1];
    const init = Buffer.from(await (await get(`/media/streams/cam1/${map}`)).arrayBuffer());
    expect(init.toString('latin1', 4, 8)).toBe('ftyp');
    const partUri = /URI="(part-\d+\.\d+\.m4s)",INDEPENDENT=YES/.exec(text)![1];
    const part = await get(`/media/streams/cam1/${partUri}`);
    expect(part.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await part.arrayBuffer()).toString('latin1', 4, 8)).toBe('moof');
  });

  it('holds a blocking reload until the requested part exists', async () => {
    const text = await (await get('/media/streams/cam1/ll.m3u8')).text();
    const [, msn, idx] = /#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part-(\d+)\.(\d+)\.m4s"/.exec(text)!;
    const t0 = Date.now();
    const res = await get(`/media/streams/cam1/ll.m3u8?_HLS_msn=${msn}&_HLS_part=${idx}`);
    const held = Date.now() - t0;
    expect(res.status).toBe(200);
    const next = await res.text();
    expect(held).toBeLessThan(1500);
    expect(next.includes(`part-${msn}.${idx}.m4s`) || next.includes(`part-${Number(msn) + 1}.0.m4s`)).toBe(true);
    // The preload-hinted part itself is held the same way.
    const hint = /#EXT-X-PRELOAD-HINT:TYPE=PART,URI="(part-\d+\.\d+\.m4s)"/.exec(next)![1];
    const part = await get(`/media/streams/cam1/${hint}`);
    expect(part.status).toBe(200);
    expect(Buffer.from(await part.arrayBuffer()).toString('latin1', 4, 8)).toBe('moof');
  });

  it('serves a plain playlist and whole segments for old players', async () => {
    const text = await (await get('/media/streams/cam1/index.m3u8')).text();
    expect(text).toContain('#EXT-X-VERSION:7');
    expect(text).not.toContain('EXT-X-PART');
    const seg = /\n(seg-\d+\.m4s)\n/.exec(text)![1];
    const body = Buffer.from(await (await get(`/media/streams/cam1/${seg}`)).arrayBuffer());
    expect(body.toString('latin1', 4, 8)).toBe('moof');
  });

  it('returns a JPEG snapshot of the latest keyframe', async () => {
    const res = await get('/media/streams/cam1/snapshot.jpg');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    const jpeg = Buffer.from(await res.arrayBuffer());
    expect(await sharp(jpeg).metadata()).toMatchObject({ format: 'jpeg', width: 640, height: 360 });
  });

  it('counts HLS viewers on the stream status', () => {
    expect(node.status('cam1')).toMatchObject({ streamId: 'cam1', state: 'live', codec: 'h264', width: 640, height: 360, fps: 25, viewers: 1 });
    expect(node.status('cam1')!.bitrate).toBeGreaterThan(100_000);
  });

  it.each([
    ['/media/streams/cam1/ll.m3u8?_HLS_msn=999999', 400, 'bad_request'],
    ['/media/streams/cam1/ll.m3u8?_HLS_part=1', 400, 'bad_request'],
    ['/media/streams/cam1/ll.m3u8?_HLS_msn=-1', 400, 'bad_request'],
    ['/media/streams/cam1/ll.m3u8?_HLS_msn=1e3', 400, 'bad_request'],
    ['/media/streams/cam1/ll.m3u8?_HLS_msn=1&_HLS_part=x', 400, 'bad_request'],
    ['/media/streams/..%2F..%2Fetc/ll.m3u8', 400, 'bad_stream_id'],
    ['/media/streams/cam1/..%2F..%2Fpasswd', 404, 'not_found'],
    ['/media/streams/cam1/seg-99999999999.m4s', 404, 'not_found'],
    ['/media/streams/cam1/seg-0.m4s.bak', 404, 'not_found'],
    ['/media/streams/cam1/part-0.99999.m4s', 404, 'not_found'],
    ['/media/streams/cam1/seg-999999.m4s', 404, 'gone'],
    ['/media/streams/cam1/init-77.mp4', 404, 'gone'],
    ['/media/streams/nope/ll.m3u8', 404, 'unknown_stream'],
    ['/media/streams/secret/ll.m3u8', 403, 'forbidden'],
    ['/media/streams/secret/ll.m3u8?token=expired', 401, 'token_expired'],
  ])('GET %s → %i %s', async (path, status, error) => {
    const res = await get(path);
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ error, message: expect.any(String) });
  });

  it('lets an authorised viewer in', async () => {
    expect((await get('/media/streams/secret/ll.m3u8?token=ok')).status).toBe(200);
  });

  it('answers 503 with the reason for a camera that is offline', async () => {
    const res = await get('/media/streams/broken/ll.m3u8');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: expect.stringMatching(/reconnecting|offline/), message: expect.stringMatching(/Connection refused/) });
  });
});

describe('hls.js in Chromium', () => {
  it.each([
    ['LL-HLS in lowLatencyMode', 'll.m3u8', '?ll=1', true],
    ['the plain playlist without LL support', 'index.m3u8', '?ll=0', false],
  ])('plays %s', async (_label, _playlist, query, lowLatency) => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(`${base}/player.html${query}`);
      await page.waitForFunction(() => (document.getElementById('v') as HTMLVideoElement).currentTime > 0, undefined, { timeout: 30_000 });
      const start = await page.evaluate(() => (document.getElementById('v') as HTMLVideoElement).getVideoPlaybackQuality().totalVideoFrames);
      await page.waitForTimeout(4000);
      const result = await page.evaluate(() => {
        const v = document.getElementById('v') as HTMLVideoElement;
        const hls = (window as unknown as { hls: { latency: number; playingDate: Date | null; lowLatencyMode: boolean } }).hls;
        return {
          frames: v.getVideoPlaybackQuality().totalVideoFrames,
          width: v.videoWidth,
          pdtLatencyMs: hls.playingDate ? Date.now() - hls.playingDate.getTime() : null,
          hlsLatency: hls.latency,
          lowLatencyMode: hls.lowLatencyMode,
          errors: (window as unknown as { errors: string[] }).errors,
        };
      });
      await page.screenshot({ path: screenshotPath(`media-hls-player-${lowLatency ? 'll' : 'plain'}`) });
      console.log(`hls.js playback of ${_playlist}`, result);
      expect(result.width).toBe(640);
      // 4 s at 25 fps: frames keep coming (not a frozen picture).
      expect(result.frames - start).toBeGreaterThan(60);
      expect(result.lowLatencyMode).toBe(lowLatency);
      expect(result.errors.filter((e) => e.endsWith('(fatal)'))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
