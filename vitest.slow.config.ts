import { defineConfig } from 'vitest/config';
import base from './vitest.config';

/** The load-style tests at full size (`npm run test:slow`, run by CI): the files that size themselves with `sized`. */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/load.test.ts', 'test/fuzz.test.ts', 'test/faults.test.ts'],
    provide: { scale: 'full' },
  },
});
