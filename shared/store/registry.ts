import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { registryEntrySchema, registrySnapshot, type RegistryEntry, type RegistrySnapshot } from '../domain/registry';
import { collections, keys } from './keys';
import { queryCollection } from './query';

export type PutOutcome = 'added' | 'updated' | 'unchanged';

export interface PutEntriesResult {
  outcomes: Array<{ entry: RegistryEntry; outcome: PutOutcome }>;
  /** Stored entries the batch did not mention: an import never deletes, so they stay as they are. */
  notInBatch: Array<{ id: string; name: string }>;
  /** The registry version after the batch: unchanged unless something was added or updated. */
  version: number;
}

/** Bytes of gzipped index per item: under DynamoDB's 400 KB item limit with room for the key. */
const INDEX_CHUNK_BYTES = 350_000;

/** Writes at once: enough to load a large file quickly, few enough not to be throttled on demand capacity. */
const WRITE_CONCURRENCY = 16;

/** A digest of an entry's content, independent of property order, to tell an update from an unchanged entry. */
export function contentHash(entry: RegistryEntry): string {
  const canonical = JSON.stringify(entry, Object.keys(entry).sort());
  return createHash('sha256').update(canonical).digest('base64url');
}

/**
 * The licence registry in the single table: every entry in one partition, so that loading it all is one paginated
 * query, and a version item that changes whenever any entry does, so that caches know when to reload.
 */
export class RegistryRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Bytes of gzipped index per item (tests make it small to see several chunks). */
    private readonly indexChunkBytes = INDEX_CHUNK_BYTES,
  ) {}

  /**
   * Adds new entries and updates changed ones in place (by id); entries whose content is the same are not
   * written. Each write is conditional on what was read, so a concurrent import is detected, not overwritten.
   */
  async putEntries(entries: readonly RegistryEntry[], now: Date = new Date()): Promise<PutEntriesResult> {
    const { outcomes, notInBatch } = await this.compare(entries);
    const pending = outcomes.filter(({ outcome }) => outcome !== 'unchanged');
    let written = 0;
    let failure: { reason: unknown } | undefined;
    for (let i = 0; i < pending.length && !failure; i += WRITE_CONCURRENCY) {
      const results = await Promise.allSettled(
        pending.slice(i, i + WRITE_CONCURRENCY).map((p) => this.writeEntry(p.entry, p.hash, p.previousHash, now)),
      );
      written += results.filter((result) => result.status === 'fulfilled').length;
      failure = results.find((result) => result.status === 'rejected');
    }
    // Even when a write failed, the ones that succeeded must reach the caches.
    if (written > 0) await this.bumpVersion(now);
    if (failure) throw failure.reason;

    return { outcomes: outcomes.map(({ entry, outcome }) => ({ entry, outcome })), notInBatch, version: await this.getVersion() };
  }

  /** What `putEntries` would do with `entries`, writing nothing (a dry run). */
  async plan(entries: readonly RegistryEntry[]): Promise<Omit<PutEntriesResult, 'version'>> {
    const { outcomes, notInBatch } = await this.compare(entries);
    return { outcomes: outcomes.map(({ entry, outcome }) => ({ entry, outcome })), notInBatch };
  }

  private async compare(entries: readonly RegistryEntry[]) {
    const inBatch = new Set(entries.map((entry) => entry.id));
    if (inBatch.size !== entries.length) throw new Error('The batch holds an entry id twice');
    const stored = await this.storedHashes();
    const outcomes = entries.map((entry) => {
      const hash = contentHash(entry);
      const before = stored.get(entry.id);
      const outcome: PutOutcome = !before ? 'added' : before.hash === hash ? 'unchanged' : 'updated';
      return { entry, outcome, hash, previousHash: before?.hash };
    });
    const notInBatch = [...stored].filter(([id]) => !inBatch.has(id)).map(([id, { name }]) => ({ id, name }));
    return { outcomes, notInBatch };
  }

  /** Every entry, in id order. Throws on an item that is not a valid entry rather than silently dropping it. */
  async loadAll(): Promise<RegistryEntry[]> {
    const entries: RegistryEntry[] = [];
    for await (const item of this.queryEntries()) {
      const { pk: _pk, sk: _sk, contentHash: _hash, updatedAt: _updatedAt, ...fields } = item;
      const parsed = registryEntrySchema.safeParse(fields);
      if (!parsed.success) {
        throw new Error(`Registry item ${String(item.sk)} is not a valid entry: ${parsed.error.message}`);
      }
      entries.push(parsed.data);
    }
    return entries;
  }

  /** The registry's version: 0 before anything was imported. */
  async getVersion(): Promise<number> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.registryVersion(), ConsistentRead: true }),
    );
    return typeof Item?.version === 'number' ? Item.version : 0;
  }

  /**
   * Builds the index snapshot of the registry as it now is and stores it under its version (gzipped, in
   * chunks), so that containers restore it rather than building it: once per registry version, at import. Older
   * versions' chunks are removed. Undefined, and nothing stored, when another import moved the version meanwhile
   * (that import stores its own).
   */
  async saveIndex(): Promise<{ version: number; chunks: number; bytes: number } | undefined> {
    const version = await this.getVersion();
    const snapshot = registrySnapshot(await this.loadAll());
    if ((await this.getVersion()) !== version) return undefined;
    return this.storeIndex(version, snapshot);
  }

  /** Stores `snapshot` as the index of `version` (gzipped, in chunks) and removes other versions' chunks. */
  async storeIndex(version: number, snapshot: RegistrySnapshot): Promise<{ version: number; chunks: number; bytes: number }> {
    const packed = gzipSync(snapshot);
    const chunks = Math.max(1, Math.ceil(packed.length / this.indexChunkBytes));
    for (let chunk = 0; chunk < chunks; chunk++) {
      const data = packed.subarray(chunk * this.indexChunkBytes, (chunk + 1) * this.indexChunkBytes);
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.registryIndexChunk(version, chunk), data, chunks } }));
    }
    const older = queryCollection(this.client, this.tableName, collections.registryIndex(), { ProjectionExpression: 'pk, sk' });
    const current = collections.registryIndex(version).skPrefix;
    for await (const item of older) {
      if (String(item.sk).startsWith(current)) continue;
      await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: item.pk, sk: item.sk } }));
    }
    return { version, chunks, bytes: packed.length };
  }

  /** The stored index snapshot of `version`, or undefined when there is none or it is incomplete. */
  async loadIndex(version: number): Promise<RegistrySnapshot | undefined> {
    const parts: Uint8Array[] = [];
    let expected: unknown;
    for await (const item of queryCollection(this.client, this.tableName, collections.registryIndex(version))) {
      if (!(item.data instanceof Uint8Array)) return undefined;
      parts.push(item.data);
      expected = item.chunks;
    }
    if (parts.length === 0 || parts.length !== expected) return undefined;
    return gunzipSync(Buffer.concat(parts));
  }

  private async storedHashes(): Promise<Map<string, { hash: string; name: string }>> {
    const stored = new Map<string, { hash: string; name: string }>();
    const projection = { ProjectionExpression: 'id, contentHash, #name', ExpressionAttributeNames: { '#name': 'name' } };
    for await (const item of this.queryEntries(projection)) {
      stored.set(String(item.id), { hash: String(item.contentHash), name: String(item.name) });
    }
    return stored;
  }

  private queryEntries(projection?: Pick<QueryCommandInput, 'ProjectionExpression' | 'ExpressionAttributeNames'>) {
    return queryCollection(this.client, this.tableName, collections.registryEntries(), projection);
  }

  private async writeEntry(entry: RegistryEntry, hash: string, previousHash: string | undefined, now: Date) {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.registryEntry(entry.id), ...entry, contentHash: hash, updatedAt: now.toISOString() },
          ...(previousHash
            ? {
                ConditionExpression: 'contentHash = :previous',
                ExpressionAttributeValues: { ':previous': previousHash },
              }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new Error(`Registry entry ${entry.id} changed during this import (another import?); run it again`);
      }
      throw error;
    }
  }

  private async bumpVersion(now: Date): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.registryVersion(),
        UpdateExpression: 'ADD version :one SET updatedAt = :now',
        ExpressionAttributeValues: { ':one': 1, ':now': now.toISOString() },
      }),
    );
  }
}
