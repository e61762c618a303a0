// A real control plane on a fresh database and Redis prefix, listening on a random port.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { buildApp } from '../../server/src/app';
import { loadConfig, type AppConfig } from '../../server/src/config';
import { seedDemo, type DemoSeed } from '../../server/src/db/seed-demo';
import { createTestDatabase, testRedisPrefix, type TestDatabase } from './db';

export interface TestApp {
  app: FastifyInstance;
  url: string;
  db: TestDatabase;
  seed: DemoSeed;
  close(): Promise<void>;
  /** Logs in and returns the session cookie header value. */
  login(username: string, password: string): Promise<string>;
}

export async function startTestApp(opts: { label?: string; config?: Partial<AppConfig>; plugins?: FastifyPluginAsync[]; seed?: boolean } = {}): Promise<TestApp> {
  const db = await createTestDatabase(opts.label ?? 'app');
  const config = loadConfig(
    { ...process.env, NODE_ENV: 'test', DATABASE_URL: db.url, QLY_LOG_LEVEL: process.env.QLY_LOG_LEVEL ?? 'silent' },
    { port: 0, redisPrefix: testRedisPrefix(opts.label ?? 'app'), webrtc: false, cameraPollMs: 0, stalls: false, gateCameras: false, rtmpPort: 0, ...opts.config },
  );
  const app = await buildApp(config, { plugins: opts.plugins });
  const seed = opts.seed === false ? ({} as DemoSeed) : await seedDemo(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    url,
    db,
    seed,
    async close() {
      await app.close();
      await db.drop();
    },
    async login(username, password) {
      const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('qly_sid='));
      return cookie!.split(';')[0];
    },
  };
}
