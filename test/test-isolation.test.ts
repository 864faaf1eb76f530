import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ISOLATED } from '../vitest.config';

/**
 * Most test files share their worker's modules with the files before them (vitest.config.ts). A file that changes
 * what a module holds for the whole process must run isolated: a Lambda entry's container-wide singletons, modules
 * reset or mocked, the environment stubbed, HTTP intercepted with nock.
 */
const NEEDS_ITS_OWN_MODULES = /functions\/[a-z-]+\/index|vi\.resetModules|vi\.(do)?[mM]ock\(|vi\.stubEnv|from 'nock'/;

describe('test isolation', () => {
  it('runs every file that changes process-wide module state isolated', () => {
    const files = readdirSync(new URL('.', import.meta.url)).filter((name) => name.endsWith('.test.ts') && name !== 'test-isolation.test.ts');
    const needing = files.filter((name) => NEEDS_ITS_OWN_MODULES.test(readFileSync(new URL(name, import.meta.url), 'utf8'))).map((name) => `test/${name}`);
    expect(needing.length).toBeGreaterThan(5);
    expect(needing.filter((file) => !ISOLATED.includes(file))).toEqual([]);
  });
});
