// A patrol member watches the live camera of an incident assigned to their team, over real LL-HLS
// from a simulated camera, and only then: another team, another camera, the main stream, someone
// else's token are refused (403, audited); a re-dispatch to another team or the resolve cuts the
// playing view at once (push + refused media), without waiting for the guard's sweep.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCameraSim, type CameraSimHandle } from '../camera-sim/src';
import { streamIdOf } from '../server/src/streams/stream-ids';
import { startTestApp, type TestApp } from './support/app';
import { api, listenLive, waitFor, type LiveListener } from './incidents-support';

process.env.QLY_VIEW_SWEEP_MS = '60000'; // prove the cut comes from the incident change, not the sweep
process.env.QLY_STREAM_TOKEN_TTL = '60';

let sim: CameraSimHandle;
let t: TestApp;
let operator: string;
let patrol1: string; // 城管机动一队
let patrol2: string; // 社区巡逻队
let cameraA: string;
let cameraB: string;
const sockets: LiveListener[] = [];

interface Token {
  token: string;
  viewId: string;
}
const media = (path: string, cookie: string, token?: string) => fetch(`${t.url}${path}`, { headers: { cookie, ...(token ? { 'x-stream-token': token } : {}) } });
const playlist = (stream: string) => `/media/streams/${stream}/ll.m3u8`;
const token = (cookie: string, streamId: string, viewId?: string) => api(t.url, cookie, 'POST', '/api/stream-tokens', { streamId, ...(viewId ? { viewId } : {}) }) as Promise<{ status: number; body: Token & { error?: string } }>;

async function expectRefused(res: { status: number; body: unknown } | Response, status: number, error: string) {
  const body = res instanceof Response ? await res.json() : res.body;
  expect(res.status).toBe(status);
  expect(Object.keys(body as object).sort()).toEqual(['error', 'message']);
  expect((body as { error: string }).error).toBe(error);
  const { rows } = await t.app.db.query(`SELECT 1 FROM audit_log WHERE action = 'stream.denied' AND details->>'reason' = $1`, [error]);
  expect(rows.length, `audit row for ${error}`).toBeGreaterThan(0);
}

async function incidentOn(cameraId: string, team: string): Promise<{ id: string; number: number }> {
  const created = await api(t.url, operator, 'POST', '/api/incidents', { type: 'intrusion', title: '可疑人员翻越围墙', cameraId });
  expect(created.status).toBe(201);
  expect((await api(t.url, operator, 'POST', `/api/incidents/${created.body.id}/dispatch`, { teamId: t.seed.teams[team] })).status).toBe(200);
  return created.body;
}

beforeAll(async () => {
  sim = await startCameraSim({ cameras: [{ name: '南门 1 号', location: '幸福里 南门', scene: 'street' }, { name: '北门 1 号', location: '幸福里 北门', scene: 'street' }], discovery: false });
  t = await startTestApp({ label: 'patrolvid', config: { webrtc: false, mediaIdleStopMs: 2000 } });
  const admin = await t.login('admin', 'qly-admin-2026');
  operator = await t.login('operator', 'qly-operator-2026');
  patrol1 = await t.login('patrol1', 'qly-patrol-2026');
  patrol2 = await t.login('patrol2', 'qly-patrol-2026');
  const camera = async (i: number) => {
    const c = sim.cameras[i];
    const res = await api(t.url, admin, 'POST', '/api/cameras', { name: c.name, siteId: t.seed.sites.estate, kind: 'rtsp', rtspMain: c.rtspMainUrl, rtspSub: c.rtspSubUrl, username: c.username, password: c.password });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  cameraA = await camera(0);
  cameraB = await camera(1);
}, 300_000);
afterAll(async () => {
  for (const s of sockets) s.close();
  await t?.close();
  await sim?.stop();
});

describe('patrol live camera', () => {
  it('plays the sub stream of its own open incident, and nothing else', async () => {
    const inc = await incidentOn(cameraA, '城管机动一队');
    const subA = streamIdOf(cameraA, 'sub');
    const own = await token(patrol1, subA);
    expect(own.status).toBe(200);
    const res = await media(playlist(subA), patrol1, own.body.token);
    expect(res.status).toBe(200);
    const text = await res.text();
    const part = /URI="(part-\d+\.\d+\.m4s)"/.exec(text)![1];
    expect((await media(`/media/streams/${subA}/${part}`, patrol1, own.body.token)).status).toBe(200);
    // The view is logged with the incident it was allowed for.
    const started = (await t.app.db.query(`SELECT details FROM audit_log WHERE action = 'stream.view.start' AND details->>'viewId' = $1`, [own.body.viewId])).rows[0];
    expect(started.details).toMatchObject({ incidentId: inc.id, incidentNumber: String(inc.number) });

    // The main stream, a camera on no incident of theirs, another team's member, a stolen token.
    await expectRefused(await token(patrol1, streamIdOf(cameraA, 'main')), 403, 'not_assigned');
    await expectRefused(await token(patrol1, streamIdOf(cameraB, 'sub')), 403, 'not_assigned');
    await expectRefused(await token(patrol2, subA), 403, 'not_assigned');
    await expectRefused(await media(playlist(subA), patrol2, own.body.token), 403, 'not_your_token');
    await expectRefused(await media(playlist(streamIdOf(cameraB, 'sub')), patrol1, own.body.token), 403, 'wrong_stream');
    await api(t.url, patrol1, 'POST', `/api/stream-views/${own.body.viewId}/stop`);
  }, 120_000);

  it('cuts the playing view at once when the incident is re-dispatched to another team', async () => {
    const inc = await incidentOn(cameraB, '城管机动一队');
    const subB = streamIdOf(cameraB, 'sub');
    const phone1 = await listenLive(t.url, patrol1);
    sockets.push(phone1);
    const view = (await token(patrol1, subB)).body;
    expect((await media(playlist(subB), patrol1, view.token)).status).toBe(200);

    const t0 = Date.now();
    expect((await api(t.url, operator, 'POST', `/api/incidents/${inc.id}/dispatch`, { teamId: t.seed.teams['社区巡逻队'] })).status).toBe(200);
    const cut = await phone1.next('stream.revoked', (d) => d.viewId === view.viewId, 5000);
    expect(cut.reason).toBe('revoked');
    expect(Date.now() - t0).toBeLessThan(2000);
    await expectRefused(await media(playlist(subB), patrol1, view.token), 403, 'view_ended');
    await expectRefused(await token(patrol1, subB, view.viewId), 403, 'not_assigned');
    // The new team may watch now.
    expect((await token(patrol2, subB)).status).toBe(200);
  }, 60_000);

  it('cuts the view when the team resolves the incident', async () => {
    const inc = await incidentOn(cameraA, '社区巡逻队');
    const subA = streamIdOf(cameraA, 'sub');
    const phone2 = await listenLive(t.url, patrol2);
    sockets.push(phone2);
    const view = (await token(patrol2, subA)).body;
    expect((await media(playlist(subA), patrol2, view.token)).status).toBe(200);
    for (const action of ['acknowledge', 'arrive']) expect((await api(t.url, patrol2, 'POST', `/api/incidents/${inc.id}/transitions`, { action })).status).toBe(200);
    // Still theirs while on scene.
    expect((await media(playlist(subA), patrol2, view.token)).status).toBe(200);
    expect((await api(t.url, patrol2, 'POST', `/api/incidents/${inc.id}/transitions`, { action: 'resolve', note: '已处置' })).status).toBe(200);
    await phone2.next('stream.revoked', (d) => d.viewId === view.viewId, 5000);
    await waitFor('view ended', async () => (await t.app.db.query(`SELECT end_reason FROM stream_views WHERE id = $1`, [view.viewId])).rows[0].end_reason === 'revoked');
    await expectRefused(await media(playlist(subA), patrol2, view.token), 403, 'view_ended');
    await expectRefused(await token(patrol2, subA), 403, 'not_assigned');
  }, 60_000);
});
