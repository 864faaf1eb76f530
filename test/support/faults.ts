/**
 * Store faults and store round-trips, both at the SDK layer: a middleware on the hotline's own document client,
 * so every repository, the registry cache and the outbox see them exactly as they would see DynamoDB's.
 */
import { InternalServerError, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** A small seeded generator (mulberry32): the same faults on every run. */
export function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const STORE_FAULT_KINDS = ['throttled', 'timeout', 'internal'] as const;
export type StoreFaultKind = (typeof STORE_FAULT_KINDS)[number];

/** The errors the SDK hands over once its own retries are spent: throttling, a socket timeout, a 500. */
export function storeFault(kind: StoreFaultKind): Error {
  switch (kind) {
    case 'throttled':
      return new ProvisionedThroughputExceededException({ message: 'injected: throughput exceeded', $metadata: {} });
    case 'internal':
      return new InternalServerError({ message: 'injected: internal server error', $metadata: { httpStatusCode: 500 } });
    case 'timeout':
      return Object.assign(new Error('injected: connection timed out after 1000 ms'), { name: 'TimeoutError' });
  }
}

export interface StoreFaults {
  /** The share of calls that fail; set it to 0 when the faults stop. */
  rate: number;
  /** Failed before the request left (nothing happened) and after the store did the work (the answer was lost). */
  readonly injected: { before: number; after: number } & Record<StoreFaultKind, number>;
  /** Every call the client made while the middleware was installed. */
  readonly calls: number;
}

/**
 * Fails a share of the client's calls. Half of the failures happen before the request is sent; the other half
 * after the store has done the work but before the caller hears of it (a timeout on the way back), which is the
 * case that makes writes run twice.
 */
export function injectStoreFaults(
  client: DynamoDBDocumentClient,
  options: { rate: number; random: () => number; lostResponses?: boolean },
): StoreFaults {
  const state = {
    rate: options.rate,
    calls: 0,
    injected: { before: 0, after: 0, throttled: 0, timeout: 0, internal: 0 },
  };
  const lostResponses = options.lostResponses ?? true;
  const pick = () => STORE_FAULT_KINDS[Math.floor(options.random() * STORE_FAULT_KINDS.length)]!;
  client.middlewareStack.add(
    (next) => async (args) => {
      state.calls++;
      const roll = options.random();
      const kind = pick();
      const share = lostResponses ? state.rate / 2 : state.rate;
      if (roll < share) {
        state.injected.before++;
        state.injected[kind]++;
        throw storeFault(kind);
      }
      const result = await next(args);
      if (lostResponses && roll < state.rate) {
        state.injected.after++;
        state.injected[kind]++;
        throw storeFault(kind);
      }
      return result;
    },
    { step: 'initialize', name: 'injectStoreFaults' },
  );
  return state;
}

// The document client's commands reach the middleware as the low-level ones they marshal to.
const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand']);
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

/** A marshalled string attribute (`{ S: 'CALLER#…' }`) or a plain one. */
const stringOf = (value: unknown) =>
  typeof value === 'string' ? value : typeof (value as { S?: unknown })?.S === 'string' ? (value as { S: string }).S : undefined;

export interface StoreCall {
  command: string;
  kind: 'read' | 'write' | 'other';
  /** The item's partition key prefix (`CALLER`, `OUTMSG`, `REGISTRY`…), to tell what a call was for. */
  item: string;
  /**
   * Which round trip in a row the call is since the last reset: one more than the highest round answered before it
   * was sent. Calls sent side by side share a round; the highest round of a request is its chain of waits.
   */
  round: number;
}

/** Records every call the client sends (one round-trip each: the middleware sits outside the SDK's retries). */
export function recordStoreCalls(client: DynamoDBDocumentClient): { calls: StoreCall[]; reset(): StoreCall[] } {
  let answeredRound = 0;
  // A call still out at a reset (an outbox delivery running on) moves no later request's rounds.
  let generation = 0;
  const recorder = {
    calls: [] as StoreCall[],
    reset() {
      const taken = recorder.calls;
      recorder.calls = [];
      answeredRound = 0;
      generation++;
      return taken;
    },
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String((context as { commandName?: string }).commandName ?? 'unknown');
      const input = args.input as { Key?: { pk?: unknown }; Item?: { pk?: unknown }; ExpressionAttributeValues?: Record<string, unknown> };
      const pk = stringOf(input.Key?.pk) ?? stringOf(input.Item?.pk) ?? stringOf(input.ExpressionAttributeValues?.[':pk']);
      const round = answeredRound + 1;
      const sentIn = generation;
      recorder.calls.push({
        command: command.replace(/Command$/, ''),
        kind: READS.has(command) ? 'read' : WRITES.has(command) ? 'write' : 'other',
        item: pk ? pk.split('#')[0]! : '-',
        round,
      });
      try {
        return await next(args);
      } finally {
        if (sentIn === generation) answeredRound = Math.max(answeredRound, round);
      }
    },
    { step: 'initialize', name: 'recordStoreCalls' },
  );
  return recorder;
}

/** One call to fail: the first `times` calls of `command` on items of `item` (a partition key prefix). */
export interface TargetedFault {
  command: string;
  item: string;
  /** before: the request never left; after: the store did the work and the answer was lost. */
  when: 'before' | 'after';
  kind?: StoreFaultKind;
  times?: number;
}

/** Fails exactly the calls described, for minimal reproductions of one failure path. */
export function injectTargetedFaults(client: DynamoDBDocumentClient): { fail(fault: TargetedFault): void; readonly hits: number } {
  const pending: Array<TargetedFault & { left: number }> = [];
  const state = {
    hits: 0,
    fail(fault: TargetedFault) {
      pending.push({ ...fault, left: fault.times ?? 1 });
    },
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String((context as { commandName?: string }).commandName ?? '').replace(/Command$/, '');
      const input = args.input as { Key?: { pk?: unknown }; Item?: { pk?: unknown } };
      const item = (stringOf(input.Key?.pk) ?? stringOf(input.Item?.pk) ?? '').split('#')[0];
      const fault = pending.find((f) => f.left > 0 && f.command === command && f.item === item);
      if (fault) {
        fault.left--;
        state.hits++;
        if (fault.when === 'before') throw storeFault(fault.kind ?? 'timeout');
        await next(args);
        throw storeFault(fault.kind ?? 'timeout');
      }
      return next(args);
    },
    { step: 'initialize', name: 'injectTargetedFaults' },
  );
  return state;
}
