/**
 * Where a bundle's import time goes: `npx tsx bench/import-profile.ts [floor|bare|<function>...]`. Each is bundled
 * as the stack bundles it but unminified (so that a profile's line ticks fall on lines of their own), imported
 * `RUNS` times in a fresh node with its `@aws-sdk/*` clients loaded first (as on Lambda), under the inspector's
 * sampling profiler, and its self time attributed through the bundle's source map to the source file each sampled
 * line came from. Printed beside it: the bundle's compile alone (`vm.SourceTextModule` parses and compiles the
 * module without linking or running it), i.e. what V8 spends on the bytes before any top-level statement runs.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SourceMapConsumer, type RawSourceMap } from 'source-map-js';
import { bundleFunction, promptCatalogue } from '../infra/bundling';
import { readEnvironment } from '../shared/config';
import { BARE_HONO, SHARED_BASE, WARM_LOADER } from './bundles';
import { round, summary } from './stats';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'node_modules', '.cache', 'safejob-import-profile');
const RUNS = 7;

interface ProfileNode {
  id: number;
  callFrame: { url: string; lineNumber: number; functionName: string };
  positionTicks?: { line: number; ticks: number }[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** In a fresh process: the clients, then the profiled import; prints the profile and the import's milliseconds. */
const profiledImport = (url: string, preload: string[]) => `
import { Session } from 'node:inspector/promises';
${preload.map((pkg) => `await import(${JSON.stringify(pkg)});`).join('\n')}
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 50 });
await session.post('Profiler.start');
const started = performance.now();
await import(${JSON.stringify(url)});
const ms = performance.now() - started;
const { profile } = await session.post('Profiler.stop');
process.stdout.write(JSON.stringify({ ms, profile }));
`;

/** In a fresh process with the clients loaded: parsing and compiling the module's text, nothing run. */
const compileOnly = (file: string, preload: string[]) => `
import vm from 'node:vm';
import { readFileSync } from 'node:fs';
${preload.map((pkg) => `await import(${JSON.stringify(pkg)});`).join('\n')}
new vm.SourceTextModule('export const warm = 1;');
const text = readFileSync(${JSON.stringify(file)}, 'utf8');
const started = performance.now();
new vm.SourceTextModule(text, { identifier: ${JSON.stringify(pathToFileURL(file).href)} });
process.stdout.write(String(performance.now() - started));
`;

function runNode(script: string, cwd: string, flags: string[] = []): string {
  const child = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', script], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    env: { PATH: readEnvironment().PATH },
  });
  if (child.status !== 0) throw new Error(child.stderr);
  return child.stdout;
}

/** The source each generated line of the bundle starts with (node_modules folded to their package), and its line. */
function lineSources(mapFile: string): { sources: Map<number, string>; lines: Map<number, string> } {
  const consumer = new SourceMapConsumer(JSON.parse(readFileSync(mapFile, 'utf8')) as RawSourceMap);
  const sources = new Map<number, string>();
  const lines = new Map<number, string>();
  consumer.eachMapping((mapping) => {
    if (sources.has(mapping.generatedLine) || !mapping.source) return;
    const source = mapping.source.replace(/^(\.\.\/)+/, '');
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
    sources.set(mapping.generatedLine, pkg ? `${pkg[1]} (package)` : source);
    if (!pkg) lines.set(mapping.generatedLine, `${source}:${mapping.originalLine}`);
  });
  return { sources, lines };
}

/** Self time per source over the profiles, in milliseconds per import. */
function attribute(profiles: Profile[], bundleUrl: string, sources: Map<number, string>): Map<string, number> {
  const totals = new Map<string, number>();
  const add = (key: string, ms: number) => totals.set(key, (totals.get(key) ?? 0) + ms / profiles.length);
  for (const profile of profiles) {
    const self = new Map<number, number>();
    profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
    for (const node of profile.nodes) {
      const ms = self.get(node.id) ?? 0;
      if (ms === 0) continue;
      const { url, functionName } = node.callFrame;
      // The profiler's own start (its message round trip) is not the import's.
      if (url === 'node:inspector') continue;
      if (functionName === 'compileSourceTextModule') {
        add('(V8 compiling the module text)', ms);
        continue;
      }
      if (url !== bundleUrl) {
        add(url ? (url.startsWith('node:') ? 'node internals' : `${url.replace(/^.*node_modules\//, '')} (external)`) : `(${functionName || 'native'})`, ms);
        continue;
      }
      // The lines sampled in this function, each to its own source; without line ticks, the function's own line.
      const ticks = node.positionTicks ?? [];
      const all = ticks.reduce((sum, tick) => sum + tick.ticks, 0);
      if (all === 0) add(sources.get(node.callFrame.lineNumber + 1) ?? '(unmapped)', ms);
      for (const tick of ticks) add(sources.get(tick.line) ?? '(unmapped)', (ms * tick.ticks) / all);
    }
  }
  return totals;
}

async function entryOf(name: string): Promise<{ entry: string; options: object }> {
  const source = name === 'floor' ? SHARED_BASE : name === 'bare' ? BARE_HONO : undefined;
  if (name.endsWith('.ts')) return { entry: name, options: { minify: false, plugins: [promptCatalogue([])] } };
  if (!source) return { entry: join('functions', name, 'index.ts'), options: { minify: false } };
  await mkdir(join(OUT, name), { recursive: true });
  const entry = join(OUT, name, 'entry.ts');
  await writeFile(entry, source);
  return { entry: relative(ROOT, entry), options: { minify: false, plugins: name === 'floor' ? [promptCatalogue([])] : [] } };
}

for (const arg of process.argv.slice(2)) {
  const { entry, options } = await entryOf(arg);
  const name = arg.replace(/^.*\//, '');
  const outdir = join(OUT, name, 'out');
  const result = await bundleFunction(entry, outdir, options);
  const file = join(outdir, 'index.mjs');
  const output = result.metafile.outputs[relative(ROOT, file)];
  const sdk = [...new Set((output?.imports ?? []).filter((i) => i.external && i.path.startsWith('@aws-sdk/')).map((i) => i.path))];
  const preload = sdk.length > 0 ? sdk : WARM_LOADER;
  const url = pathToFileURL(file).href;
  const runs = Array.from({ length: RUNS }, () => JSON.parse(runNode(profiledImport(url, preload), outdir)) as { ms: number; profile: Profile });
  // The compile as deployed: the minified bundle.
  const minifiedDir = join(OUT, name, 'minified');
  await bundleFunction(entry, minifiedDir, { ...options, minify: true });
  const minified = join(minifiedDir, 'index.mjs');
  const compile = Array.from({ length: RUNS }, () => Number(runNode(compileOnly(minified, preload), minifiedDir, ['--experimental-vm-modules', '--no-warnings'])));
  const { sources, lines } = lineSources(`${file}.map`);
  const totals = attribute(runs.map((run) => run.profile), url, sources);
  const hottest = attribute(runs.map((run) => run.profile), url, lines);
  const sampled = [...totals.values()].reduce((sum, ms) => sum + ms, 0);
  console.log(
    `\n${name}: ${round((output?.bytes ?? 0) / 1024, 1)} KB unminified; import under the profiler median ${round(summary(runs.map((run) => run.ms)).median, 1)} ms ` +
      `(sampled ${round(sampled, 1)} ms per import); minified compile alone median ${round(summary(compile).median, 2)} ms`,
  );
  console.table(
    [...totals]
      .sort((a, b) => b[1] - a[1])
      .filter(([, ms]) => ms >= 0.05)
      .slice(0, 30)
      .map(([source, ms]) => ({ source, selfMs: round(ms, 2), share: `${Math.round((100 * ms) / sampled)}%` })),
  );
  console.log('  the hottest lines of our own code (top-level statements and what they call):');
  console.table(
    [...hottest]
      .filter(([line]) => line.includes(':') && !line.startsWith('('))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([line, ms]) => ({ line, selfMs: round(ms, 2) })),
  );
}
