/**
 * The registry index built once per registry version: a snapshot made at import, stored in chunks under its
 * version, restored by a container instead of building the index from the entries.
 */
import { readFileSync } from 'node:fs';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegistryIndex, registrySnapshot, restoreRegistryIndex, type RegistryEntry } from '../shared/domain/registry';
import { RegistryCache } from '../shared/registry/cache';
import { parseRegistryCsv } from '../shared/registry/csv';
import { collections, keys } from '../shared/store/keys';
import { queryCollection } from '../shared/store/query';
import { RegistryRepository } from '../shared/store/registry';
import { startTestStore, type TestStore } from './support/dynalite';
import { createActiveTable } from './support/tables';

const parsed = parseRegistryCsv(readFileSync(new URL('../data/registry.sample.csv', import.meta.url), 'utf8'));
if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
const sample = parsed.entries;

/** Queries as callers type them: every name and alias, misspelt, in the other script, licence numbers, nonsense. */
const queries = [
  ...sample.flatMap((entry) => [entry.name, ...entry.aliases, entry.name.toUpperCase(), entry.name.slice(1), entry.licenceNumber ?? '']),
  'Concordai', 'Фрутфул Джобс', 'Global Visa Service', 'agri hr llc', 'zzz', '',
];

let store: TestStore;
let tables = 0;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(async () => store.close());

async function freshRegistry(chunkBytes?: number) {
  const tableName = `registry-snapshot-${++tables}`;
  await createActiveTable(store.client, tableName);
  return { tableName, repo: new RegistryRepository(store.client, tableName, chunkBytes) };
}

describe('the registry index snapshot', () => {
  it('restores, from its bytes, to an index that answers every lookup as the built one does', () => {
    const built = buildRegistryIndex(sample);
    // Copied at an odd offset, as a buffer read from the store may lie: the typed arrays must still be read.
    const bytes = registrySnapshot(sample);
    const shifted = new Uint8Array(bytes.length + 1).fill(7);
    shifted.set(bytes, 1);
    const restored = restoreRegistryIndex(shifted.subarray(1))!;
    expect(restored.size).toBe(built.size);
    for (const query of queries) expect(restored.findByNameOrLicence(query)).toEqual(built.findByNameOrLicence(query));
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (query) => {
        expect(restored.findByNameOrLicence(query)).toEqual(built.findByNameOrLicence(query));
      }),
    );
    for (const entry of sample) {
      expect(restored.get(entry.id)).toEqual(entry);
      for (const phone of entry.phones) expect(restored.findContact('phone', phone)).toEqual(built.findContact('phone', phone));
      for (const site of entry.websites) expect(restored.findContact('website', site)).toEqual(built.findContact('website', site));
    }
  });

  it('is stored at import under the registry version, in chunks, and replaces the older version’s', async () => {
    const { repo, tableName } = await freshRegistry(1_000);
    await repo.putEntries(sample.slice(0, 5));
    expect(await repo.saveIndex()).toMatchObject({ version: 1 });
    await repo.putEntries(sample);
    const saved = await repo.saveIndex();
    expect(saved).toMatchObject({ version: 2 });
    expect(saved!.chunks).toBeGreaterThan(1);
    expect(await repo.loadIndex(1)).toBeUndefined();
    const restored = restoreRegistryIndex((await repo.loadIndex(2))!)!;
    const built = buildRegistryIndex(await repo.loadAll());
    for (const query of queries) expect(restored.findByNameOrLicence(query)).toEqual(built.findByNameOrLicence(query));
    const chunks: unknown[] = [];
    for await (const item of queryCollection(store.client, tableName, collections.registryIndex())) chunks.push(item.sk);
    expect(chunks).toHaveLength(saved!.chunks);
    // The index items are not entries.
    expect(await repo.loadAll()).toHaveLength(sample.length);
  });

  it('is not restored when a chunk is missing', async () => {
    const { repo, tableName } = await freshRegistry(1_000);
    await repo.putEntries(sample);
    const saved = (await repo.saveIndex())!;
    await store.client.send(new DeleteCommand({ TableName: tableName, Key: keys.registryIndexChunk(saved.version, 1) }));
    expect(await repo.loadIndex(saved.version)).toBeUndefined();
  });

  it('spares a container the entries: the cache restores the stored index, and builds one only without it', async () => {
    const { repo } = await freshRegistry();
    await repo.putEntries(sample);
    let entriesRead = 0;
    const source = {
      getVersion: () => repo.getVersion(),
      loadAll: (): Promise<RegistryEntry[]> => (entriesRead++, repo.loadAll()),
      loadIndex: (version: number) => repo.loadIndex(version),
    };
    const builds: string[] = [];
    const onBuild = (version: number, reason: string) => builds.push(`${version}: ${reason}`);
    // No index stored yet: built from the entries, and said so.
    expect((await new RegistryCache(source, { onBuild }).get()).findByNameOrLicence('Concordai')).toMatchObject({ kind: 'one' });
    expect(entriesRead).toBe(1);
    expect(builds).toEqual(['1: no complete snapshot stored']);
    await repo.saveIndex();
    expect((await new RegistryCache(source, { onBuild }).get()).findByNameOrLicence('Concordai')).toMatchObject({ kind: 'one' });
    expect(entriesRead).toBe(1);
    // A snapshot of another format (an older deployment's) or one that cannot be read: built, and said so.
    const older = { ...source, loadIndex: async () => new TextEncoder().encode('{"format":1}') };
    expect((await new RegistryCache(older, { onBuild }).get()).size).toBe(sample.length);
    const failing = { ...source, loadIndex: () => Promise.reject(new Error('incorrect header check')) };
    expect((await new RegistryCache(failing, { onBuild }).get()).size).toBe(sample.length);
    expect(entriesRead).toBe(3);
    expect(builds.slice(1)).toEqual(['1: snapshot of another format or cut short', '1: snapshot unreadable: incorrect header check']);
  });
});
