import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const sources = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });

describe('imports that keep the Lambda bundles small (bench/bundles.ts measures them)', () => {
  it("imports zod as a namespace: `import { z }` keeps every one of zod's locales in the bundle (190 KB)", () => {
    // Any zod module: 'zod', 'zod/mini' and the runtime's own shared/domain/zod.ts all export that `z` object.
    const named = ['functions', 'shared', 'prompts']
      .flatMap(sources)
      .filter((path) => /import\s*\{[^}]*\bz\b[^}]*\}\s*from\s*'[^']*\bzod(\/mini)?'/.test(readFileSync(join(root, path), 'utf8')));
    expect(named).toEqual([]);
  });
});
