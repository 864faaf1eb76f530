import { readFileSync } from 'node:fs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RegistryEntry } from '../shared/domain/registry';
import { RegistryCache, type RegistrySource } from '../shared/registry/cache';
import { parseRegistryCsv } from '../shared/registry/csv';
import { keys } from '../shared/store/keys';
import { RegistryRepository } from '../shared/store/registry';
import { startTestStore, type TestStore } from './support/dynalite';
import { createActiveTable } from './support/tables';

const parsed = parseRegistryCsv(readFileSync(new URL('../data/registry.sample.csv', import.meta.url), 'utf8'));
if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
const sample = parsed.entries;
const byId = (entries: RegistryEntry[]) => [...entries].sort((a, b) => a.id.localeCompare(b.id));
const revoke = (entry: RegistryEntry): RegistryEntry => ({ ...entry, status: 'revoked' });

let store: TestStore;
let tables = 0;
let tableName: string;
let repo: RegistryRepository;

beforeAll(async () => {
  store = await startTestStore();
});
afterAll(async () => store.close());
beforeEach(async () => {
  // A fresh table per test: the registry is one partition, so tests would otherwise see each other's entries.
  tableName = `registry-test-${++tables}`;
  await createActiveTable(store.client, tableName);
  repo = new RegistryRepository(store.client, tableName);
});

const outcomes = (result: Awaited<ReturnType<RegistryRepository['putEntries']>>) =>
  result.outcomes.map(({ entry, outcome }) => [entry.name, outcome]);

describe('importing into the registry', () => {
  it('adds every entry of a first import and bumps the version once', async () => {
    expect(await repo.getVersion()).toBe(0);
    const result = await repo.putEntries(sample);
    expect(result.outcomes.every(({ outcome }) => outcome === 'added')).toBe(true);
    expect(result.outcomes).toHaveLength(22);
    expect(result.version).toBe(1);
    expect(result.notInBatch).toEqual([]);
    expect(byId(await repo.loadAll())).toEqual(byId(sample));
  });

  it('keeps entries under the documented keys', async () => {
    await repo.putEntries(sample);
    const { Item } = await store.client.send(
      new GetCommand({ TableName: tableName, Key: keys.registryEntry('L:SAMPLETJ0001') }),
    );
    expect(Item).toMatchObject({ pk: 'REGISTRY', sk: 'ENTRY#L:SAMPLETJ0001', name: 'Ширкати Ҷаҳонгир Сафар (SAMPLE)' });
  });

  it('writes nothing and keeps the version when the same file is imported again', async () => {
    await repo.putEntries(sample);
    const send = vi.spyOn(store.client, 'send');
    try {
      const again = await repo.putEntries(sample);
      expect(again.outcomes.every(({ outcome }) => outcome === 'unchanged')).toBe(true);
      expect(again.version).toBe(1);
      expect(send.mock.calls.filter(([command]) => !isRead(command))).toEqual([]);
    } finally {
      send.mockRestore();
    }
  });

  it('updates a changed entry in place, adds a new one and bumps the version', async () => {
    await repo.putEntries(sample);
    const [first, ...rest] = sample;
    const added: RegistryEntry = { ...first!, id: 'L:NEW1', name: 'New Agency (SAMPLE)', licenceNumber: 'NEW-1' };
    const result = await repo.putEntries([revoke(first!), ...rest, added]);
    expect(outcomes(result).filter(([, outcome]) => outcome !== 'unchanged')).toEqual([
      [first!.name, 'updated'],
      ['New Agency (SAMPLE)', 'added'],
    ]);
    expect(result.version).toBe(2);
    const stored = await repo.loadAll();
    expect(stored).toHaveLength(23);
    expect(stored.find((entry) => entry.id === first!.id)?.status).toBe('revoked');
  });

  it('leaves stored entries that the file does not mention, and says which', async () => {
    await repo.putEntries(sample);
    const result = await repo.putEntries(sample.slice(1));
    expect(result.notInBatch).toEqual([{ id: sample[0]!.id, name: sample[0]!.name }]);
    expect(result.version).toBe(1);
    expect(await repo.loadAll()).toHaveLength(22);
  });

  it('loads a registry larger than one query page', async () => {
    // A query page is at most 1 MB: 24 entries of 50 KB fill more than one, in few writes.
    const padding = 'x'.repeat(50_000);
    const many = Array.from({ length: 24 }, (_, i) => ({
      ...sample[0]!,
      id: `L:MANY${i}`,
      licenceNumber: `MANY-${i}`,
      source: `${padding} ${i}`,
    }));
    await repo.putEntries(many);
    const send = vi.spyOn(store.client, 'send');
    try {
      expect(byId(await repo.loadAll())).toEqual(byId(many));
      expect(send.mock.calls.length).toBeGreaterThan(1);
    } finally {
      send.mockRestore();
    }
  });

  it('detects an entry changed by someone else during the import, and still tells the caches', async () => {
    await repo.putEntries(sample);
    const send = store.client.send.bind(store.client);
    const spy = vi.spyOn(store.client, 'send').mockImplementationOnce((async (command: unknown) => {
      // The storedHashes query of this import has run; another import now changes the entry first.
      const result = await send(command as never);
      await new RegistryRepository(store.client, tableName).putEntries([{ ...sample[0]!, source: 'other import' }]);
      return result;
    }) as never);
    try {
      await expect(repo.putEntries([revoke(sample[0]!), revoke(sample[1]!)])).rejects.toThrow(
        `Registry entry ${sample[0]!.id} changed during this import (another import?); run it again`,
      );
    } finally {
      spy.mockRestore();
    }
    expect(await repo.getVersion()).toBe(3); // the other import, then this one's write of sample[1]
  });

  it('refuses a batch that holds an entry twice', async () => {
    await expect(repo.putEntries([sample[0]!, sample[0]!])).rejects.toThrow('The batch holds an entry id twice');
  });

  it('refuses to load an item that is not a valid entry', async () => {
    await store.client.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.registryEntry('L:BROKEN'), id: 'L:BROKEN', kind: 'bank' },
      }),
    );
    await expect(repo.loadAll()).rejects.toThrow('Registry item ENTRY#L:BROKEN is not a valid entry');
  });
});

describe('the per-container registry cache', () => {
  it('reads nothing between checks, and rebuilds the index once the version has changed', async () => {
    await repo.putEntries(sample);
    let now = Date.UTC(2026, 0, 1);
    const cache = new RegistryCache(repo, { checkEverySeconds: 30, now: () => now });
    const first = await cache.get();
    expect(first.findByNameOrLicence('SAMPLE-TJ-0001')).toMatchObject({ kind: 'one', entry: { status: 'valid' } });

    const send = vi.spyOn(store.client, 'send');
    try {
      now += 29_000;
      expect(await cache.get()).toBe(first);
      expect(send).not.toHaveBeenCalled();

      now += 1_000; // a check: the version is read, nothing changed, the index is kept
      expect(await cache.get()).toBe(first);
      expect(send).toHaveBeenCalledTimes(1);

      await repo.putEntries([revoke(sample[8]!), ...sample.slice(9)]);
      send.mockClear();
      now += 10_000; // an import landed, but the next check is not due yet
      expect(await cache.get()).toBe(first);
      expect(send).not.toHaveBeenCalled();

      now += 20_000;
      const refreshed = await cache.get();
      expect(refreshed).not.toBe(first);
      expect(refreshed.findByNameOrLicence('SAMPLE-TJ-0001')).toMatchObject({
        kind: 'one',
        entry: { status: 'revoked' },
      });
    } finally {
      send.mockRestore();
    }
  });
});

describe('the registry cache when the store fails', () => {
  function fakeSource(): RegistrySource & { fail: boolean; loads: number } {
    return {
      fail: false,
      loads: 0,
      async getVersion() {
        if (this.fail) throw new Error('store down');
        return 1;
      },
      async loadAll() {
        this.loads++;
        return sample;
      },
    };
  }

  it('keeps answering from the last index, and tries again at the next check', async () => {
    const source = fakeSource();
    let now = 0;
    const errors: unknown[] = [];
    const cache = new RegistryCache(source, { now: () => now, onRefreshError: (error) => errors.push(error) });
    const index = await cache.get();
    source.fail = true;
    now += 30_000;
    expect(await cache.get()).toBe(index);
    expect(errors).toEqual([new Error('store down')]);
    expect(await cache.get()).toBe(index);
    expect(errors).toHaveLength(1);
    source.fail = false;
    now += 30_000;
    expect(await cache.get()).toBe(index);
    expect(source.loads).toBe(1);
  });

  it('fails the first lookup when there is no index yet, and loads once for concurrent lookups', async () => {
    const source = fakeSource();
    source.fail = true;
    const cache = new RegistryCache(source);
    await expect(cache.get()).rejects.toThrow('store down');
    source.fail = false;
    const [a, b] = await Promise.all([cache.get(), cache.get()]);
    expect(a).toBe(b);
    expect(source.loads).toBe(1);
  });
});

function isRead(command: unknown): boolean {
  return ['GetCommand', 'QueryCommand'].includes((command as object).constructor.name);
}
