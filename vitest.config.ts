import { defineConfig } from 'vitest/config';

/** The test that keeps hundreds of sessions in flight at once: it runs alone, after the others (see `projects`). */
const ALONE = ['test/load.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // A test file on every core. vitest's default leaves one core to its main process, which on a 2-core machine
    // means one file at a time while the other core idles through the files' waits (dynalite, HTTP, timers).
    maxWorkers: '100%',
    // The load test's embedded dynalite shares its process with 200 sessions; beside another busy file on a loaded
    // machine its requests outlast the local store's connection limit. So it runs in a group of its own, afterwards.
    projects: [
      { extends: true, test: { name: 'parallel', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**', 'node_modules/**', ...ALONE] } },
      { extends: true, test: { name: 'alone', include: ALONE, sequence: { groupOrder: 1 } } },
    ],
    // The handlers' structured logs only for failing tests: passing ones printed hundreds of lines.
    silent: 'passed-only',
    // Load-style tests run at a small size here; `npm run test:slow` runs them at full size (test/support/scale.ts).
    provide: { scale: 'quick' },
  },
});
