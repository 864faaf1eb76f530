/**
 * No function can lack a text it says: every prompt key its bundle's code can name (test/support/prompt-keys.ts) is
 * among the namespaces its functions/<name>/speaks.ts declares, which are all its bundle's catalogue holds
 * (infra/bundling.ts). And a declared namespace its code never names would be texts carried for nothing.
 */
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inNamespaces, spokenNamespaces } from '../infra/bundling';
import { keysNamedBy } from './support/prompt-keys';

const FUNCTIONS = readdirSync(new URL('../functions', import.meta.url)).filter((name) => existsSync(new URL(`../functions/${name}/index.ts`, import.meta.url)));

describe("each function's texts are those its code can say", () => {
  it.each(FUNCTIONS)('%s: every key its code names is in a namespace it speaks, and each namespace it speaks is named', async (fn) => {
    const entry = `functions/${fn}/index.ts`;
    const [named, speaks] = await Promise.all([keysNamedBy(entry), spokenNamespaces(entry)]);
    const missing = [...named].filter(([key]) => !inNamespaces(key, speaks)).map(([key, literal]) => `${key} (named by "${literal}")`);
    expect(missing, `add their namespaces to functions/${fn}/speaks.ts`).toEqual([]);
    expect(speaks.filter((namespace) => ![...named.keys()].some((key) => inNamespaces(key, [namespace]))), `never named by functions/${fn}`).toEqual([]);
  });
});
