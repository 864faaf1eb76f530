import { defineConfig } from 'vitest/config';

/** Browser tests of the phone simulator: real hotline in-process, Debian's chromium driven by playwright-core. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // One browser and one hotline per file; files run one after another so they do not compete for the CPU.
    fileParallelism: false,
    // The hotline's JSON logs only for tests that fail.
    silent: 'passed-only',
  },
});
