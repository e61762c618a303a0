#!/usr/bin/env node
// Builds web/dist when the web sources changed since the last build (a hash stamp in dist), so
// `npm run demo`, `npm test` and browser tests share one build and repeat runs cost ~0.1 s.
// Concurrent callers (parallel test files) serialise on a lock directory. The new build is written
// beside dist and moved in file by file, entry last: hashed assets of earlier builds stay for an
// hour, so a page opened before the rebuild can still lazy-load its chunks.
// `--copy-to DIR` also copies the finished build to DIR under the lock: a test server serving its
// own copy is not disturbed by rebuilds other processes make while it runs.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'web');
const dist = path.join(web, 'dist');
const stampName = '.source-hash';
const BUILD_RECIPE = 'vite build, NODE_ENV=production';
const lock = path.join(web, '.build.lock');
const LOCK_STALE_MS = 5 * 60_000;
const LOCK_WAIT_MS = 6 * 60_000;
const OLD_ASSETS_MS = 60 * 60_000;

function sourceHash() {
  // The recipe is part of the stamp, so a change to how we build rebuilds too.
  const h = createHash('sha256').update(`${BUILD_RECIPE}\0`);
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith('.') || e.name === 'dist' || e.name === 'node_modules' || e.name.startsWith('dist-')) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (!/\.test\.ts$|\.md$/.test(e.name)) h.update(path.relative(web, p)).update('\0').update(readFileSync(p)).update('\0');
    }
  };
  walk(web);
  return h.digest('hex');
}

const upToDate = (hash) => existsSync(path.join(dist, stampName)) && readFileSync(path.join(dist, stampName), 'utf8') === hash;

function acquire() {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      try {
        if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      } catch {
        // Released between the two calls: try again.
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`, { cause: err });
      spawnSync('sleep', ['0.5']);
    }
  }
}

function install(out) {
  const assets = path.join(dist, 'assets');
  mkdirSync(assets, { recursive: true });
  const now = Date.now();
  for (const f of readdirSync(assets)) {
    const p = path.join(assets, f);
    if (now - statSync(p).mtimeMs > OLD_ASSETS_MS) rmSync(p, { force: true });
  }
  for (const f of readdirSync(path.join(out, 'assets'))) renameSync(path.join(out, 'assets', f), path.join(assets, f));
  // Static folders (web/public/icons …) are replaced whole (a rename cannot land on a non-empty
  // folder); index.html goes last so it never names files that are not there yet.
  const rest = readdirSync(out).filter((f) => f !== 'assets' && f !== 'index.html');
  for (const f of [...rest, 'index.html']) {
    const dest = path.join(dist, f);
    if (statSync(path.join(out, f)).isDirectory()) rmSync(dest, { recursive: true, force: true });
    renameSync(path.join(out, f), dest);
  }
  rmSync(out, { recursive: true, force: true });
}

const copyArg = process.argv.indexOf('--copy-to');
const copyTo = copyArg > 0 ? process.argv[copyArg + 1] : null;
if (copyArg > 0 && !copyTo) throw new Error('--copy-to needs a directory');

const hash = sourceHash();
if (upToDate(hash) && !copyTo) process.exit(0);
acquire();
try {
  if (!upToDate(hash)) {
    const out = path.join(web, `dist-${process.pid}`);
    console.log('[build-web] building web/dist');
    // Always a production build: test runners export NODE_ENV=test, which would make Vite ship
    // Vue's development build with import.meta.env.PROD false (no service worker, slower pages).
    const env = { ...process.env, NODE_ENV: 'production' };
    const r = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit', env });
    if (r.status !== 0) {
      rmSync(out, { recursive: true, force: true });
      throw new Error(`vite build failed (exit ${r.status})`);
    }
    install(out);
    writeFileSync(path.join(dist, `${stampName}.tmp`), hash);
    renameSync(path.join(dist, `${stampName}.tmp`), path.join(dist, stampName));
  }
  if (copyTo) cpSync(dist, copyTo, { recursive: true });
} finally {
  rmSync(lock, { recursive: true, force: true });
}
