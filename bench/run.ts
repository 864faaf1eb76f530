/**
 * `npm run bench`: every benchmark, printed as tables and written to bench/results.json (gitignored). Every figure
 * is given with a baseline measured in the same run on the same machine, and the machine is printed. Timings belong
 * here, never in tests.
 *
 *   BENCH_ONLY=registry,bundles,http,growth   run only some parts (growth, bench/growth.ts, is not in the default)
 *   BENCH_SECONDS=10                   autocannon duration of the USSD throughput run
 *   BENCH_SUBSCRIBERS=1000,10000,100000   broadcast fan-out sizes (1×, 10×, 100×)
 *   BENCH_PROFILE_DIR=/tmp/prof           CPU profile of each fan-out (open in Chrome DevTools)
 */
import { writeFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchEnvSchema, readEnvironment } from '../shared/config';
import { BUDGET, measureBundles, sizeBudgetKb } from './bundles';
import { firstWrong, measureAcrossNetwork, measureLatency, measureRoundTrips, measureStoreCalls, measureThroughput, REGISTRY_ENTRIES, shareSentence, splitLatency, startBenchServer } from './http';
import { benchmarkRegistry, benchmarkStoredSnapshot } from './registry';
import { benchmarkBroadcast, ENQUEUE_TARGET_PER_SECOND } from './broadcast';
import { benchmarkGrowth } from './growth';
import { machine, round } from './stats';

/** A store call's latency in the network pass: DynamoDB from a Lambda in the same region takes a few ms a call. */
const NETWORK_LATENCY_MS = 5;

/** The baseline's p50 over the whole latency run (each kind measured its own, interleaved). */
const summaryOfBaselines = (rows: { baselineP50Ms: number }[]) => rows.map((r) => r.baselineP50Ms).sort((a, b) => a - b)[Math.floor(rows.length / 2)]!;

const {
  BENCH_ONLY: only,
  BENCH_SECONDS: seconds,
  BENCH_SUBSCRIBERS: subscriberSizes,
  BENCH_SEND_SAMPLE: sendSample,
  BENCH_PROFILE_DIR: profileDir,
} = benchEnvSchema.parse(readEnvironment());
const results: Record<string, unknown> = { date: new Date().toISOString(), machine: machine() };
const targets: { target: string; measured: string; verdict: string }[] = [];

const m = results.machine as ReturnType<typeof machine>;
console.log(`SafeJob Hotline benchmark — ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, Node ${m.node}, ${m.os}\n`);

if (only.has('http')) {
  console.log(`Starting the local hotline (dynalite, sample data + ${REGISTRY_ENTRIES.toLocaleString('en')} synthetic registry entries)…`);
  const server = await startBenchServer();
  try {
    console.log(`  registry import: ${server.importMs} ms\n`);
    const latency = await measureLatency(server);
    console.log('Latency through the full local HTTP stack, one request at a time, each kind interleaved with GET /health of the same server (baseline)');
    console.table(latency);
    for (const [kind, body] of firstWrong) console.log(`  wrong answer (${kind}): ${JSON.stringify(body)}`);
    const baselineP50 = summaryOfBaselines(latency);
    const store = await measureStoreCalls(server, baselineP50);
    console.log(
      "Store calls timed inside the server, where its own calls are made (dynalite runs in the same process), interleaved with each other and with GET /health from there; raw = the local store, SDK − raw = the SDK's own CPU",
    );
    console.table(store.rows);
    console.log(
      `  the SDK's own CPU per call: GetItem ${round(store.p50.getSdk - store.p50.getRaw, 3)} ms, UpdateItem ${round(store.p50.updateSdk - store.p50.updateRaw, 3)} ms\n`,
    );
    results.storeCalls = store.rows;
    for (const row of latency.filter((r) => r.verdict !== '-')) {
      targets.push({ target: `${row.request}: p50 ${row.target} baseline`, measured: `${row.p50Ratio}× (${row.p50Ms} ms vs ${row.baselineP50Ms} ms)`, verdict: row.verdict });
    }

    const trips = await measureRoundTrips(server);
    console.log('DynamoDB round-trips per request (median of 20; the outbox delivery after the reply counted apart)');
    console.table(trips);
    for (const row of trips.filter((r) => r.verdict !== '-')) {
      targets.push({ target: `${row.request}: ${row.target}`, measured: `${row.reads} reads, ${row.writes} writes, ${row.rounds} rounds`, verdict: row.verdict });
    }

    const shares = await splitLatency(server, latency, store.p50);
    console.log(
      "Each store-calling row's p50 ratio split (units of its baseline): the form POST floor; its store calls (median of 20) × the raw POST " +
        '(dynalite; writes priced as the UpdateItem); × (SDK − raw) (the SDK); the rest (ours). Calls side by side count in full: one thread',
    );
    console.table(shares);
    for (const row of shares) console.log(`  ${shareSentence(row)}`);
    console.log('');
    results.latencyShares = shares;

    const network = await measureAcrossNetwork(server, NETWORK_LATENCY_MS);
    console.log(
      `Across a network: every store call ${NETWORK_LATENCY_MS} ms later (as DynamoDB from a Lambda), alternating with the local store; ` +
        'waits = the time added in calls\' latencies, i.e. the rounds of store calls waited on one after another',
    );
    console.table(network);

    const throughput = await measureThroughput(server, seconds);
    console.log(`Throughput (autocannon, ${seconds} s, 50 connections to 127.0.0.1)`);
    console.table(throughput);
    Object.assign(results, { latency, roundTrips: trips, network, throughput, registryImportMs: server.importMs });
  } finally {
    await server.stop();
  }
}

if (only.has('registry')) {
  const registry = benchmarkRegistry();
  console.log('Registry lookup alone (findByNameOrLicence): synthetic registry, 2,000 mixed queries per size');
  console.table(registry);
  const storedSnapshot = await benchmarkStoredSnapshot();
  console.log("A fresh container's first verification at 100,000 entries, its snapshot read from the store (dynalite in its own thread; then every call 5 ms later)");
  console.table(storedSnapshot);
  Object.assign(results, { registry, storedSnapshot });
}

if (only.has('growth')) {
  const growth = await benchmarkGrowth();
  console.log('Costs that grow with the data, at 1×, 10× and 100× (dynalite; ratio: p50 against the 1× row)');
  console.table(growth);
  results.growth = growth;
}

if (only.has('bundles')) {
  const bundles = await measureBundles();
  console.log('Function bundles as the stack builds them (infra/bundling.ts: esm, node22, minified, charset utf8, @aws-sdk/* external, each its own texts as data files beside the code) vs a bare Hono bundle; cold import in a fresh node, median of 7');
  console.table(bundles);
  for (const row of bundles.filter((r) => r.verdict !== '-')) {
    targets.push({
      target: `${row.bundle}: ≤ ${sizeBudgetKb(row.bundle.replace('functions/', ''))} KB and ≤ ${BUDGET.initRatio}× baseline import (its AWS SDK clients loaded)`,
      measured: `${row.jsKb} KB of JS, ${row.ownImportRatio}× (${row.ownImportMs} ms vs ${bundles[0]!.ownImportMs} ms)`,
      verdict: row.verdict,
    });
  }
  results.bundles = bundles;
}

if (only.has('broadcast')) {
  // Linear growth: the sizes at the store as it is; then the largest but one across a 5 ms network, where writing
  // a few batches at once (and reading the next while writing) is what keeps the rate up.
  const across = subscriberSizes.at(-2) ?? subscriberSizes[0]!;
  const broadcast = await benchmarkBroadcast([{ size: 1000, latencyMs: 0, warmUp: true }, ...subscriberSizes.map((size) => ({ size, latencyMs: 0 })), { size: across, latencyMs: 5 }], sendSample, profileDir);
  console.log(
    'Broadcast fan-out (dynalite in its own thread, batches of 500: recorded in the table and queued in the bulk lane), then a ' +
      'sample sent through a fake provider by the outbox itself; µs per subscriber flat across sizes = linear growth; floor: the ' +
      'same number of items written 25 to a call, one call at a time, to the same store in the same run (the baseline)',
  );
  console.table(broadcast);
  for (const row of broadcast.filter((r) => r.verdict !== '-')) {
    targets.push({ target: `${row.subscribers} subscribers enqueued ≥ ${ENQUEUE_TARGET_PER_SECOND}/s`, measured: `${row.enqueuedPerSecond}/s`, verdict: row.verdict });
  }
  results.broadcast = broadcast;
}

if (targets.length > 0) {
  console.log('Targets');
  console.table(targets);
}
results.targets = targets;

const out = join(dirname(fileURLToPath(import.meta.url)), 'results.json');
await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`Written to ${out}`);
