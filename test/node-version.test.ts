import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** What is tested is what runs on Lambda: the npm scripts run the Node that `npm ci` installs (the `node` package). */
describe('the Node the tests run on', () => {
  it('is the major version of the Lambda runtime (nodejs22.x) and of the installed node package', () => {
    const installed = JSON.parse(readFileSync(new URL('../node_modules/node/package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(process.versions.node.split('.')[0]).toBe('22');
    expect(installed.version.split('.')[0]).toBe('22');
  });
});
