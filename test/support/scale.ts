import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `quick` in `npm test`, `full` in `npm run test:slow` (vitest.slow.config.ts): the size of load-style tests. */
    scale: 'quick' | 'full';
  }
}

/** The size of a load-style test: small enough for the inner loop, the full size in `npm run test:slow`. */
export function sized(quick: number, full: number): number {
  return fullSize() ? full : quick;
}

/** Whether this run is `npm run test:slow`. */
export function fullSize(): boolean {
  return inject('scale') === 'full';
}
