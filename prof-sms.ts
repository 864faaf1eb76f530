import { startTestStore } from './test/support/dynalite';
import { testHotline } from './test/support/hotline';
import { atSms } from './test/support/webhooks';
import { RegistryRepository } from './shared/store/registry';
import { random, syntheticRegistry } from './bench/registry';
const entries = syntheticRegistry(10_000, random(10_000));
const store = await startTestStore('prof');
await new RegistryRepository(store.client, store.tableName).putEntries(entries);
const hotline = testHotline(store, { STORE_REQUEST_TIMEOUT_MS: '60000', WEBHOOK_STORE_BUDGET_MS: '60000', SMS_RATE_LIMIT_PER_HOUR: '100000000' });
const senders = Array.from({ length: 50 }, (_, i) => `+9929100${String(i).padStart(5, '0')}`);
let n = 0;
let paused = 0;
const check = (k: number) => atSms(hotline, `check-${n++}`, senders[k % 50]!, `CHECK ${entries[(k * 104_729) % entries.length]!.name}`);
for (let k = 0; k < 200; k++) await check(k);
await hotline.deps.localQueue.drain();
for (const mode of ['with delivery', 'delivery after']) {
  const t0 = performance.now();
  for (let k = 0; k < 600; k++) {
    await check(k);
    if (mode === 'delivery after') { const t1 = performance.now(); await hotline.deps.localQueue.drain(); paused += performance.now() - t1; }
  }
  console.log(mode, ((performance.now() - t0 - paused) / 600).toFixed(3), 'ms per CHECK (excluding drains)');
  paused = 0;
  await hotline.deps.localQueue.drain();
}

const queue = hotline.deps.localQueue as unknown as { start: (m: unknown) => void };
const start = queue.start.bind(queue);
const parked: unknown[] = [];
queue.start = (m) => { parked.push(m); };
for (let round = 0; round < 2; round++) {
  const t0 = performance.now();
  for (let k = 0; k < 600; k++) await check(k);
  console.log('webhook alone (delivery parked)', ((performance.now() - t0) / 600).toFixed(3), 'ms', parked.length);
}
queue.start = start;
for (const m of parked.splice(0)) start(m);
await hotline.deps.localQueue.drain();
await store.close();
