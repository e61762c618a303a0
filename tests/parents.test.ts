// Parents' access end to end over real HTTP, PostgreSQL, Redis and a real LL-HLS ingest:
// invitations, phone login, stream tokens on every media request, opening hours on an
// injected clock, revocation with a live push, concurrent-viewer limit, the view log and its
// export, retention — and every attack answered 401/403 with no data, and audited.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSING, INSIDE_HOURS, PARENT, startParentsWorld, type ParentsWorld } from './parents-support';

process.env.QLY_VIEW_SWEEP_MS = '60000'; // sweeps run when the test says so
process.env.QLY_STREAM_TOKEN_TTL = '60';
process.env.QLY_PARENT_MAX_VIEWERS = '2';

let w: ParentsWorld;
let parent: string;
beforeAll(async () => {
  w = await startParentsWorld({ label: 'parents' });
  parent = await w.t.login(PARENT.phone, PARENT.password);
});
afterAll(async () => w?.close());

interface Token {
  token: string;
  viewId: string;
  expiresAt: string;
  allowedUntil: string | null;
}

const media = (path: string, opts: { cookie?: string; token?: string } = {}) =>
  fetch(`${w.t.url}${path}`, { headers: { ...(opts.cookie ? { cookie: opts.cookie } : {}), ...(opts.token ? { 'x-stream-token': opts.token } : {}) } });
const playlist = (stream: string) => `/media/streams/${stream}/ll.m3u8`;
const token = async (cookie: string, streamId: string, viewId?: string) => w.api<Token>('POST', '/api/stream-tokens', cookie, { streamId, ...(viewId ? { viewId } : {}) });
const stop = (cookie: string, viewId: string) => w.api('POST', `/api/stream-views/${viewId}/stop`, cookie);

/** A refusal: the status, `{ error, message }` and nothing else, and an audit row for it. */
async function expectRefused(res: Response | { status: number; body: unknown }, status: number, error: string) {
  const body = res instanceof Response ? await res.json() : res.body;
  expect(res.status).toBe(status);
  expect(Object.keys(body as object).sort()).toEqual(['error', 'message']);
  expect((body as { error: string }).error).toBe(error);
  const { rows } = await w.t.app.db.query(`SELECT 1 FROM audit_log WHERE action = 'stream.denied' AND outcome = 'denied' AND details->>'reason' = $1`, [error]);
  expect(rows.length, `audit row for ${error}`).toBeGreaterThan(0);
}

function liveSocket(cookie: string): { events: { topic: string; data: { reason: string; viewId: string } }[]; ready: Promise<void>; close(): void } {
  const ws = new WebSocket(`${w.t.url.replace('http', 'ws')}/api/ws`, { headers: { cookie } });
  const events: { topic: string; data: { reason: string; viewId: string } }[] = [];
  ws.on('message', (raw) => {
    const m = JSON.parse(raw.toString());
    if (m.type === 'event') events.push(m);
  });
  return { events, ready: new Promise((resolve) => ws.once('message', () => resolve())), close: () => ws.close() };
}

async function waitFor(check: () => boolean, what: string) {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(check(), what).toBe(true);
}

describe('parent accounts', () => {
  it('logs in with the phone number and sees only their classroom, open now', async () => {
    const me = await w.api<{ classrooms: { id: string; open: boolean; children: string[]; streams: { streamId: string }[]; closesAt: string }[] }>('GET', '/api/parents/me', parent);
    expect(me.status).toBe(200);
    expect(me.body.classrooms).toHaveLength(1);
    expect(me.body.classrooms[0]).toMatchObject({ id: w.classroomA, open: true, children: ['小明'], streams: [{ streamId: w.streamA }] });
    expect(me.body.classrooms[0].closesAt).toBe(CLOSING.toISOString());
  });

  it('accepts an invitation code once; wrong codes are refused and audited', async () => {
    const { body: inv } = await w.api<{ code: string }>('POST', `/api/enrolments/${w.enrolmentA}/invitations`, w.admin, {});
    const redeem = (code: string, phone: string, password: string) => w.api('POST', '/api/parents/redeem', '', { code, phone, displayName: '李雷', password });
    const wrong = await redeem('ABCD-EFGH-JK', '13700000001', 'password-123');
    expect(wrong).toMatchObject({ status: 400, body: { error: 'invalid_code' } });
    // The phone of an existing account needs that account's password.
    expect((await redeem(inv.code, PARENT.phone, 'not-her-password')).status).toBe(409);
    expect((await redeem(inv.code, '13700000001', 'password-123')).status).toBe(201);
    expect((await redeem(inv.code, '13700000002', 'password-123')).body).toMatchObject({ error: 'invalid_code' });
    const { rows } = await w.t.app.db.query(`SELECT 1 FROM audit_log WHERE action = 'parent.redeem' AND outcome = 'denied'`);
    expect(rows.length).toBe(2);
    expect((await w.api('POST', '/api/auth/login', '', { username: '13700000001', password: 'password-123' })).status).toBe(200);
  });

  it('resets a password through a staff code: the old one and its sessions stop working', async () => {
    const cookie = await w.t.login('13700000001', 'password-123');
    const { body: list } = await w.api<{ items: { parent: { id: string } | null }[] }>('GET', `/api/parent-grants?classroomId=${w.classroomA}&q=13700000001`, w.admin);
    const userId = list.items[0].parent!.id;
    const reset = await w.api<{ code: string }>('POST', `/api/parent-accounts/${userId}/reset-code`, w.admin);
    expect(reset.status).toBe(201);
    expect((await w.api('GET', '/api/auth/me', cookie)).status).toBe(401);
    expect((await w.api('POST', '/api/auth/login', '', { username: '13700000001', password: 'password-123' })).status).toBe(401);
    expect((await w.api('POST', '/api/parents/reset-password', '', { phone: '13700000001', code: 'WRONG-CODE-00', password: 'new-password-1' })).status).toBe(400);
    expect((await w.api('POST', '/api/parents/reset-password', '', { phone: '13700000001', code: reset.body.code, password: 'new-password-1' })).status).toBe(204);
    expect((await w.api('POST', '/api/parents/reset-password', '', { phone: '13700000001', code: reset.body.code, password: 'new-password-2' })).status).toBe(400);
    await w.t.login('13700000001', 'new-password-1');
  });
});

describe('stream tokens on every media request', () => {
  it('plays the classroom stream with a token: playlist, init and parts', async () => {
    const { status, body: t } = await token(parent, w.streamA);
    expect(status).toBe(200);
    expect(new Date(t.expiresAt).getTime() - INSIDE_HOURS.getTime()).toBe(60_000);
    const res = await media(playlist(w.streamA), { cookie: parent, token: t.token });
    expect(res.status).toBe(200);
    const text = await res.text();
    const init = /#EXT-X-MAP:URI="([^"]+)"/.exec(text)![1];
    const part = /URI="(part-\d+\.\d+\.m4s)"/.exec(text)![1];
    for (const file of [init, part]) expect((await media(`/media/streams/${w.streamA}/${file}`, { cookie: parent, token: t.token })).status).toBe(200);
    // ?token= works too (players that cannot set headers)
    expect((await media(`${playlist(w.streamA)}?token=${encodeURIComponent(t.token)}`, { cookie: parent })).status).toBe(200);
    // …and without it, nothing.
    await expectRefused(await media(`/media/streams/${w.streamA}/${part}`, { cookie: parent }), 401, 'token_required');
    await stop(parent, t.viewId);
  });

  it('checks the token on every media route: playlists, init, segments, parts, snapshot', async () => {
    const { body: t } = await token(parent, w.streamA);
    const files = ['ll.m3u8', 'index.m3u8', 'init.mp4', 'init-0.mp4', 'seg-0.m4s', 'part-0.0.m4s', 'snapshot.jpg'];
    const matrix: string[] = [];
    for (const file of files) {
      const own = await media(`/media/streams/${w.streamA}/${file}`, { cookie: parent, token: t.token });
      const none = await media(`/media/streams/${w.streamA}/${file}`, { cookie: parent });
      const other = await media(`/media/streams/${w.streamB}/${file}`, { cookie: parent, token: t.token });
      const anonymous = await media(`/media/streams/${w.streamA}/${file}`, { token: t.token });
      matrix.push(`${file}: own ${own.status}, no token ${none.status}, other classroom ${other.status}, no session ${anonymous.status}`);
      // With its token a file may be 200 or gone from the window (404), never refused.
      expect([200, 404], matrix.at(-1)).toContain(own.status);
      expect([none.status, other.status, anonymous.status], matrix.at(-1)).toEqual([401, 403, 401]);
      for (const res of [none, other, anonymous]) expect(Object.keys(await res.json()).sort()).toEqual(['error', 'message']);
    }
    await stop(parent, t.viewId);
  });

  it("refuses another classroom's stream id", async () => {
    await expectRefused(await token(parent, w.streamB), 403, 'no_access');
    const { body: t } = await token(parent, w.streamA);
    await expectRefused(await media(playlist(w.streamB), { cookie: parent, token: t.token }), 403, 'wrong_stream');
    await expectRefused(await token(parent, 'not-a-camera'), 403, 'no_access');
    await expectRefused(await token(parent, w.streamA.replace('.sub', '')), 403, 'no_access');
    // The main stream of their own classroom camera is theirs too; another camera's is not.
    const main = await token(parent, w.streamA.replace('.sub', '.main'));
    expect(main.status).toBe(200);
    await stop(parent, main.body.viewId);
    await stop(parent, t.viewId);
  });

  it('refuses an edited or guessed token', async () => {
    const { body: t } = await token(parent, w.streamA);
    const [v, payload, mac] = t.token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const edited = Buffer.from(JSON.stringify({ ...claims, s: w.streamB })).toString('base64url');
    await expectRefused(await media(playlist(w.streamB), { cookie: parent, token: `${v}.${edited}.${mac}` }), 401, 'token_invalid');
    const flipped = mac.slice(0, -2) + (mac.endsWith('AA') ? 'BB' : 'AA');
    await expectRefused(await media(playlist(w.streamA), { cookie: parent, token: `${v}.${payload}.${flipped}` }), 401, 'token_invalid');
    await expectRefused(await media(playlist(w.streamA), { cookie: parent, token: 'v1.eyJ1IjoiYWRtaW4ifQ.guess' }), 401, 'token_invalid');
    await stop(parent, t.viewId);
  });

  it('refuses an expired token; the player renews it under the same view', async () => {
    const { body: t } = await token(parent, w.streamA);
    w.setNow(new Date(INSIDE_HOURS.getTime() + 61_000));
    try {
      await expectRefused(await media(playlist(w.streamA), { cookie: parent, token: t.token }), 401, 'token_expired');
      const renewed = await token(parent, w.streamA, t.viewId);
      expect(renewed.status).toBe(200);
      expect(renewed.body.viewId).toBe(t.viewId);
      expect((await media(playlist(w.streamA), { cookie: parent, token: renewed.body.token })).status).toBe(200);
    } finally {
      w.setNow(INSIDE_HOURS);
    }
    await stop(parent, t.viewId);
  });

  it('refuses a token replayed by another account, another session, or no session', async () => {
    const { body: t } = await token(parent, w.streamA);
    const other = await w.t.login('parent1', 'qly-parent-2026');
    await expectRefused(await media(playlist(w.streamA), { cookie: other, token: t.token }), 403, 'not_your_token');
    const secondSession = await w.t.login(PARENT.phone, PARENT.password);
    await expectRefused(await media(playlist(w.streamA), { cookie: secondSession, token: t.token }), 403, 'not_your_token');
    await expectRefused(await media(playlist(w.streamA), { token: t.token }), 401, 'unauthorized');
    // Nor can the other account renew it.
    await expectRefused(await token(other, w.streamA, t.viewId), 403, 'no_access');
    await stop(parent, t.viewId);
  });

  it('gives nothing to path tricks on segment URLs', async () => {
    const { body: t } = await token(parent, w.streamA);
    for (const path of [
      `/media/streams/..%2F${w.streamB}/ll.m3u8`,
      `/media/streams/${w.streamA}%2F..%2F${w.streamB}/ll.m3u8`,
      `/media/streams/${w.streamA}/..%2F..%2F..%2Fapi%2Fusers`,
      `/media/streams/${w.streamA}/part-1.1.m4s%00.m3u8`,
      `/media/streams/${w.streamA}/ll.m3u8/../../${w.streamB}/ll.m3u8`,
    ]) {
      const res = await media(path, { cookie: parent, token: t.token });
      expect([400, 403, 404], path).toContain(res.status);
      const body = await res.json();
      expect(Object.keys(body).sort(), path).toEqual(['error', 'message']);
    }
    await stop(parent, t.viewId);
  });

  it('allows at most N concurrent viewers per parent account', async () => {
    const a = await token(parent, w.streamA);
    const b = await token(parent, w.streamA);
    expect([a.status, b.status]).toEqual([200, 200]);
    await expectRefused(await token(parent, w.streamA), 429, 'too_many_viewers');
    // A renewal of a playing view is not a new viewer.
    expect((await token(parent, w.streamA, a.body.viewId)).status).toBe(200);
    await stop(parent, a.body.viewId);
    const c = await token(parent, w.streamA);
    expect(c.status).toBe(200);
    await stop(parent, b.body.viewId);
    await stop(parent, c.body.viewId);
  });
});

describe('cutting a playing stream', () => {
  it('cuts at closing time: token refused, media refused, live push to the parent', async () => {
    const live = liveSocket(parent);
    await live.ready;
    const { body: t } = await token(parent, w.streamA);
    expect(t.allowedUntil).toBe(CLOSING.toISOString());
    // The player renews its token a little before closing: it is cut to the closing time.
    w.setNow(new Date(CLOSING.getTime() - 5000));
    const renewed = await token(parent, w.streamA, t.viewId);
    expect(renewed.body.expiresAt).toBe(CLOSING.toISOString());
    expect((await media(playlist(w.streamA), { cookie: parent, token: renewed.body.token })).status).toBe(200);
    w.setNow(CLOSING);
    try {
      await w.t.app.parents.sweep();
      await waitFor(() => live.events.some((e) => e.topic === 'stream.revoked' && e.data.viewId === t.viewId), 'stream.revoked push');
      expect(live.events.find((e) => e.data.viewId === t.viewId)!.data.reason).toBe('closed');
      await expectRefused(await media(playlist(w.streamA), { cookie: parent, token: renewed.body.token }), 401, 'token_expired');
      await expectRefused(await token(parent, w.streamA, t.viewId), 403, 'closed');
      await expectRefused(await token(parent, w.streamA), 403, 'closed');
      const me = await w.api<{ classrooms: { open: boolean; streams: unknown[]; nextOpensAt: string }[] }>('GET', '/api/parents/me', parent);
      expect(me.body.classrooms[0]).toMatchObject({ open: false, streams: [], nextOpensAt: '2026-12-02T08:00:00.000Z' });
      const { rows } = await w.t.app.db.query('SELECT end_reason FROM stream_views WHERE id = $1', [t.viewId]);
      expect(rows[0].end_reason).toBe('closed');
    } finally {
      w.setNow(INSIDE_HOURS);
      live.close();
    }
  });

  it('refuses a still-valid token once hours end (a closure added by staff)', async () => {
    const { body: t } = await token(parent, w.streamA);
    const closure = await w.api<{ id: string }>('PUT', `/api/classrooms/${w.classroomA}/exceptions`, w.admin, { day: '2026-12-01', closed: true, note: '教室消毒' });
    expect(closure.status).toBe(200);
    await expectRefused(await media(playlist(w.streamA), { cookie: parent, token: t.token }), 403, 'view_ended');
    expect((await w.t.app.db.query('SELECT end_reason FROM stream_views WHERE id = $1', [t.viewId])).rows[0].end_reason).toBe('closed');
    expect((await w.api('DELETE', `/api/schedule-exceptions/${closure.body.id}`, w.admin)).status).toBe(204);
    expect((await token(parent, w.streamA)).status).toBe(200);
    await w.t.app.db.query(`UPDATE stream_views SET ended_at = started_at, end_reason = 'stopped' WHERE ended_at IS NULL`);
  });

  it('cuts when the session expires', async () => {
    const phone2 = await w.t.login(PARENT.phone, PARENT.password);
    const { body: t } = await token(phone2, w.streamA);
    expect((await media(playlist(w.streamA), { cookie: phone2, token: t.token })).status).toBe(200);
    await w.t.app.db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = (SELECT session_id FROM stream_views WHERE id = $1)`, [t.viewId]);
    await w.t.app.parents.sweep();
    expect((await w.t.app.db.query('SELECT end_reason FROM stream_views WHERE id = $1', [t.viewId])).rows[0].end_reason).toBe('session_ended');
    await expectRefused(await media(playlist(w.streamA), { cookie: phone2, token: t.token }), 401, 'unauthorized');
  });

  it('cuts on revocation: live push, media refused, refresh refused', async () => {
    const live = liveSocket(parent);
    await live.ready;
    const { body: t } = await token(parent, w.streamA);
    expect((await media(playlist(w.streamA), { cookie: parent, token: t.token })).status).toBe(200);
    const cuts: { viewId: string; reason: string }[] = [];
    const unsubscribe = w.t.app.parents.onCut((c) => cuts.push(c));
    expect((await w.api('POST', `/api/parent-grants/${w.grantA}/revoke`, w.admin)).status).toBe(204);
    // Whoever holds the view's media (a WebRTC consumer) hears of it synchronously with the push.
    expect(cuts).toContainEqual(expect.objectContaining({ viewId: t.viewId, reason: 'revoked' }));
    unsubscribe();
    await waitFor(() => live.events.some((e) => e.topic === 'stream.revoked' && e.data.viewId === t.viewId && e.data.reason === 'revoked'), 'revoked push');
    await expectRefused(await media(playlist(w.streamA), { cookie: parent, token: t.token }), 403, 'view_ended');
    await expectRefused(await token(parent, w.streamA, t.viewId), 403, 'revoked');
    const me = await w.api<{ classrooms: unknown[] }>('GET', '/api/parents/me', parent);
    expect(me.body.classrooms).toEqual([]);
    live.close();
  });
});

describe('staff-only API with a parent session', () => {
  it('refuses admin and staff routes with 403, no data, audited', async () => {
    for (const [method, path, body] of [
      ['GET', '/api/users'],
      ['GET', '/api/classrooms'],
      ['GET', `/api/classrooms/${w.classroomA}/detail`],
      ['PUT', `/api/classrooms/${w.classroomA}/schedule`, { slots: [{ weekday: 6, opens: '00:00', closes: '23:59' }] }],
      ['POST', `/api/enrolments/${w.enrolmentA}/invitations`, {}],
      ['GET', '/api/stream-views'],
      ['GET', '/api/stream-views/export.csv'],
      ['GET', '/api/parent-grants'],
      ['GET', '/api/audit'],
    ] as [string, string, unknown?][]) {
      const res = await w.api<Record<string, unknown>>(method, path, parent, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(Object.keys(res.body).sort()).toEqual(['error', 'message']);
    }
    const { rows } = await w.t.app.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'access.denied' AND actor_role = 'parent'`);
    expect(rows[0].n).toBeGreaterThanOrEqual(9);
  });
});

describe('view log', () => {
  it('lists every view with who, stream, from–to and address, and exports CSV', async () => {
    const list = await w.api<{ items: { userName: string; phone: string; streamId: string; startedAt: string; endedAt: string | null; endReason: string | null; ip: string; classroomName: string }[]; total: number }>(
      'GET',
      `/api/stream-views?classroomId=${w.classroomA}&pageSize=200`,
      w.admin,
    );
    expect(list.status).toBe(200);
    expect(list.body.total).toBeGreaterThan(5);
    const revoked = list.body.items.find((v) => v.endReason === 'revoked')!;
    expect(revoked).toMatchObject({ userName: PARENT.name, phone: PARENT.phone, streamId: w.streamA, ip: '127.0.0.1', classroomName: '一班' });
    expect(revoked.endedAt).not.toBeNull();
    // A name that a spreadsheet would run as a formula is neutralised in the export.
    await w.t.app.db.query(`UPDATE users SET display_name = '=HYPERLINK("x")' WHERE phone = $1`, [PARENT.phone]);
    const csv = await fetch(`${w.t.url}/api/stream-views/export.csv?classroomId=${w.classroomA}`, { headers: { cookie: w.admin } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    const lines = text.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('started_at,ended_at,seconds,user,phone,role,classroom,stream_id,ip,end_reason,user_agent');
    expect(lines).toHaveLength(list.body.total + 1);
    expect(text).toContain(`"'=HYPERLINK(""x"")",${PARENT.phone},parent,一班,${w.streamA},127.0.0.1`);
  });

  it('purges views and stream audit entries older than the retention', async () => {
    const db = w.t.app.db;
    await db.query(
      `INSERT INTO stream_views (user_role, stream_id, started_at, last_seen_at, ended_at, end_reason) VALUES ('parent', 'old', $1, $1, $1, 'idle')`,
      [new Date(INSIDE_HOURS.getTime() - 400 * 86_400_000)],
    );
    await db.query(`INSERT INTO audit_log (at, action, outcome) VALUES ($1, 'stream.denied', 'denied')`, [new Date(INSIDE_HOURS.getTime() - 400 * 86_400_000)]);
    const before = (await db.query(`SELECT count(*)::int AS n FROM stream_views`)).rows[0].n;
    const purged = await w.t.app.parents.purge();
    expect(purged).toEqual({ views: 1, audit: 1 });
    expect((await db.query(`SELECT count(*)::int AS n FROM stream_views`)).rows[0].n).toBe(before - 1);
  });
});

describe('a second child', () => {
  it('links another classroom to the same account when redeemed with its password', async () => {
    const enrol = await w.api<{ id: string }>('POST', `/api/classrooms/${w.classroomB}/enrolments`, w.admin, { childName: '小亮', validFrom: '2026-09-01', validTo: '2027-01-31' });
    const inv = await w.api<{ code: string }>('POST', `/api/enrolments/${enrol.body.id}/invitations`, w.admin, {});
    const redeemed = await w.api('POST', '/api/parents/redeem', '', { code: inv.body.code, phone: PARENT.phone, displayName: PARENT.name, password: PARENT.password });
    expect(redeemed.status).toBe(201);
    const cookie = await w.t.login(PARENT.phone, PARENT.password);
    const me = await w.api<{ classrooms: { id: string; children: string[]; streams: { streamId: string }[] }[] }>('GET', '/api/parents/me', cookie);
    // Classroom A was revoked above; B is theirs now, and only B.
    expect(me.body.classrooms).toEqual([expect.objectContaining({ id: w.classroomB, children: ['小亮'], streams: [{ streamId: w.streamB, name: expect.any(String) }] })]);
    expect((await token(cookie, w.streamB)).status).toBe(200);
    await expectRefused(await token(cookie, w.streamA), 403, 'revoked');
  });
});
