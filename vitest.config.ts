import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // The handlers' structured logs only for failing tests: passing ones printed hundreds of lines.
    silent: 'passed-only',
    // Load-style tests run at a small size here; `npm run test:slow` runs them at full size (test/support/scale.ts).
    provide: { scale: 'quick' },
  },
});
