/**
 * The hotline under benchmark, in its own process (so that the load generator does not share its event loop):
 * `startLocalHotline` exactly as `npm start` runs it, on a free port, with dynalite on a free port, the sample data
 * seeded and a synthetic registry of REGISTRY_ENTRIES more entries imported. Every store call is recorded by a
 * middleware on the hotline's own document client. The parent talks to it over IPC:
 *   → { type: 'calls' }   ← { type: 'calls', calls }   (and resets the record)
 *   → { type: 'drain' }   ← { type: 'drained' }        (the local outbox has sent everything queued)
 *   → { type: 'store', caller } ← { type: 'store', ms } (store calls through the SDK and raw, and /health, timed here)
 *   → { type: 'latency', ms } ← { type: 'latency' }    (every store call from now on `ms` later, as across a network)
 *   → { type: 'hold', on } ← { type: 'held' }         (replies queued from now on wait, untouched, until `on: false`)
 *   → { type: 'stop' }                                 (stops and exits)
 *   ← { type: 'ready', url, entries, importMs } once it serves.
 */
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalHotline } from '../infra/local';
import { benchEnvSchema, readEnvironment } from '../shared/config';
import { RegistryRepository } from '../shared/store/registry';
import { recordStoreCalls } from '../test/support/faults';
import { random, syntheticRegistry } from './registry';
import { measureStoreCalls } from './store-calls';
import { addStoreLatency } from './store-latency';

const ENTRIES = benchEnvSchema.parse(readEnvironment()).REGISTRY_ENTRIES;
const TABLE_NAME = 'safejob-bench';
const journal = join(tmpdir(), `safejob-bench-journal-${process.pid}.jsonl`);

const send = (message: unknown) => process.send?.(message);

async function main() {
  // Only what the benchmark means: no provider credentials from the caller's shell, in-memory dynalite.
  const hotline = await startLocalHotline({
    PORT: '0',
    AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:0',
    TABLE_NAME,
    SEED_SAMPLE_DATA: 'true',
    REPORT_JOURNAL_PATH: journal,
    // Benchmark traffic comes from few numbers; the flood limit would otherwise answer it with silence.
    SMS_RATE_LIMIT_PER_HOUR: '100000000',
  });
  const started = performance.now();
  const registry = new RegistryRepository(hotline.deps.db, TABLE_NAME);
  await registry.putEntries(syntheticRegistry(ENTRIES, random(ENTRIES)));
  // As `npm run registry:import` does: the index is built and stored once, and the server restores it.
  await registry.saveIndex();
  const importMs = Math.round(performance.now() - started);
  const recorder = recordStoreCalls(hotline.deps.db);
  // Set by the network pass (bench/http.ts measureAcrossNetwork); no middleware until then.
  let storeLatencyMs: number | undefined;
  let release: (() => void) | undefined;

  process.on('message', (message: { type: string; caller?: string }) => {
    void (async () => {
      if (message.type === 'calls') send({ type: 'calls', calls: recorder.reset() });
      if (message.type === 'drain') {
        await hotline.deps.localQueue.drain();
        send({ type: 'drained' });
      }
      if (message.type === 'store') send({ type: 'store', ms: await measureStoreCalls(hotline, message.caller!) });
      if (message.type === 'latency') {
        if (storeLatencyMs === undefined) addStoreLatency(hotline.deps.db, () => storeLatencyMs ?? 0);
        storeLatencyMs = (message as { ms?: number }).ms ?? 0;
        send({ type: 'latency' });
      }
      if (message.type === 'hold') {
        release?.();
        release = (message as { on?: boolean }).on ? hotline.deps.localQueue.hold() : undefined;
        send({ type: 'held' });
      }
      if (message.type === 'stop') {
        await hotline.stop();
        await rm(journal, { force: true });
        process.exit(0);
      }
    })();
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', url: hotline.url.replace('localhost', '127.0.0.1'), entries: ENTRIES, importMs });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
