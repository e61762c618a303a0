import { defineConfig } from 'vitest/config';

// One config for unit tests (next to their code) and cross-folder tests in tests/.
// Two cores here: integration and browser tests share the machine with ffmpeg and Chromium,
// so files run at most two at a time.
export default defineConfig({
  test: {
    include: ['{server,media,analytics,camera-sim,web,tests,scripts}/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    globalSetup: ['tests/support/global-setup.ts'],
  },
});
