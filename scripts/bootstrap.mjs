#!/usr/bin/env node
// Idempotent set-up shared by `npm run demo` and `npm test`: quiet when everything is in place.
// Plain Node (no TypeScript) because it must run before node_modules exists.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const isRoot = process.getuid?.() === 0;
const log = (msg) => console.log(`[bootstrap] ${msg}`);
const fail = (msg) => {
  console.error(`[bootstrap] ${msg}`);
  process.exit(1);
};

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} failed (exit ${r.status})`);
}

function debianPackages() {
  const file = path.join(root, 'scripts', 'debian-packages.txt');
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
}

function missingDebian(pkgs) {
  return pkgs.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return !(r.status === 0 && r.stdout.includes('install ok installed'));
  });
}

let aptUpdated = false;
function aptInstall(pkgs) {
  if (pkgs.length === 0) return;
  if (!isRoot) fail(`missing Debian packages: ${pkgs.join(' ')} — run as root or: sudo apt-get install -y ${pkgs.join(' ')}`);
  log(`installing Debian packages: ${pkgs.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    run('apt-get', ['update', '-qq'], { env });
    aptUpdated = true;
  }
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { env });
}

function ensureNodeModules() {
  const lock = path.join(root, 'package-lock.json');
  const stampFile = path.join(root, 'node_modules', '.qly-lock-hash');
  const hash = createHash('sha256').update(readFileSync(lock)).digest('hex');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash) return;
  log('installing npm packages (npm ci)');
  // mediasoup's postinstall would download or pip-install a worker toolchain (impossible offline);
  // scripts/bootstrap.d/30-mediasoup-worker.sh builds the worker from Debian libraries instead.
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { env: { ...process.env, MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN ?? '/skip' } });
  writeFileSync(stampFile, hash);
}

function portOpen(port, host = '127.0.0.1', timeoutMs = 800) {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    const done = (ok) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

const services = [
  {
    name: 'PostgreSQL',
    port: 5432,
    pkgs: ['postgresql'],
    start: () => {
      const versions = readdirSync('/etc/postgresql');
      for (const v of versions) spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', v, 'main', 'start'], { stdio: 'inherit' });
    },
  },
  {
    name: 'Redis',
    port: 6379,
    pkgs: ['redis-server'],
    start: () =>
      spawnSync('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', '6379', '--save', '', '--appendonly', 'no'], {
        stdio: 'inherit',
      }),
  },
  {
    name: 'Mosquitto',
    port: 1883,
    pkgs: ['mosquitto', 'mosquitto-clients'],
    start: () => spawnSync('mosquitto', ['-d', '-c', '/etc/mosquitto/mosquitto.conf'], { stdio: 'inherit' }),
  },
];

async function waitPort(port, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await portOpen(port)) return true;
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

async function ensureServices() {
  for (const svc of services) {
    if (await portOpen(svc.port)) continue;
    aptInstall(missingDebian(svc.pkgs));
    log(`starting ${svc.name}`);
    svc.start();
    if (!(await waitPort(svc.port, 15_000))) fail(`${svc.name} is not reachable on 127.0.0.1:${svc.port}`);
  }
  // Trust auth on 127.0.0.1 is what the tests expect (see README); a fresh Debian install uses md5/scram.
  const r = spawnSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-Atc', 'select 1'], { encoding: 'utf8' });
  if (r.status !== 0) fail(`cannot connect to PostgreSQL as postgres on 127.0.0.1: ${r.stderr.trim()}`);
}

function runSteps() {
  // Extra idempotent steps other parts need (worker builds, routes): scripts/bootstrap.d/NN-name.sh
  const dir = path.join(root, 'scripts', 'bootstrap.d');
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.sh')).sort()) {
    run('bash', [path.join(dir, f)]);
  }
}

aptInstall(missingDebian(debianPackages()));
ensureNodeModules();
await ensureServices();
runSteps();
