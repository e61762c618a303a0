// `npm run demo`: simulated cameras, the control plane with the built web app, demo accounts.
// Bootstrap (npm ci, Debian packages, services, mediasoup worker) has already run.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { startCameraSim, type CameraSpec, type SimCamera } from '../camera-sim/src';
import { buildApp } from '../server/src/app';
import { ConfigError, loadConfig } from '../server/src/config';
import { DEMO_ACCOUNTS, seedDemo, type DemoSeed } from '../server/src/db/seed-demo';
import { seedIncidentDemo } from '../server/src/incidents/seed-demo';
import { seal } from '../server/src/lib/secret-box';
import type { FastifyInstance } from 'fastify';

const root = path.resolve(import.meta.dirname, '..');
const log = (msg: string) => console.log(`[demo] ${msg}`);

// The same stamped build as bootstrap and the tests (a no-op when web/ has not changed).
function buildWebIfStale(): void {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-web.mjs')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('web build failed');
}

async function ensureDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres') });
  await admin.connect();
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (!rowCount) {
    log(`creating database ${name}`);
    await admin.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  }
  await admin.end();
}

// The cameras of the seed documents: a metro exit with stalls, an estate gate, the 4 o'clock school.
const CAMERAS: (CameraSpec & { site: keyof DemoSeed['sites']; area: string; x: number; y: number })[] = [
  { name: '地铁A口 东侧', location: '北京街 地铁A口', scene: 'street', variant: 'day', site: 'street', area: '地铁口', x: 110, y: 130, ptz: true },
  { name: '地铁A口 广场', location: '北京街 地铁A口广场', scene: 'street', variant: 'crowd', site: 'street', area: '地铁口', x: 95, y: 110 },
  { name: '北京街 夜市路段', location: '北京街 88 号', scene: 'street', variant: 'dusk', site: 'street', area: '北京街', x: 180, y: 150 },
  { name: '幸福里 东门道闸', location: '幸福里保障房小区 东门', scene: 'gate', site: 'estate', area: '东门', x: 430, y: 305 },
  { name: '四点钟学校 一班', location: '军门社区活动中心 2 楼', scene: 'classroom', site: 'school', area: '教室', x: 262, y: 522 },
  { name: '指挥中心 时钟', location: '街道视频监控中心', scene: 'clock', site: 'street', area: '监控中心', x: 60, y: 60 },
];

async function registerCameras(app: FastifyInstance, seed: DemoSeed, cams: SimCamera[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const [i, cam] of cams.entries()) {
    const spec = CAMERAS[i];
    const values = [spec.name, seed.sites[spec.site], cam.location, spec.area, spec.x, spec.y, cam.onvifUrl, cam.rtspMainUrl, cam.rtspSubUrl, cam.username, seal(app.config.secretKey, cam.password), cam.ptz];
    await app.db.query(
      `INSERT INTO cameras (name, site_id, location, area, x, y, onvif_url, rtsp_main, rtsp_sub, username, password_enc, ptz, kind)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'onvif' WHERE NOT EXISTS (SELECT 1 FROM cameras WHERE name = $1)`,
      values,
    );
    // Simulator ports change between runs; keep the registry pointing at this run's cameras.
    const upd = await app.db.query(
      `UPDATE cameras SET site_id = $2, location = $3, area = $4, x = $5, y = $6, onvif_url = $7, rtsp_main = $8, rtsp_sub = $9, username = $10, password_enc = $11, ptz = $12 WHERE name = $1 RETURNING id`,
      values,
    );
    ids.set(spec.name, upd.rows[0].id);
    // Street cameras watch the zones where the scene's stalls set up (the metro exit's pavement);
    // not a PTZ dome, whose picture is a zoomed part of the scene where those zones don't apply.
    const zones = cam.ptz ? [] : (cam.truth as { zones?: { id: string; polygon: [number, number][] }[] } | null)?.zones ?? [];
    for (const z of zones) {
      await app.db.query(
        `INSERT INTO zones (camera_id, name, polygon, dwell_seconds, grace_seconds)
         SELECT $1, $2, $3, 20, 10 WHERE NOT EXISTS (SELECT 1 FROM zones WHERE camera_id = $1 AND name = $2)`,
        [upd.rows[0].id, `禁止摆摊区 ${z.id}`, JSON.stringify(z.polygon)],
      );
    }
  }
  return ids;
}

/**
 * The simulator's ports change between runs, and the app starts pulling the registry's streams as
 * soon as it is ready (gate and stall pipelines) — before registerCameras runs. So the previous
 * run's cameras are pointed at this run's simulator first; otherwise those pipelines pull the old
 * ports ("Connection refused") until restarted. Nothing to do on the first run.
 */
async function repointCameras(url: string, secretKey: Buffer, cams: SimCamera[]): Promise<void> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    if (!(await db.query(`SELECT to_regclass('cameras') AS t`)).rows[0].t) return;
    for (const [i, cam] of cams.entries()) {
      await db.query('UPDATE cameras SET onvif_url = $2, rtsp_main = $3, rtsp_sub = $4, username = $5, password_enc = $6 WHERE name = $1', [
        CAMERAS[i].name,
        cam.onvifUrl,
        cam.rtspMainUrl,
        cam.rtspSubUrl,
        cam.username,
        seal(secretKey, cam.password),
      ]);
    }
  } finally {
    await db.end();
  }
}

/** The demo classroom: camera, weekday hours, today open all day so the parent sees it now. */
async function seedClassroom(app: FastifyInstance, seed: DemoSeed, cameraId: string): Promise<void> {
  const db = app.db;
  let classroomId = (await db.query(`SELECT id FROM classrooms WHERE name = '四点钟学校 一班'`)).rows[0]?.id as string | undefined;
  if (!classroomId) {
    classroomId = (await db.query(`INSERT INTO classrooms (site_id, name) VALUES ($1, '四点钟学校 一班') RETURNING id`, [seed.sites.school])).rows[0].id as string;
    for (const weekday of [1, 2, 3, 4, 5]) await db.query(`INSERT INTO classroom_schedules (classroom_id, weekday, opens, closes) VALUES ($1, $2, '16:00', '18:30')`, [classroomId, weekday]);
    const enrolment = (await db.query(`INSERT INTO enrolments (classroom_id, child_name, valid_from, valid_to) VALUES ($1, '陈小雨', current_date - 30, current_date + 300) RETURNING id`, [classroomId])).rows[0].id;
    await db.query(`INSERT INTO parent_grants (parent_user_id, enrolment_id, valid_from, valid_to) VALUES ($1, $2, current_date - 30, current_date + 300)`, [seed.users.parent1.id, enrolment]);
  }
  await db.query(`INSERT INTO classroom_cameras (classroom_id, camera_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [classroomId, cameraId]);
  await db.query(
    `INSERT INTO schedule_exceptions (classroom_id, day, closed, opens, closes, note)
     VALUES ($1, (now() AT TIME ZONE 'Asia/Shanghai')::date, false, '00:00', '23:59:59', '演示：今日全天开放')
     ON CONFLICT (classroom_id, day) DO NOTHING`,
    [classroomId],
  );
}

/**
 * The estate gate: its camera is the simulator's `gate` scene, so continuous mode decides the
 * scene's vehicles as they stop at the barrier. Their plates (the scene's truth) are registered so
 * every rule shows: residents (allow), a visitor pass (allow), an affordable-housing household
 * with a luxury car (review), a watch-list plate (deny + alert); the rest are unknown (review).
 */
async function seedGate(app: FastifyInstance, seed: DemoSeed, cameraId: string, truth: unknown): Promise<void> {
  const db = app.db;
  const estate = seed.sites.estate;
  await db.query('UPDATE gates SET camera_id = $2 WHERE id = $1', [seed.gateId, cameraId]);
  const plates = ((truth as { vehicles?: { plate: string; type: string }[] } | null)?.vehicles ?? []).filter((v, i, all) => all.findIndex((w) => w.plate === v.plate) === i);
  const household = async (unit: string, head: string, affordable: boolean): Promise<string> => {
    const found = await db.query('SELECT id FROM households WHERE site_id = $1 AND unit = $2', [estate, unit]);
    if (found.rows[0]) return found.rows[0].id;
    return (await db.query('INSERT INTO households (site_id, unit, head_name, affordable) VALUES ($1, $2, $3, $4) RETURNING id', [estate, unit, head, affordable])).rows[0].id;
  };
  const vehicle = (householdId: string, v: { plate: string; type: string }, brand: string, cls: string, value: number) =>
    db.query(
      `INSERT INTO vehicles (household_id, plate, plate_type, brand, vehicle_class, declared_value) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [householdId, v.plate, v.type, brand, cls, value],
    );
  const [a, b, visitor, luxury, watched] = plates;
  const h1 = await household('3-2-501', '王芳', true);
  const h2 = await household('5-1-302', '李强', true);
  const h3 = await household('8-3-1101', '陈明', false);
  if (a) await vehicle(h1, a, '比亚迪', 'ordinary', 120000);
  if (b) await vehicle(h3, b, '大众', 'ordinary', 160000);
  if (luxury) await vehicle(h2, luxury, '保时捷', 'luxury', 1200000);
  if (visitor) {
    await db.query(
      `INSERT INTO visitor_passes (site_id, household_id, plate, valid_from, valid_to, multi_entry)
       SELECT $1, $2, $3, now() - interval '1 hour', now() + interval '30 days', true WHERE NOT EXISTS (SELECT 1 FROM visitor_passes WHERE plate = $3)`,
      [estate, h3, visitor.plate],
    );
  }
  if (watched) await db.query(`INSERT INTO watchlist (plate, reason, severity) SELECT $1, '盗抢车辆 (演示)', 'high' WHERE NOT EXISTS (SELECT 1 FROM watchlist WHERE plate = $1)`, [watched.plate]);
  await app.syncGates();
}

async function main(): Promise<void> {
  buildWebIfStale();
  const config = loadConfig({ ...process.env, QLY_LOG_LEVEL: process.env.QLY_LOG_LEVEL ?? 'warn' });
  await ensureDatabase(config.databaseUrl);
  log('starting simulated cameras (the first run renders scene loops into ~/.cache/qianliyan/scenes, minutes)…');
  const sim = await startCameraSim({ cameras: CAMERAS.map(({ name, location, scene, variant, ptz }) => ({ name, location, scene, variant, ptz })) });
  await repointCameras(config.databaseUrl, config.secretKey, sim.cameras);
  const app = await buildApp(config);
  const seed = await seedDemo(app);
  const ids = await registerCameras(app, seed, sim.cameras);
  await seedClassroom(app, seed, ids.get('四点钟学校 一班')!);
  await seedGate(app, seed, ids.get('幸福里 东门道闸')!, sim.cameras[CAMERAS.findIndex((c) => c.scene === 'gate')].truth);
  const sos = await seedIncidentDemo(app, seed.sites.estate);
  await app.syncStalls();
  await app.listen({ host: config.host, port: config.port });
  const url = `http://${config.host}:${config.port}/`;
  console.log(`\n千里眼 Qianliyan demo is running\n\n  Web app:     ${url}\n  API docs:    ${url}api/docs\n  Health:      ${url}api/health\n  Camera faults API: ${sim.controlUrl}\n`);
  console.log('  Accounts (username / password):');
  for (const a of DEMO_ACCOUNTS) console.log(`    ${a.role.padEnd(9)} ${a.username.padEnd(10)} ${a.password}${a.phone ? `   (phone ${a.phone})` : ''}${a.site ? '   (幸福里 estate staff: lands on /gates/review)' : ''}`);
  console.log(`    gate key  X-Device-Key: ${seed.gateKey}   (POST ${url}api/gates/${seed.gateId}/check)`);
  console.log(`  Gate desk:   ${url}gates   (review queue on a phone: ${url}gates/review; barrier topic qly/gates/${seed.gateId}/decision)`);
  console.log(`\n  SOS alarm (a resident's one-key button):\n    ${sos.mosquittoPub}\n  Cameras:    ${sim.cameras.length} simulated, ONVIF discovery on 239.255.255.250:3702\n\nCtrl-C stops everything.`);
  const stop = async () => {
    log('stopping…');
    await app.close();
    await sim.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err) => {
  if (err instanceof ConfigError) console.error(`Configuration error: ${err.message}`);
  else console.error(err);
  process.exit(1);
});
