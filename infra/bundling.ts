/**
 * How a function is bundled for Lambda, in one place: the stack (infra/constructs/function.ts, through
 * infra/bundle-function.ts), the bundle benchmark (bench/bundles.ts) and the bundle tests all build with this.
 *
 * - ESM, minified, target node22, `module` before `main`, charset utf8 (the prompts are Cyrillic: as \uXXXX escapes,
 *   esbuild's ASCII default, they take twice the bytes), the createRequire banner for the CommonJS packages, and
 *   `@aws-sdk/*` external: the nodejs22.x runtime provides it.
 * - Code splitting: a dynamic `import()` becomes a file of its own beside index.mjs, loaded only when that line runs
 *   (the MP3 decoder, 71 KB, only when a recording arrives as MP3: shared/audio/telephony.ts).
 * - The texts are data, not code: prompts/catalogue.ts is replaced by a catalogue that reads a language's texts from
 *   texts/<lang>.json beside index.mjs the first time the language is used (prompts/texts-file.ts), and each file
 *   holds only the namespaces the function speaks (functions/<name>/speaks.ts), without the reviewers' `_meta` notes.
 *   A cold start compiles only code (V8 compiles every byte of index.mjs, ~3.3 ms per 100 KB), and a container reads
 *   only the languages its callers speak. The console's own words (prompts/console/*.json) are files the same way,
 *   texts/console/<lang>.json (docs/decisions.md).
 * - So is the phone metadata: shared/domain/phone-metadata.ts is replaced by a reader of data/phone-metadata.json
 *   beside index.mjs, read the first time a number is parsed (shared/phone-metadata-file.ts).
 */
import { build, type BuildOptions, type BuildResult, type Plugin } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LANGUAGES, type PromptNamespace } from '../shared/domain/prompts';
import { PHONE_METADATA_FILE } from './phone-metadata';

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

/** Each language's texts under `namespaces` (no `_meta` notes), as prompts/<lang>.json and prompts/outreach/<lang>.json hold them. */
export function textsUnder(namespaces: readonly string[]): Record<string, Record<string, string>> {
  const read = (path: string) => JSON.parse(readFileSync(join(REPO_ROOT, 'prompts', path), 'utf8')) as Record<string, string>;
  return Object.fromEntries(
    LANGUAGES.map((lang) => {
      const all = { ...read(`${lang}.json`), ...read(`outreach/${lang}.json`) };
      return [lang, Object.fromEntries(Object.entries(all).filter(([key]) => inNamespaces(key, namespaces)))];
    }),
  );
}

/** A file a bundle carries beside its code: `path` relative to the bundle's directory. */
export interface BundleDataFile {
  path: string;
  text: string;
}

/** A record of texts as a bundle's data file holds it: the reviewers' `_meta` notes are for people, and in no bundle. */
const textsFile = (path: string, texts: Record<string, string>): BundleDataFile => ({
  path,
  text: JSON.stringify(Object.fromEntries(Object.entries(texts).filter(([key]) => !key.startsWith('_meta.')))),
});

/** An import of `name` from the repository's module at `path`, for the code a plugin puts in place of a module. */
const importFrom = (name: string, path: string) => `import { ${name} } from ${JSON.stringify(join(REPO_ROOT, path))};`;

/**
 * A plugin that puts `contents` in place of the module matched by `filter`: code that reads its data from one of
 * `files()` beside index.mjs when first asked (shared/bundle-data-file.ts). The files are written where the bundle is
 * written; a build in memory (`write: false`) gets them among its `outputFiles`. Only a build whose code imports the
 * module carries them.
 */
function dataFromFiles(name: string, filter: RegExp, contents: string, files: () => BundleDataFile[]): Plugin {
  return {
    name,
    setup(bundler) {
      let imported = false;
      bundler.onStart(() => {
        imported = false;
      });
      bundler.onLoad({ filter }, () => {
        imported = true;
        return { loader: 'js', resolveDir: REPO_ROOT, contents };
      });
      bundler.onEnd((result) => {
        if (!imported || result.errors.length > 0) return;
        // The module finds its files from its own URL: in a chunk, it would look beside the chunk.
        const home = Object.entries(result.metafile?.outputs ?? {}).find(([, output]) => Object.keys(output.inputs).some((input) => filter.test(join(REPO_ROOT, input))))?.[0];
        if (home !== undefined && !/(^|\/)index\.mjs$/.test(home)) throw new Error(`${name}: its module landed in ${home}, not index.mjs, and would not find its data files`);
        const { outdir, write } = bundler.initialOptions;
        if (!outdir) throw new Error(`${name}: a bundle with data files needs an outdir`);
        for (const file of files()) {
          const path = join(outdir, file.path);
          if (write === false) {
            const contents = new TextEncoder().encode(file.text);
            result.outputFiles?.push({ path, contents, text: file.text, hash: createHash('sha256').update(contents).digest('base64url').slice(0, 16) });
          } else {
            mkdirSync(dirname(path), { recursive: true });
            writeFileSync(path, file.text);
          }
        }
      });
    },
  };
}

/**
 * Puts in place of prompts/catalogue.ts one that reads a language's texts from texts/<lang>.json beside index.mjs when
 * first asked (shared/domain/prompts.ts keeps them): each file holds only `namespaces`.
 */
export const promptCatalogue = (namespaces: readonly string[]): Plugin =>
  dataFromFiles(
    'prompt-catalogue',
    /[\\/]prompts[\\/]catalogue\.ts$/,
    [
      importFrom('readTextsFile', 'prompts/texts-file.ts'),
      'export function catalogueTexts(lang) { return readTextsFile(new URL(`texts/${lang}.json`, import.meta.url)); }',
      `export const CATALOGUE_NAMESPACES = ${JSON.stringify(namespaces)};`,
    ].join('\n'),
    () => Object.entries(textsUnder(namespaces)).map(([lang, texts]) => textsFile(`texts/${lang}.json`, texts)),
  );

/**
 * Puts in place of prompts/console/catalogue.ts one that reads the console's words in a language from
 * texts/console/<lang>.json beside index.mjs when first asked (shared/console/texts.ts keeps them).
 */
export const consoleTexts: Plugin = dataFromFiles(
  'console-texts',
  /[\\/]prompts[\\/]console[\\/]catalogue\.ts$/,
  [
    importFrom('readTextsFile', 'prompts/texts-file.ts'),
    'export function consoleCatalogueTexts(lang) { return readTextsFile(new URL(`texts/console/${lang}.json`, import.meta.url)); }',
  ].join('\n'),
  () =>
    readdirSync(join(REPO_ROOT, 'prompts', 'console'))
      .filter((file) => file.endsWith('.json'))
      .map((file) => textsFile(`texts/console/${file}`, JSON.parse(readFileSync(join(REPO_ROOT, 'prompts', 'console', file), 'utf8')) as Record<string, string>)),
);

/** Where a bundle carries the served countries' phone metadata, beside index.mjs. */
export const PHONE_METADATA_DATA_FILE = 'data/phone-metadata.json';

/**
 * Puts in place of shared/domain/phone-metadata.ts one that reads the phone metadata from data/phone-metadata.json
 * beside index.mjs when first asked (shared/domain/phone.ts keeps it): a cold start compiles only code.
 */
export const phoneMetadataFile: Plugin = dataFromFiles(
  'phone-metadata',
  /[\\/]shared[\\/]domain[\\/]phone-metadata\.ts$/,
  [
    importFrom('readPhoneMetadataFile', 'shared/phone-metadata-file.ts'),
    `export function phoneMetadata() { return readPhoneMetadataFile(new URL(${JSON.stringify(PHONE_METADATA_DATA_FILE)}, import.meta.url)); }`,
  ].join('\n'),
  () => [{ path: PHONE_METADATA_DATA_FILE, text: JSON.stringify(JSON.parse(readFileSync(PHONE_METADATA_FILE, 'utf8'))) }],
);

/**
 * Bundles the function whose handler module is `entry` (relative to the repository root) into `outdir`: index.mjs,
 * its chunks, source maps and data files (in memory, with `write: false`, all of them among `outputFiles`). `options` override the defaults (the tests build in memory, unminified).
 */
export async function bundleFunction(entry: string, outdir: string, options: BuildOptions = {}): Promise<BuildResult & { metafile: NonNullable<BuildResult['metafile']> }> {
  const result = await build({
    ...FUNCTION_BUILD_OPTIONS,
    ...options,
    plugins: options.plugins ?? [promptCatalogue(await spokenNamespaces(entry)), consoleTexts, phoneMetadataFile],
    entryPoints: [join(REPO_ROOT, entry)],
    outdir,
    absWorkingDir: REPO_ROOT,
  });
  return result as BuildResult & { metafile: NonNullable<BuildResult['metafile']> };
}
