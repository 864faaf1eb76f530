import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * A user clones only this repository: no file of it may read, import or cite anything beside the checkout (the
 * team's reference material lives there while the project is built, and a clone does not have it).
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SKIPPED = new Set(['node_modules', '.git', 'cdk.out', 'test-results', '.data']);
const TEXT = /\.(ts|js|cjs|mjs|json|md|html|css|conf|sh)$|^run$/;

function projectFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return projectFiles(path);
    return TEXT.test(entry.name) && entry.name !== 'package-lock.json' ? [path] : [];
  });
}

const outside = (file: string, target: string) => {
  const path = relative(ROOT, resolve(dirname(file), target));
  return path === '..' || path.startsWith(`..${sep}`);
};

/** Every reference in `text` (of `file`) that leads out of the repository. */
export function referencesOutside(file: string, text: string): string[] {
  const found: string[] = [];
  // The original design notes and the team's reference folder, by name.
  for (const match of text.matchAll(/DESIGN\.md|seed-iom-workshop|\/work\/shared/g)) found.push(match[0]);
  // Relative paths written out ('../../shared/x', "../shared") that climb above the repository root.
  for (const match of text.matchAll(/(?:\.\.\/)+[\w.-]+/g)) if (outside(file, match[0])) found.push(match[0]);
  // Paths built from segments: join(here, '..', '..', '..', 'elsewhere').
  for (const match of text.matchAll(/(?:['"]\.\.['"],\s*)+/g)) {
    const climbs = (match[0].match(/\.\./g) ?? []).length;
    if (outside(file, Array(climbs).fill('..').join('/'))) found.push(match[0].trim());
  }
  return found;
}

describe('the repository stands alone', () => {
  it('no file reads, imports or cites anything outside the checkout', () => {
    const offending = projectFiles(ROOT)
      .filter((file) => file !== fileURLToPath(import.meta.url))
      .flatMap((file) => referencesOutside(file, readFileSync(file, 'utf8')).map((ref) => `${relative(ROOT, file)}: ${ref}`));
    expect(offending).toEqual([]);
  });

  it('tells a reference that leaves the checkout from one inside it', () => {
    const inTest = join(ROOT, 'test', 'support', 'fixtures.ts');
    // The samples name a folder beside the checkout by a made-up name, so that this file names none itself.
    expect(referencesOutside(inTest, "join(here, '..', '..', '..', 'beside', 'fixtures')")).toHaveLength(1);
    expect(referencesOutside(inTest, "join(here, '..', 'fixtures')")).toEqual([]);
    expect(referencesOutside(join(ROOT, 'test', 'a.test.ts'), "import x from '../shared/config';")).toEqual([]);
    expect(referencesOutside(join(ROOT, 'README.md'), 'see ../beside/fixtures')).toEqual(['../beside']);
    expect(referencesOutside(join(ROOT, 'shared', 'x.ts'), '(DESIGN.md §6)')).toEqual(['DESIGN.md']);
  });
});
