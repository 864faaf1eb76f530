import nock from 'nock';
import { expect } from 'vitest';

/**
 * Lets a test file reach only `host` (dynalite); every other request must match an interceptor the test set up.
 * `verify` (after each test): every interceptor was used and nothing else was called. `release` (after all).
 */
export function onlyNetworkTo(host: string) {
  const unexpected: string[] = [];
  // nock 15 reports each request that no interceptor matched as a fetch Request.
  const onNoMatch = (request: Request) => {
    const url = new URL(request.url);
    if (url.host !== host) unexpected.push(`${request.method} ${url.host}${url.pathname}`);
  };
  nock.disableNetConnect();
  nock.enableNetConnect((to: string) => to === host);
  nock.emitter.on('no match', onNoMatch);
  return {
    verify() {
      const pending = nock.pendingMocks();
      const stray = unexpected.splice(0);
      nock.cleanAll();
      expect(pending).toEqual([]);
      expect(stray).toEqual([]);
    },
    release() {
      nock.emitter.removeListener('no match', onNoMatch);
      nock.enableNetConnect();
    },
  };
}
