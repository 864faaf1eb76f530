/**
 * Registry matching benchmark: microseconds per lookup and the index's heap, at several registry sizes, on
 * synthetic names (Latin and Cyrillic, generic words, legal suffixes) and a mix of queries as migrants type them:
 * exact, misspelt, transliterated, licence numbers, and names that are not in the registry.
 */
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gunzipSync, gzipSync } from 'node:zlib';
import { buildRegistryIndex, registrySnapshot, restoreRegistryIndex, type RegistryEntry, type RegistryIndex } from '../shared/domain/registry';
import { createDocumentClient, ensureTable } from '../shared/store/client';
import { RegistryRepository } from '../shared/store/registry';
import { recordStoreCalls } from '../test/support/faults';
import { addStoreLatency } from './store-latency';
import { startStoreThread } from './store-thread';

export interface RegistryBenchRow {
  entries: number;
  /** Building the index from the entries: what every new container did before the import stored it. */
  buildMs: number;
  /** The stored snapshot (gzipped), and a container's cost to make an index of it once read from the store. */
  snapshotMb: number;
  restoreMs: number;
  /** The first verification of a fresh container: restore, then one lookup (the store read of the chunks apart). */
  firstVerificationMs: number;
  meanUs: number;
  /** CPU time per lookup (the process's user + system time over all of them): less moved by a loaded machine. */
  cpuUs: number;
  p99Us: number;
  /** Mean per kind of query: a name as registered (upper case), two letters swapped, in Cyrillic, a licence number. */
  exactUs: number;
  misspeltUs: number;
  cyrillicUs: number;
  licenceUs: number;
  /** A name that is not in the registry ("Global …xq Visa Service"). */
  noMatchUs: number;
  indexHeapMb: number;
  /** Queries for a registry name (upper case, two letters swapped, in Cyrillic, licence number) that found it. */
  foundPct: number;
  /** Queries for a name not in the registry that were answered with one entry. */
  falseOnePct: number;
}

// `npm run bench` runs plain tsx; the collector is exposed here so that heap deltas are not garbage noise.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** A small deterministic generator (mulberry32), so every run measures the same registry. */
export function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Name words are built from consonant-vowel syllables (with an occasional closing consonant), as Tajik and Russian
// names are; digraphs stay single letters in Cyrillic.
const CONSONANTS = ['b', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'sh', 'ch', 'kh'];
const VOWELS = ['a', 'e', 'i', 'o', 'u'];
const CODAS = ['n', 'r', 's', 't', 'm', 'l', 'k', 'd'];
const TAILS = ['', '', 'Jobs', 'Recruitment', 'Labour Solutions', 'Agency', 'Group', 'Services'];
const SUFFIXES = ['', '', 'Ltd', 'LLC', 'ООО', 'ҶДММ'];
const TO_CYRILLIC: Record<string, string> = {
  sh: 'ш', ch: 'ч', kh: 'х', a: 'а', b: 'б', d: 'д', e: 'е', f: 'ф', g: 'г', h: 'ҳ', i: 'и', j: 'ҷ', k: 'к', l: 'л',
  m: 'м', n: 'н', o: 'о', p: 'п', r: 'р', s: 'с', t: 'т', u: 'у', v: 'в', z: 'з',
};
const cyrillic = (latin: string) =>
  latin.toLowerCase().replace(/sh|ch|kh|[a-z]/g, (letters) => TO_CYRILLIC[letters] ?? letters);

export function syntheticRegistry(size: number, next: () => number): RegistryEntry[] {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const syllable = () => pick(CONSONANTS) + pick(VOWELS) + (next() < 0.3 ? pick(CODAS) : '');
  const word = () => {
    const w = Array.from({ length: 2 + Math.floor(next() * 2) }, syllable).join('');
    return w[0]!.toUpperCase() + w.slice(1);
  };
  return Array.from({ length: size }, (_, i) => {
    const core = Array.from({ length: 1 + Math.floor(next() * 2) }, word).join(' ');
    const name = [core, pick(TAILS), pick(SUFFIXES)].filter(Boolean).join(' ');
    return {
      id: `L:BENCH${i}`,
      kind: 'agency',
      name,
      aliases: next() < 0.3 ? [cyrillic(core)] : [],
      licenceNumber: `BENCH-${String(i).padStart(6, '0')}`,
      country: 'TJ',
      status: next() < 0.9 ? 'valid' : 'revoked',
      phones: [],
      websites: [],
      source: 'synthetic benchmark data',
      checkedOn: '2025-01-01',
    };
  });
}

const QUERY_KINDS = ['exact', 'misspelt', 'cyrillic', 'licence', 'noMatch'] as const;

interface Query {
  kind: (typeof QUERY_KINDS)[number];
  text: string;
  /** The entry the query means; undefined for a name that is not in the registry. */
  expected?: RegistryEntry;
}

function syntheticQueries(entries: RegistryEntry[], count: number, next: () => number): Query[] {
  const swapTwoLetters = (text: string) => {
    const at = 1 + Math.floor(next() * (text.length - 2));
    return text.slice(0, at) + text[at + 1] + text[at] + text.slice(at + 2);
  };
  return Array.from({ length: count }, () => {
    const entry = entries[Math.floor(next() * entries.length)]!;
    switch (Math.floor(next() * 5)) {
      case 0: return { kind: 'exact', text: entry.name.toUpperCase(), expected: entry };
      case 1: return { kind: 'misspelt', text: swapTwoLetters(entry.name), expected: entry };
      case 2: return { kind: 'cyrillic', text: cyrillic(entry.name), expected: entry };
      case 3: return { kind: 'licence', text: entry.licenceNumber!.replaceAll('-', ' ').toLowerCase(), expected: entry };
      default: return { kind: 'noMatch', text: `Global ${swapTwoLetters(entry.name.split(' ')[0]!)}xq Visa Service` };
    }
  });
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

function matchQuality(index: RegistryIndex, queries: Query[]) {
  let known = 0;
  let found = 0;
  let unknown = 0;
  let falseOne = 0;
  for (const { text, expected } of queries) {
    const result = index.findByNameOrLicence(text);
    const answered = result.kind === 'one' ? [result.entry] : result.kind === 'several' ? result.entries : [];
    if (expected) {
      known++;
      if (answered.includes(expected)) found++;
    } else {
      unknown++;
      if (result.kind === 'one') falseOne++;
    }
  }
  const percent = (part: number, whole: number) => Math.round((1000 * part) / Math.max(1, whole)) / 10;
  return { foundPct: percent(found, known), falseOnePct: percent(falseOne, unknown) };
}

export function benchmarkRegistry(sizes: readonly number[] = [1_000, 10_000, 100_000]): RegistryBenchRow[] {
  return sizes.map((size) => {
    const next = random(size);
    const entries = syntheticRegistry(size, next);
    const queries = syntheticQueries(entries, 2_000, next);
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const index = buildRegistryIndex(entries);
    const buildMs = performance.now() - started;
    collectGarbage();
    const indexHeapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;

    const packed = gzipSync(registrySnapshot(entries));
    const restoreStarted = performance.now();
    const restored = restoreRegistryIndex(gunzipSync(packed))!;
    const restoreMs = performance.now() - restoreStarted;
    restored.findByNameOrLicence(queries[0]!.text);
    const firstVerificationMs = performance.now() - restoreStarted;

    const quality = matchQuality(index, queries); // also warms up the JIT before timing
    const cpuBefore = process.cpuUsage();
    const times = queries.map(({ text }) => {
      const start = performance.now();
      index.findByNameOrLicence(text);
      return (performance.now() - start) * 1000;
    });
    const cpu = process.cpuUsage(cpuBefore);
    const meanOf = (kind: Query['kind']) => Math.round(mean(times.filter((_, q) => queries[q]!.kind === kind)));
    const byKind = Object.fromEntries(QUERY_KINDS.map((kind) => [`${kind}Us`, meanOf(kind)])) as Record<`${Query['kind']}Us`, number>;
    times.sort((a, b) => a - b);
    return {
      entries: size,
      buildMs: Math.round(buildMs),
      snapshotMb: Math.round((packed.length / 2 ** 20) * 10) / 10,
      restoreMs: Math.round(restoreMs),
      firstVerificationMs: Math.round(firstVerificationMs),
      meanUs: Math.round(mean(times)),
      cpuUs: Math.round((cpu.user + cpu.system) / queries.length),
      p99Us: Math.round(times[Math.floor(times.length * 0.99)]!),
      ...byKind,
      indexHeapMb: Math.round(indexHeapMb * 10) / 10,
      ...quality,
    };
  });
}

export interface StoredSnapshotRow {
  entries: number;
  /** Added to every store call (0: the local store as it is, in a thread of its own). */
  latencyMs: number;
  chunks: number;
  snapshotMb: number;
  /** The store calls of the read: a Query page holds at most 1 MB. */
  calls: number;
  /** Reading the chunks from the store (`RegistryRepository.loadIndex`, gunzip included). */
  readMs: number;
  /** A fresh container's first verification: the read, the restore and one lookup. */
  firstVerificationMs: number;
}

/**
 * The first verification of a container at `size` entries, with its snapshot read from the store (dynalite in a
 * thread of its own; then with every call `latencyMs` later, as DynamoDB is from a Lambda): the part of the cold
 * path the lookup table above leaves apart.
 */
export async function benchmarkStoredSnapshot(size = 100_000, latencies: readonly number[] = [0, 5]): Promise<StoredSnapshotRow[]> {
  const entries = syntheticRegistry(size, random(size));
  const store = await startStoreThread();
  const tableName = 'safejob-bench-snapshot';
  const client = createDocumentClient({ region: 'eu-west-2', endpoint: store.endpoint, tableName, timeouts: { requestMs: 60_000 } });
  let latencyMs = 0;
  addStoreLatency(client, () => latencyMs);
  const recorder = recordStoreCalls(client);
  try {
    await ensureTable(client, tableName);
    const repository = new RegistryRepository(client, tableName);
    const { version, chunks, bytes } = await repository.storeIndex(1, registrySnapshot(entries));
    const rows: StoredSnapshotRow[] = [];
    for (const latency of latencies) {
      latencyMs = latency;
      collectGarbage();
      recorder.reset();
      const started = performance.now();
      const snapshot = (await repository.loadIndex(version))!;
      const readMs = performance.now() - started;
      restoreRegistryIndex(snapshot)!.findByNameOrLicence(entries[0]!.name);
      rows.push({
        entries: size,
        latencyMs: latency,
        chunks,
        snapshotMb: Math.round((bytes / 2 ** 20) * 10) / 10,
        calls: recorder.calls.length,
        readMs: Math.round(readMs),
        firstVerificationMs: Math.round(performance.now() - started),
      });
    }
    return rows;
  } finally {
    await store.stop();
  }
}
