// Demo data: the accounts the README lists (estate1 is bound to 幸福里), three sites of the seed
// documents, patrol teams, and a gate with a known device key. Idempotent, so `npm run demo`
// can run it every start.
import type { FastifyInstance } from 'fastify';
import { hashPassword } from '../lib/passwords';
import type { UserRole } from '../lib/roles';
import { sha256 } from '../lib/tokens';

export const DEMO_GATE_KEY = 'qlyk_demogate_9f3c1d2e7a6b5c4d3e2f1a0b';

export const DEMO_ACCOUNTS: { username: string; password: string; role: UserRole; displayName: string; team?: string; site?: 'estate'; phone?: string }[] = [
  { username: 'admin', password: 'qly-admin-2026', role: 'admin', displayName: '系统管理员' },
  { username: 'operator', password: 'qly-operator-2026', role: 'operator', displayName: '值班员 王敏' },
  { username: 'patrol1', password: 'qly-patrol-2026', role: 'patrol', displayName: '城管队员 李强', team: '城管机动一队', phone: '13800000001' },
  { username: 'patrol2', password: 'qly-patrol-2026', role: 'patrol', displayName: '巡逻队员 张伟', team: '社区巡逻队', phone: '13800000002' },
  { username: 'parent1', password: 'qly-parent-2026', role: 'parent', displayName: '家长 陈静', phone: '13900000001' },
  // Estate staff of 幸福里: reviews that estate's gate cases on a phone, and nothing else.
  { username: 'estate1', password: 'qly-estate-2026', role: 'estate', displayName: '物业管理员 刘芳', site: 'estate' },
];

export interface DemoSeed {
  sites: Record<'street' | 'estate' | 'school', string>;
  teams: Record<string, string>;
  users: Record<string, { id: string; username: string; password: string; role: UserRole }>;
  gateId: string;
  gateKey: string;
}

async function upsertId(app: FastifyInstance, select: string, selectParams: unknown[], insert: string, insertParams: unknown[]): Promise<string> {
  const found = await app.db.query<{ id: string }>(select, selectParams);
  if (found.rows[0]) return found.rows[0].id;
  const { rows } = await app.db.query<{ id: string }>(insert, insertParams);
  return rows[0].id;
}

export async function seedDemo(app: FastifyInstance): Promise<DemoSeed> {
  const site = (name: string, kind: string, address: string, x: number, y: number) =>
    upsertId(app, 'SELECT id FROM sites WHERE name = $1', [name], 'INSERT INTO sites (name, kind, address, x, y) VALUES ($1, $2, $3, $4, $5) RETURNING id', [name, kind, address, x, y]);
  const sites = {
    street: await site('北京街道 地铁口', 'street', '北京街 地铁A口', 100, 120),
    estate: await site('幸福里保障房小区', 'estate', '幸福路 88 号', 420, 300),
    school: await site('军门社区 四点钟学校', 'school', '军门社区活动中心 2 楼', 260, 520),
  };
  const team = (name: string, kind: string, siteId: string, x: number, y: number) =>
    upsertId(app, 'SELECT id FROM teams WHERE name = $1', [name], 'INSERT INTO teams (name, kind, site_id, x, y) VALUES ($1, $2, $3, $4, $5) RETURNING id', [name, kind, siteId, x, y]);
  const teams: Record<string, string> = {
    城管机动一队: await team('城管机动一队', 'city_management', sites.street, 140, 160),
    社区巡逻队: await team('社区巡逻队', 'community_patrol', sites.school, 300, 480),
    小区保安队: await team('小区保安队', 'estate_security', sites.estate, 400, 320),
  };
  const users: DemoSeed['users'] = {};
  for (const a of DEMO_ACCOUNTS) {
    const id = await upsertId(
      app,
      'SELECT id FROM users WHERE lower(username) = lower($1)',
      [a.username],
      'INSERT INTO users (username, display_name, password_hash, role, team_id, site_id, phone) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id',
      [a.username, a.displayName, await hashPassword(a.password), a.role, a.team ? teams[a.team] : null, a.site ? sites[a.site] : null, a.phone ?? null],
    );
    users[a.username] = { id, username: a.username, password: a.password, role: a.role };
  }
  const gateId = await upsertId(app, 'SELECT id FROM gates WHERE name = $1', ['幸福里 东门入口'], 'INSERT INTO gates (site_id, name) VALUES ($1, $2) RETURNING id', [sites.estate, '幸福里 东门入口']);
  await app.db.query(
    `INSERT INTO devices (kind, name, gate_id, site_id, key_prefix, key_hash) VALUES ('gate', '东门道闸控制器', $1, $2, 'demogate', $3)
     ON CONFLICT (key_hash) DO NOTHING`,
    [gateId, sites.estate, sha256(DEMO_GATE_KEY)],
  );
  await app.db.query('INSERT INTO estate_rules (site_id) VALUES ($1) ON CONFLICT DO NOTHING', [sites.estate]);
  return { sites, teams, users, gateId, gateKey: DEMO_GATE_KEY };
}
