import { defineConfig } from 'vitest/config';

/** The test that keeps hundreds of sessions in flight at once: it runs alone, after the others (see `projects`). */
const ALONE = ['test/load.test.ts'];

/**
 * Files that need a module graph of their own: they import a Lambda entry (whose container-wide singletons and
 * environment are read once, at import), change modules or the environment, or intercept HTTP with nock. Every other
 * file shares its worker's modules with the files before it (`isolate: false`): re-importing the AWS SDK, hono and
 * the rest for each of ~90 files was a third of the suite's CPU.
 */
export const ISOLATED = [
  'test/channels-lambda.test.ts', 'test/escalation-scheduler.test.ts', 'test/infra.test.ts', 'test/intake-replay-lambda.test.ts',
  'test/log.test.ts', 'test/outbox-lambda.test.ts', 'test/ussd-lambda.test.ts', 'test/call-bridge.test.ts', 'test/console.test.ts',
  'test/faults.test.ts', 'test/kannel.test.ts', 'test/outbox.test.ts', 'test/studio-line.test.ts', 'test/fuzz.test.ts',
  'test/crash-recovery.test.ts', 'test/registry-snapshot.test.ts', 'test/ussd-http.test.ts', 'test/store-down-intake.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Three files for every two cores. vitest's default leaves one core to its main process, which on a 2-core
    // machine means one file at a time; and with a file per core, a core still idles while its file waits (dynalite,
    // HTTP, the escalation's real one-second timers). Measured on the 2-core machine, idle, three runs each in
    // turn: 70.7, 76.1, 76.4 s with 3 workers against 75.7, 78.7, 88.0 s with 2.
    maxWorkers: '150%',
    // The load test's embedded dynalite shares its process with 200 sessions; beside another busy file on a loaded
    // machine its requests outlast the local store's connection limit. So it runs in a group of its own, afterwards.
    projects: [
      { extends: true, test: { name: 'parallel', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**', 'node_modules/**', ...ALONE, ...ISOLATED], isolate: false } },
      { extends: true, test: { name: 'isolated', include: ISOLATED } },
      { extends: true, test: { name: 'alone', include: ALONE, sequence: { groupOrder: 1 } } },
    ],
    // The handlers' structured logs only for failing tests: passing ones printed hundreds of lines.
    silent: 'passed-only',
    // Load-style tests run at a small size here; `npm run test:slow` runs them at full size (test/support/scale.ts).
    provide: { scale: 'quick' },
  },
});
