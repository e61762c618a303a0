// The control plane as deployed (its media node serves LL-HLS behind the stream guard) fed by two
// simulated classroom cameras, and a classroom world built through the staff API: two classrooms
// with a camera each, weekday hours, one child enrolled in classroom A whose parent redeemed an
// invitation.
import { startCameraSim, type CameraSimHandle } from '../camera-sim/src';
import type { AppConfig } from '../server/src/config';
import { streamIdOf } from '../server/src/streams/stream-ids';
import { startTestApp, type TestApp } from './support/app';

/** Tuesday 2026-12-01 17:00 in Shanghai: classroom hours are 16:00–18:30 on weekdays. */
export const INSIDE_HOURS = new Date('2026-12-01T09:00:00Z');
export const CLOSING = new Date('2026-12-01T10:30:00Z');
export const PARENT = { phone: '13912345678', password: 'xiaoming-mama-2026', name: '王芳' };

export interface ParentsWorld {
  t: TestApp;
  sim: CameraSimHandle | null;
  admin: string;
  classroomA: string;
  classroomB: string;
  cameraA: string;
  cameraB: string;
  /** The sub streams parents' phones play. */
  streamA: string;
  streamB: string;
  enrolmentA: string;
  grantA: string;
  /** Moves the server's clock (opening hours, tokens, views). */
  setNow(at: Date): void;
  api<T = unknown>(method: string, path: string, cookie: string, body?: unknown): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/** `sim: false` (benchmarks of the guard alone): cameras point nowhere and nothing is ingested. */
export async function startParentsWorld(opts: { label: string; config?: Partial<AppConfig>; sim?: boolean }): Promise<ParentsWorld> {
  const sim =
    opts.sim === false
      ? null
      : await startCameraSim({
          cameras: [
            { name: '一班 教室', location: '活动中心 2 楼', scene: 'classroom' },
            { name: '二班 教室', location: '活动中心 3 楼', scene: 'classroom' },
          ],
          discovery: false,
        });
  const t = await startTestApp({ label: opts.label, config: { webrtc: false, mediaIdleStopMs: 2000, ...opts.config } });
  t.app.parents.setClock(() => INSIDE_HOURS);

  const api = async <T>(method: string, path: string, cookie: string, body?: unknown) => {
    const res = await fetch(`${t.url}${path}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T };
  };
  const ok = async <T>(method: string, path: string, cookie: string, body?: unknown): Promise<T> => {
    const res = await api<T>(method, path, cookie, body);
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  const admin = await t.login('admin', 'qly-admin-2026');
  const school = t.seed.sites.school;
  const camera = async (i: number) => {
    const c = sim?.cameras[i];
    const source = c ? { rtspMain: c.rtspMainUrl, rtspSub: c.rtspSubUrl, username: c.username, password: c.password } : { rtspMain: 'rtsp://127.0.0.1:1/none' };
    return (await ok<{ id: string }>('POST', '/api/cameras', admin, { name: c?.name ?? `教室 ${i + 1}`, siteId: school, kind: 'rtsp', ...source })).id;
  };
  const cameraA = await camera(0);
  const cameraB = await camera(1);
  const classroomA = (await ok<{ id: string }>('POST', '/api/classrooms', admin, { name: '一班', siteId: school })).id;
  const classroomB = (await ok<{ id: string }>('POST', '/api/classrooms', admin, { name: '二班', siteId: school })).id;
  const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '16:00', closes: '18:30' }));
  for (const [room, cam] of [
    [classroomA, cameraA],
    [classroomB, cameraB],
  ]) {
    await ok('PUT', `/api/classrooms/${room}/cameras`, admin, { cameraIds: [cam] });
    await ok('PUT', `/api/classrooms/${room}/schedule`, admin, { slots: weekdays });
  }
  const enrolmentA = (await ok<{ id: string }>('POST', `/api/classrooms/${classroomA}/enrolments`, admin, { childName: '小明', validFrom: '2026-09-01', validTo: '2027-01-31' })).id;
  const invitation = await ok<{ grantId: string; code: string }>('POST', `/api/enrolments/${enrolmentA}/invitations`, admin, {});
  await ok('POST', '/api/parents/redeem', '', { code: invitation.code, phone: PARENT.phone, displayName: PARENT.name, password: PARENT.password });

  return {
    t,
    sim,
    admin,
    classroomA,
    classroomB,
    cameraA,
    cameraB,
    streamA: streamIdOf(cameraA, 'sub'),
    streamB: streamIdOf(cameraB, 'sub'),
    enrolmentA,
    grantA: invitation.grantId,
    setNow(at) {
      t.app.parents.setClock(() => at);
    },
    api,
    async close() {
      await t.close();
      await sim?.stop();
    },
  };
}
