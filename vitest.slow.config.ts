import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/** The load-style tests at full size (`npm run test:slow`, run by CI): the files that size themselves with `sized`. */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    projects: undefined,
    // One file at a time: at full size each keeps the machine busy on its own.
    maxWorkers: 1,
    include: ['test/load.test.ts', 'test/fuzz.test.ts', 'test/faults.test.ts'],
    provide: { scale: 'full' },
  },
});
