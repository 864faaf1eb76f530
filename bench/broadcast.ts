/**
 * The broadcast fan-out at scale (issue #18): N subscribers in dynalite, one approved alert fanned out in batches
 * through the outbox's bulk lane (recorded in the table, queued in a collecting queue), then a sample of the queued
 * messages sent through a fake provider by the outbox's own `deliver` (lease, opt-out check, status, counters).
 * Per size: subscribers enqueued per second, messages sent per second, heap growth; the cost per subscriber across
 * sizes shows whether it grows linearly.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { loadWholeConfig } from '../shared/config-sections';
import { LocalNumberVault } from '../shared/crypto';
import { createLogger } from '../shared/log';
import { BulkOutbox } from '../shared/outbox/bulk';
import { deliver, type DeliveryContext } from '../shared/outbox/deliver';
import { Outbox } from '../shared/outbox/outbox';
import { fanOut } from '../shared/outreach/service';
import type { OutboxQueue, QueuedSms, SendResult } from '../shared/ports';
import { createDeps, outreachDeps } from '../shared/services-root';
import { BulkMessageRepository } from '../shared/store/bulk-messages';
import { createDocumentClient, ensureTable } from '../shared/store/client';
import { addStoreLatency } from './store-latency';
import { startStoreThread } from './store-thread';
import { keys } from '../shared/store/keys';
import { round, verdict } from './stats';

/** The target: 100,000 subscribers enqueued at 2,000 or more a second on this machine. */
export const ENQUEUE_TARGET_PER_SECOND = 2000;

const VAULT_SECRET = 'bench-only-number-vault-secret-0123456789';

async function seed(client: ReturnType<typeof createDocumentClient>, tableName: string, vault: LocalNumberVault, count: number) {
  const at = new Date().toISOString();
  for (let start = 0; start < count; start += 25) {
    const items = await Promise.all(
      Array.from({ length: Math.min(25, count - start) }, async (_, i) => {
        const n = start + i;
        const key = `bench-${String(n).padStart(7, '0')}`;
        const lang = (['tg', 'ru', 'en'] as const)[n % 3]!;
        return {
          PutRequest: {
            Item: {
              ...keys.subscription(key),
              key,
              lang,
              status: 'active',
              topics: ['scam_alerts'],
              consent: { at, channel: 'ussd', action: 'opt_in', topics: ['scam_alerts'], lang },
              sealedNumber: await vault.encrypt(`+9929${String(n).padStart(8, '0')}`),
              callingCode: '+992',
            },
          },
        };
      }),
    );
    let pending = items as NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string];
    while (pending.length > 0) {
      const { UnprocessedItems } = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = UnprocessedItems?.[tableName] ?? [];
    }
  }
}

/**
 * The baseline, measured in the same run against the same store: `count` items of the fan-out's shape written 25 to
 * a BatchWriteItem call, one call at a time, with nothing else (no reading, no opening, no queue).
 */
async function storeFloorSeconds(client: ReturnType<typeof createDocumentClient>, tableName: string, count: number): Promise<number> {
  const at = new Date().toISOString();
  const started = performance.now();
  for (let start = 0; start < count; start += 25) {
    let pending: NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string] = Array.from({ length: Math.min(25, count - start) }, (_, i) => {
      const id = `floor-${start + i}`;
      return { PutRequest: { Item: { ...keys.outboundMessage(id), id, toKey: `k${start + i}`, toLast4: '0000', createdAt: at, broadcastId: 'floor', status: 'queued', attempts: 0, updatedAt: at, expiresAt: 0 } } };
    });
    while (pending.length > 0) {
      const { UnprocessedItems } = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = UnprocessedItems?.[tableName] ?? [];
    }
  }
  return (performance.now() - started) / 1000;
}

export interface BroadcastRow {
  subscribers: number;
  /** Added to every store call (0: the local store as it is). */
  latencyMs: number;
  /** The same number of items written alone, 25 to a call, one call at a time (the baseline, same run, same store). */
  floorSeconds: number;
  fanOutSeconds: number;
  /** Fan-out time ÷ the baseline's. */
  ratioToFloor: number;
  enqueuedPerSecond: number;
  microsPerSubscriber: number;
  heapGrowthMb: number;
  sentSample: number;
  sentPerSecond: number;
  verdict: string;
}

/** `run` CPU-profiled into `dir` (`fan-out-<label>.cpuprofile`), or just run when no directory is given. */
async function profiled<T>(dir: string | undefined, label: string, run: () => Promise<T>): Promise<T> {
  if (!dir) return run();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await run();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(join(dir, `fan-out-${label}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

/** One run: `size` subscribers; `latencyMs` added to every store call after seeding (a network, as on AWS). */
export interface BroadcastRun {
  size: number;
  latencyMs: number;
  /** Run, but not reported: the first fan-out of a process also pays for compiling its code. */
  warmUp?: boolean;
}

export async function benchmarkBroadcast(runs: readonly BroadcastRun[], sendSample: number, profileDir?: string): Promise<BroadcastRow[]> {
  const rows: BroadcastRow[] = [];
  for (const { size, latencyMs, warmUp } of runs) {
    const store = await startStoreThread();
    const { endpoint } = store;
    try {
      const config = loadWholeConfig({ AWS_ENDPOINT_URL_DYNAMODB: endpoint, TABLE_NAME: 'bench-broadcast', BROADCAST_QUIET_HOURS: '', BROADCAST_BATCH_SIZE: '500' });
      const deps = createDeps(config, createLogger('bench', () => undefined));
      await ensureTable(deps.db, config.tableName);
      const vault = new LocalNumberVault(VAULT_SECRET);
      await seed(deps.db, config.tableName, vault, size);
      const queued: QueuedSms[] = [];
      const collecting: OutboxQueue = { enqueue: async (m) => void queued.push(m), enqueueMany: async (ms) => void queued.push(...ms) };
      const campaigns = outreachDeps(deps, new Outbox(deps.messages, collecting, deps.callerKey), vault);
      campaigns.bulk = new BulkOutbox(new BulkMessageRepository(deps.db, config.tableName, deps.messages), collecting);
      const at = new Date().toISOString();
      const broadcast = {
        id: `bench-${size}`,
        kind: 'alert' as const,
        title: 'bench',
        texts: { tg: 'SafeJob ФИРЕБ: bench', ru: 'SafeJob ОБМАН: bench', en: 'SafeJob SCAM ALERT: bench' },
        segment: { topic: 'scam_alerts' as const },
        status: 'approved' as const,
        notBefore: at,
        createdAt: at,
        createdBy: { key: 'a', name: 'A' },
      };
      await campaigns.alerts.putBroadcast(broadcast);
      if (latencyMs > 0) addStoreLatency(deps.db, () => latencyMs);
      const floorSeconds = await storeFloorSeconds(deps.db, config.tableName, size);
      global.gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      const started = performance.now();
      const count = await profiled(profileDir, `${size}-${latencyMs}ms`, () => fanOut(campaigns, broadcast));
      const seconds = (performance.now() - started) / 1000;
      const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
      if (count !== size) throw new Error(`fanned out ${count} of ${size}`);
      // Sending: the outbox's own delivery, through a fake provider that takes every message.
      const fake = { provider: 'local' as const, send: async (): Promise<SendResult> => ({ ok: true, providerMessageId: `fake-${Math.random().toString(36).slice(2)}` }) };
      const context: DeliveryContext = { senders: {}, fallback: fake, routes: [], messages: deps.messages, maxAttempts: 3, log: deps.log, subscribers: campaigns.subscriptions };
      const sample = queued.slice(0, Math.min(sendSample, queued.length));
      const sendStarted = performance.now();
      for (let i = 0; i < sample.length; i += 20) await Promise.all(sample.slice(i, i + 20).map((m) => deliver(context, m, 1)));
      const sendSeconds = (performance.now() - sendStarted) / 1000;
      const enqueuedPerSecond = Math.round(size / seconds);
      if (warmUp) continue;
      rows.push({
        subscribers: size,
        latencyMs,
        floorSeconds: round(floorSeconds),
        fanOutSeconds: round(seconds),
        ratioToFloor: round(seconds / floorSeconds),
        enqueuedPerSecond,
        microsPerSubscriber: Math.round((seconds * 1e6) / size),
        heapGrowthMb: round(heapGrowthMb, 1),
        sentSample: sample.length,
        sentPerSecond: Math.round(sample.length / sendSeconds),
        verdict: size >= 100_000 && latencyMs === 0 ? verdict(enqueuedPerSecond >= ENQUEUE_TARGET_PER_SECOND) : '-',
      });
    } finally {
      await store.stop();
    }
  }
  return rows;
}
