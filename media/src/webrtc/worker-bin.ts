// mediasoup's prebuilt worker downloads from outside, so scripts/build-mediasoup-worker.sh builds
// one against Debian libraries into a cache keyed by mediasoup version and by the build script.
// mediasoup reads MEDIASOUP_WORKER_BIN once, when its module loads: load it only through here.
import { createHash } from 'node:crypto';
import { accessSync, constants, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BUILD_SCRIPT = fileURLToPath(new URL('../../../scripts/build-mediasoup-worker.sh', import.meta.url));

export class WorkerBinaryMissingError extends Error {
  override readonly name = 'WorkerBinaryMissingError';
}

function mediasoupVersion(): string {
  const entry = createRequire(import.meta.url).resolve('mediasoup');
  const pkg = JSON.parse(readFileSync(path.join(path.dirname(entry), '..', '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Where the build script puts the worker for the installed mediasoup (mirrors the script's own key). */
export function cachedWorkerBinPath(): string {
  const hash = createHash('sha256').update(readFileSync(BUILD_SCRIPT)).digest('hex').slice(0, 12);
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'qianliyan', `mediasoup-worker-${mediasoupVersion()}-${hash}`, 'mediasoup-worker');
}

/**
 * The worker binary to run: MEDIASOUP_WORKER_BIN when the operator set it, else the cached build.
 * Throws WorkerBinaryMissingError (with the command that fixes it) when it is not executable.
 */
export function mediasoupWorkerBin(): string {
  const bin = process.env.MEDIASOUP_WORKER_BIN || cachedWorkerBinPath();
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    throw new WorkerBinaryMissingError(
      `mediasoup worker binary not found or not executable at ${bin}; build it with ` +
        '`npm run bootstrap` (runs scripts/build-mediasoup-worker.sh, ~7 min the first time)',
    );
  }
  return bin;
}

let loaded: Promise<typeof import('mediasoup')> | undefined;

/** Imports mediasoup with MEDIASOUP_WORKER_BIN pointing at a worker that exists. */
export async function loadMediasoup(): Promise<typeof import('mediasoup')> {
  if (!loaded) {
    process.env.MEDIASOUP_WORKER_BIN = mediasoupWorkerBin();
    loaded = import('mediasoup');
  }
  return loaded;
}
