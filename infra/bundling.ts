/**
 * How a function is bundled for Lambda, in one place: the stack (infra/constructs/function.ts, through
 * infra/bundle-function.ts), the bundle benchmark (bench/bundles.ts) and the bundle tests all build with this.
 *
 * - ESM, minified, target node22, `module` before `main`, charset utf8 (the prompts are Cyrillic: as \uXXXX escapes,
 *   esbuild's ASCII default, they take twice the bytes), the createRequire banner for the CommonJS packages, and
 *   `@aws-sdk/*` external: the nodejs22.x runtime provides it.
 * - Code splitting: a dynamic `import()` becomes a file of its own beside index.mjs, loaded only when that line runs
 *   (the MP3 decoder, 71 KB, only when a recording arrives as MP3: shared/audio/telephony.ts).
 * - The texts: prompts/catalogue.ts is replaced by a catalogue of only the namespaces the function speaks
 *   (functions/<name>/speaks.ts), without the reviewers' `_meta` notes, each language one JSON string that
 *   shared/domain/prompts.ts parses when the language is first used (V8 parses a JSON string much faster than the
 *   same object as a literal in the code). The console's own words (prompts/console/*.json) lose their `_meta` too.
 */
import { build, type BuildOptions, type BuildResult, type Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LANGUAGES, type PromptNamespace } from '../shared/domain/prompts';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export const FUNCTION_BUILD_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  mainFields: ['module', 'main'],
  charset: 'utf8',
  banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
  external: ['@aws-sdk/*'],
  splitting: true,
  entryNames: 'index',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  // Deployed with NODE_OPTIONS=--enable-source-maps: an error's stack points into our sources. The map is a file
  // of its own, read only to print a stack.
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'silent',
};

/** The namespaces a function speaks: its functions/<name>/speaks.ts, beside its entry. */
export async function spokenNamespaces(entry: string): Promise<readonly PromptNamespace[]> {
  const declared = (await import(pathToFileURL(join(REPO_ROOT, dirname(entry), 'speaks.ts')).href)) as { SPEAKS: readonly PromptNamespace[] };
  return declared.SPEAKS;
}

/** Whether `key` is one of `namespaces` or under one of them (never a `_meta` note). */
export const inNamespaces = (key: string, namespaces: readonly string[]): boolean =>
  !key.startsWith('_meta.') && namespaces.some((namespace) => key === namespace || key.startsWith(`${namespace}.`));

/** Each language's texts under `namespaces`, as prompts/<lang>.json and prompts/outreach/<lang>.json hold them. */
export function textsUnder(namespaces: readonly string[]): Record<string, Record<string, string>> {
  const read = (path: string) => JSON.parse(readFileSync(join(REPO_ROOT, 'prompts', path), 'utf8')) as Record<string, string>;
  return Object.fromEntries(
    LANGUAGES.map((lang) => {
      const all = { ...read(`${lang}.json`), ...read(`outreach/${lang}.json`) };
      return [lang, Object.fromEntries(Object.entries(all).filter(([key]) => inNamespaces(key, namespaces)))];
    }),
  );
}

/** Puts in place of prompts/catalogue.ts a catalogue of only `namespaces`, each language a JSON string. */
export function promptCatalogue(namespaces: readonly string[]): Plugin {
  return {
    name: 'prompt-catalogue',
    setup(bundler) {
      bundler.onLoad({ filter: /[\\/]prompts[\\/]catalogue\.ts$/ }, () => {
        const texts = Object.entries(textsUnder(namespaces)).map(([lang, record]) => `${lang}: ${JSON.stringify(JSON.stringify(record))}`);
        return {
          loader: 'js',
          watchFiles: LANGUAGES.flatMap((lang) => [`${lang}.json`, `outreach/${lang}.json`].map((path) => join(REPO_ROOT, 'prompts', path))),
          contents: [
            `const TEXTS = { ${texts.join(', ')} };`,
            'export function catalogueTexts(lang) { return JSON.parse(TEXTS[lang]); }',
            `export const CATALOGUE_NAMESPACES = ${JSON.stringify(namespaces)};`,
          ].join('\n'),
        };
      });
    },
  };
}

/**
 * The console's own words (prompts/console/*.json, imported whole by shared/console/texts.ts) without their
 * `_meta` notes, as a JSON string parsed at import.
 */
export const consoleTexts: Plugin = {
  name: 'console-texts',
  setup(bundler) {
    bundler.onLoad({ filter: /[\\/]prompts[\\/]console[\\/]\w+\.json$/ }, ({ path }) => {
      const texts = Object.fromEntries(Object.entries(JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>).filter(([key]) => !key.startsWith('_meta.')));
      return { loader: 'js', contents: `export default JSON.parse(${JSON.stringify(JSON.stringify(texts))});` };
    });
  },
};

/**
 * Bundles the function whose handler module is `entry` (relative to the repository root) into `outdir`: index.mjs,
 * its chunks and source maps. `options` override the defaults (the tests build in memory, unminified).
 */
export async function bundleFunction(entry: string, outdir: string, options: BuildOptions = {}): Promise<BuildResult & { metafile: NonNullable<BuildResult['metafile']> }> {
  const result = await build({
    ...FUNCTION_BUILD_OPTIONS,
    ...options,
    plugins: options.plugins ?? [promptCatalogue(await spokenNamespaces(entry)), consoleTexts],
    entryPoints: [join(REPO_ROOT, entry)],
    outdir,
    absWorkingDir: REPO_ROOT,
  });
  return result as BuildResult & { metafile: NonNullable<BuildResult['metafile']> };
}
