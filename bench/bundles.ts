/**
 * Per-function bundle size and cold module initialisation, against a bare Hono Lambda bundle. Each function entry
 * is bundled exactly as the stack bundles it (infra/bundling.ts: its own texts only, `@aws-sdk/*` external because
 * the nodejs22.x runtime provides it, a dynamic import in a chunk of its own), then imported by a fresh `node`
 * process N times. `jsKb` is the code a cold start loads and compiles (index.mjs and the chunks it imports
 * statically), the size the budget is on; `lazyKb` the chunks imported only when their code first runs. The texts are
 * data files beside the code (texts/<lang>.json, read when a language is first used): `textsKb` all of them,
 * `oneLangTextsKb` the largest language's, which is what a container's first request in that language reads.
 * `dataKb`: the other data files (data/phone-metadata.json, read when the first number is parsed).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleFunction, phoneMetadataFile, promptCatalogue } from '../infra/bundling';
import { readEnvironment } from '../shared/config';
import { round, summary, verdict, type Verdict } from './stats';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Under node_modules, so that the bundles resolve the external `@aws-sdk/*` packages as Lambda's runtime does. */
const OUT = join(ROOT, 'node_modules', '.cache', 'safejob-bench');

/** Issue 20: every bundle ≤ 500 KB, the webhooks a caller waits on ≤ 300 KB; import ≤ 3× bare Hono's. */
export const BUDGET = { sizeKb: 500, webhookSizeKb: 300, initRatio: 3 };
const WEBHOOKS = new Set(['ussd', 'sms', 'voice']);
export const sizeBudgetKb = (fn: string) => (WEBHOOKS.has(fn) ? BUDGET.webhookSizeKb : BUDGET.sizeKb);

/** Every function: each folder of functions/ with an index.ts (the stack's entries). */
const FUNCTIONS = readdirSync(join(ROOT, 'functions'))
  .sort()
  .map((name) => ({ name, entry: join(ROOT, 'functions', name, 'index.ts') }))
  .filter((fn) => existsSync(fn.entry));

export const BARE_HONO = `import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
const app = new Hono();
export const handler = handle(app);
`;

/**
 * What every function imports before any handler code: its validated configuration (zod over the environment, with
 * libphonenumber for the numbers in it), the log and the table client. Its import is the floor under every row.
 */
const fromShared = (path: string) => JSON.stringify(join(ROOT, 'shared', path));
export const SHARED_BASE = `import { loadConfig } from ${fromShared('config')};
import { createLogger } from ${fromShared('log')};
import { createDocumentClient } from ${fromShared('store/client')};
export { loadConfig, createLogger, createDocumentClient };
`;

/**
 * Imported before the baseline, untimed: on Lambda the runtime's own ES modules have started the module loader
 * before it imports a handler, and every function's clients warm it here too. A fresh process's first import pays
 * that start (about 3 ms here), which would flatter every ratio.
 */
export const WARM_LOADER = ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'];

export interface BundleRow {
  bundle: string;
  /** The code a cold start loads and compiles: index.mjs and the chunks it imports statically. */
  jsKb: number;
  sizeRatio: number | '-';
  /** Milliseconds to import the module in a fresh process (median of N). */
  importMs: number;
  importRatio: number | '-';
  /** Of the import, the `@aws-sdk/*` clients the bundle imports (provided by the runtime), imported alone. */
  sdkImportMs: number;
  /** The import with those clients already loaded, as on Lambda (whose runtime has them warm): ours alone. */
  ownImportMs: number;
  ownImportRatio: number | '-';
  /**
   * Of the own import, V8 parsing and compiling the bundle's text alone (`vm.SourceTextModule`: no linking, no
   * statement run), in a fresh process with the clients loaded; the rest is the top level running.
   */
  compileMs: number;
  sdkClients: string;
  /** The whole `node` process: start, import, exit (median of N). */
  processMs: number;
  processRatio: number | '-';
  mapKb: number;
  /** The chunks beside index.mjs, each imported only when its code first runs (the MP3 decoder). */
  lazyKb: number;
  /** The texts files beside the code (texts/**.json), every language. */
  textsKb: number;
  /** The largest language's texts files: what a container's first request in that language reads. */
  oneLangTextsKb: number;
  /** The other data files beside the code (data/**.json: the phone metadata). */
  dataKb: number;
  largestInputs: string;
  verdict: Verdict | '-';
}

async function bundle(name: string, entry: string, options = {}) {
  const outfile = join(OUT, name, 'index.mjs');
  const result = await bundleFunction(relative(ROOT, entry), dirname(outfile), options);
  // What a cold start loads: index.mjs and the chunks it imports statically (esbuild's shared helpers).
  const outputs = result.metafile.outputs;
  const index = relative(ROOT, outfile);
  const loaded = [index, ...(outputs[index]?.imports ?? []).filter((i) => !i.external && i.kind === 'import-statement').map((i) => i.path)];
  const bytes = loaded.reduce((sum, path) => sum + (outputs[path]?.bytes ?? 0), 0);
  const mapBytes = (await stat(`${outfile}.map`)).size;
  // What takes the room: the packages (or project folders) with the most output bytes.
  const byPackage = new Map<string, number>();
  const output = outputs[index];
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    // zod's locales are worth naming apart: every one of them is bundled, though only English is ever used.
    const key = input.includes('zod/v4/locales/') ? 'zod locales' : match && match[1] !== '.cache' ? match[1]! : input.split('/').slice(0, 2).join('/');
    byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput);
  }
  const largest = [...byPackage]
    .filter(([, size]) => size >= 1024)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([pkg, size]) => `${pkg} ${Math.round(size / 1024)}K`)
    .join(', ');
  const sdk = [...new Set((output?.imports ?? []).filter((i) => i.external && i.path.startsWith('@aws-sdk/')).map((i) => i.path))].sort();
  const lazyBytes = Object.entries(outputs)
    .filter(([path]) => path.endsWith('.mjs') && !loaded.includes(path))
    .reduce((sum, [, chunk]) => sum + chunk.bytes, 0);
  const dataBytes = jsonFiles(join(dirname(outfile), 'data')).reduce((sum, file) => sum + file.bytes, 0);
  return { outfile, bytes, mapBytes, lazyBytes, largest, sdk, dataBytes, ...textsSizes(join(dirname(outfile), 'texts')) };
}

/** The JSON files under `dir`, each with its path in `dir` and its size. */
const jsonFiles = (dir: string) =>
  (existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.json')) : []).map((file) => ({ file, bytes: statSync(join(dir, file)).size }));

/** The texts files' bytes in `dir` (texts/<lang>.json, texts/console/<lang>.json): all, and the largest language's. */
function textsSizes(dir: string) {
  const byLang = new Map<string, number>();
  for (const { file, bytes } of jsonFiles(dir)) {
    const lang = basename(file, '.json');
    byLang.set(lang, (byLang.get(lang) ?? 0) + bytes);
  }
  return { textsBytes: [...byLang.values()].reduce((sum, size) => sum + size, 0), oneLangTextsBytes: Math.max(0, ...byLang.values()) };
}

/**
 * Imports the bundle in a fresh process, `runs` times: the median import time and whole-process time. `preload`:
 * packages imported first, outside the timed import.
 */
function coldInit(outfile: string, runs: number, preload: string[] = []) {
  const url = pathToFileURL(outfile).href;
  const before = preload.map((pkg) => `await import(${JSON.stringify(pkg)});`).join(' ');
  const script = `${before} const t = performance.now(); await import(${JSON.stringify(url)}); process.stdout.write(String(performance.now() - t));`;
  const imports: number[] = [];
  const processes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: dirname(outfile),
      encoding: 'utf8',
      env: { PATH: readEnvironment().PATH },
    });
    processes.push(performance.now() - started);
    if (child.status !== 0) throw new Error(`importing ${outfile} failed: ${child.stderr}`);
    imports.push(Number(child.stdout));
  }
  return { importMs: summary(imports).median, processMs: summary(processes).median };
}

/** Compiles the bundle's text in a fresh process (its clients loaded, the loader warm), `runs` times: the median. */
function compileOnly(outfile: string, runs: number, preload: string[]) {
  const before = preload.map((pkg) => `await import(${JSON.stringify(pkg)});`).join(' ');
  const script =
    `import vm from 'node:vm'; import { readFileSync } from 'node:fs'; ${before} new vm.SourceTextModule('export {};'); ` +
    `const text = readFileSync(${JSON.stringify(outfile)}, 'utf8'); const t = performance.now(); ` +
    `new vm.SourceTextModule(text, { identifier: ${JSON.stringify(pathToFileURL(outfile).href)} }); process.stdout.write(String(performance.now() - t));`;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const child = spawnSync(process.execPath, ['--experimental-vm-modules', '--no-warnings', '--input-type=module', '-e', script], {
      cwd: dirname(outfile),
      encoding: 'utf8',
      env: { PATH: readEnvironment().PATH },
    });
    if (child.status !== 0) throw new Error(`compiling ${outfile} failed: ${child.stderr}`);
    times.push(Number(child.stdout));
  }
  return summary(times).median;
}

export async function measureBundles(runs = 7): Promise<BundleRow[]> {
  await rm(OUT, { recursive: true, force: true });
  const entryOf = async (name: string, source: string) => {
    await mkdir(join(OUT, name), { recursive: true });
    await writeFile(join(OUT, name, 'entry.ts'), source);
    return join(OUT, name, 'entry.ts');
  };
  const bare = await bundle('bare-hono', await entryOf('bare-hono', BARE_HONO), { plugins: [] });
  // Cold: a fresh process's whole import (for `importMs`, which includes the SDK clients); warm: the baseline.
  const bareCold = coldInit(bare.outfile, runs);
  const bareInit = coldInit(bare.outfile, runs, WARM_LOADER);
  const rows: BundleRow[] = [
    {
      bundle: 'bare Hono (baseline)',
      jsKb: round(bare.bytes / 1024, 1),
      sizeRatio: '-',
      importMs: round(bareCold.importMs, 1),
      importRatio: '-',
      sdkImportMs: 0,
      ownImportMs: round(bareInit.importMs, 1),
      ownImportRatio: '-',
      compileMs: round(compileOnly(bare.outfile, runs, WARM_LOADER), 1),
      sdkClients: '',
      processMs: round(bareCold.processMs, 1),
      processRatio: '-',
      mapKb: round(bare.mapBytes / 1024, 1),
      lazyKb: 0,
      textsKb: 0,
      oneLangTextsKb: 0,
      dataKb: 0,
      largestInputs: bare.largest,
      verdict: '-',
    },
  ];
  const measured = [
    { name: 'shared-base', label: 'floor: config, log, table client (no texts)', entry: await entryOf('shared-base', SHARED_BASE), options: { plugins: [promptCatalogue([]), phoneMetadataFile] }, budgeted: false },
    ...FUNCTIONS.map((fn) => ({ ...fn, label: `functions/${fn.name}`, options: {}, budgeted: true })),
  ];
  for (const fn of measured) {
    const out = await bundle(fn.name, fn.entry, fn.options);
    const init = coldInit(out.outfile, runs);
    const sdkOnly = join(dirname(out.outfile), 'sdk-only.mjs');
    await writeFile(sdkOnly, out.sdk.map((pkg) => `import ${JSON.stringify(pkg)};`).join('\n'));
    const sdkInit = coldInit(sdkOnly, runs);
    const ownInit = coldInit(out.outfile, runs, out.sdk);
    const sizeKb = out.bytes / 1024;
    const ownImportRatio = ownInit.importMs / bareInit.importMs;
    rows.push({
      bundle: fn.label,
      jsKb: round(sizeKb, 1),
      sizeRatio: round(out.bytes / bare.bytes, 1),
      importMs: round(init.importMs, 1),
      importRatio: round(init.importMs / bareCold.importMs, 1),
      sdkImportMs: round(sdkInit.importMs, 1),
      ownImportMs: round(ownInit.importMs, 1),
      ownImportRatio: round(ownImportRatio, 1),
      compileMs: round(compileOnly(out.outfile, runs, out.sdk.length > 0 ? out.sdk : WARM_LOADER), 1),
      sdkClients: out.sdk.map((pkg) => pkg.replace('@aws-sdk/', '').replace('client-', '').replace('-manager', '')).join(' '),
      processMs: round(init.processMs, 1),
      processRatio: round(init.processMs / bareCold.processMs, 2),
      mapKb: round(out.mapBytes / 1024, 1),
      lazyKb: round(out.lazyBytes / 1024, 1),
      textsKb: round(out.textsBytes / 1024, 1),
      oneLangTextsKb: round(out.oneLangTextsBytes / 1024, 1),
      dataKb: round(out.dataBytes / 1024, 1),
      largestInputs: out.largest,
      verdict: fn.budgeted ? verdict(sizeKb <= sizeBudgetKb(fn.name) && ownImportRatio <= BUDGET.initRatio) : '-',
    });
  }
  return rows;
}
