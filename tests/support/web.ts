// Browser tests need web/dist: build it once (only when web/ sources changed) before starting.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export function ensureWebBuilt(): void {
  execFileSync(process.execPath, [path.resolve('scripts', 'build-web.mjs')], { stdio: 'inherit', timeout: 8 * 60_000 });
}
