// Browser tests need the built web app. Each test server gets its own copy of web/dist: other
// processes rebuild web/dist while tests run (the sources change under parallel work), and a
// server must keep serving the build its pages were loaded from.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface WebDist {
  dir: string;
  remove(): void;
}

/** Builds web/dist if its sources changed, and returns a private copy of it. */
export function webDistCopy(): WebDist {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qly-web-'));
  execFileSync(process.execPath, [path.resolve('scripts', 'build-web.mjs'), '--copy-to', dir], { stdio: 'inherit', timeout: 8 * 60_000 });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Builds web/dist if its sources changed. Prefer webDistCopy(): a server serving web/dist itself
 *  breaks when another process rebuilds it mid-test (@fastify/static maps files at start-up). */
export function ensureWebBuilt(): void {
  execFileSync(process.execPath, [path.resolve('scripts', 'build-web.mjs')], { stdio: 'inherit', timeout: 8 * 60_000 });
}
