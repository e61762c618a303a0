// A control plane with the real media plugin (LL-HLS from a real ffmpeg ingest) guarded by the
// parents' stream authorizer, and a classroom world built through the staff API: two
// classrooms with a camera each, weekday hours, one child enrolled in classroom A whose parent
// redeemed an invitation.
import type { FastifyInstance } from 'fastify';
import { mediaHttpPlugin } from '../media/src/hls/http-plugin';
import { MediaNode } from '../media/src/node';
import type { AppConfig } from '../server/src/config';
import { createStreamAuthorizer } from '../server/src/parents';
import { clip } from './media-fixtures';
import { startTestApp, type TestApp } from './support/app';

/** Tuesday 2026-12-01 17:00 in Shanghai: classroom hours are 16:00–18:30 on weekdays. */
export const INSIDE_HOURS = new Date('2026-12-01T09:00:00Z');
export const CLOSING = new Date('2026-12-01T10:30:00Z');
export const PARENT = { phone: '13912345678', password: 'xiaoming-mama-2026', name: '王芳' };

export interface ParentsWorld {
  t: TestApp;
  node: MediaNode;
  admin: string;
  classroomA: string;
  classroomB: string;
  cameraA: string;
  cameraB: string;
  enrolmentA: string;
  grantA: string;
  /** Moves the server's clock (opening hours, tokens, views). */
  setNow(at: Date): void;
  api<T = unknown>(method: string, path: string, cookie: string, body?: unknown): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

export async function startParentsWorld(opts: { label: string; config?: Partial<AppConfig> }): Promise<ParentsWorld> {
  const source = await clip('baseline');
  const node = new MediaNode({ id: `parents-${opts.label}`, address: 'http://127.0.0.1', idleStopMs: 2000, hlsViewerLeaseMs: 5000 });
  const media = async (app: FastifyInstance) => {
    await app.register(mediaHttpPlugin, { node, startTimeoutMs: 8000, authorize: createStreamAuthorizer(app) });
  };
  const t = await startTestApp({ label: opts.label, config: opts.config, plugins: [media] });
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
  const camera = (name: string) => ok<{ id: string }>('POST', '/api/cameras', admin, { name, siteId: school, kind: 'rtsp' });
  const cameraA = (await camera('四点钟学校 一班 教室')).id;
  const cameraB = (await camera('四点钟学校 二班 教室')).id;
  const classroomA = (await ok<{ id: string }>('POST', '/api/classrooms', admin, { name: '一班', siteId: school })).id;
  const classroomB = (await ok<{ id: string }>('POST', '/api/classrooms', admin, { name: '二班', siteId: school })).id;
  const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '16:00', closes: '18:30' }));
  for (const [room, cam] of [
    [classroomA, cameraA],
    [classroomB, cameraB],
  ]) {
    await ok('PUT', `/api/classrooms/${room}/cameras`, admin, { cameraIds: [cam] });
    await ok('PUT', `/api/classrooms/${room}/schedule`, admin, { slots: weekdays });
    node.assign(cam, { url: source });
  }
  const enrolmentA = (await ok<{ id: string }>('POST', `/api/classrooms/${classroomA}/enrolments`, admin, { childName: '小明', validFrom: '2026-09-01', validTo: '2027-01-31' })).id;
  const invitation = await ok<{ grantId: string; code: string }>('POST', `/api/enrolments/${enrolmentA}/invitations`, admin, {});
  await ok('POST', '/api/parents/redeem', '', { code: invitation.code, phone: PARENT.phone, displayName: PARENT.name, password: PARENT.password });

  return {
    t,
    node,
    admin,
    classroomA,
    classroomB,
    cameraA,
    cameraB,
    enrolmentA,
    grantA: invitation.grantId,
    setNow(at) {
      t.app.parents.setClock(() => at);
    },
    api,
    async close() {
      await t.close();
      await node.close();
    },
  };
}
