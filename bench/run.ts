// npm run bench [-- NAME…]: every `bench:*` script in package.json, one after another (they would
// skew each other's CPU figures if run together).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const pkg = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const only = process.argv.slice(2);
const benches = Object.keys(pkg.scripts)
  .filter((name) => name.startsWith('bench:'))
  .filter((name) => only.length === 0 || only.some((o) => name.includes(o)));
let failed = 0;
for (const name of benches) {
  console.log(`\n=== npm run ${name} ===`);
  const r = spawnSync('npm', ['run', '--silent', name], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
