import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../shared/store/keys';
import { PendingReportRepository } from '../shared/store/pending-reports';
import { startTestStore, type TestStore } from './support/dynalite';

let store: TestStore;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(async () => store.close());

describe('pending SMS reports in dynalite', () => {
  const story = { text: 'a man on Telegram wants 3000 somoni for a UK visa', lang: 'en' } as const;

  it('holds one story per sender under the caller key, until it expires', async () => {
    let now = Date.parse('2026-12-01T10:00:00Z');
    const repo = new PendingReportRepository(store.client, store.tableName, 1800, () => now);
    expect(await repo.get('caller-a')).toBeUndefined();
    await repo.hold('caller-a', story);
    expect(await repo.get('caller-a')).toEqual(story);
    expect(await repo.get('caller-b')).toBeUndefined();
    const { Item } = await store.client.send(new GetCommand({ TableName: store.tableName, Key: keys.pendingReport('caller-a') }));
    expect(Item).toMatchObject({ pk: 'CALLER#caller-a', sk: 'PENDING_REPORT', expiresAt: now / 1000 + 1800 });
    now += 1799_000;
    expect(await repo.get('caller-a')).toEqual(story);
    // Still in the table (DynamoDB deletes late, dynalite never), but expired reads as absent.
    now += 1000;
    expect(await repo.get('caller-a')).toBeUndefined();
  });

  it('replaces an older story with a newer one, and forgets it once cleared', async () => {
    const repo = new PendingReportRepository(store.client, store.tableName, 1800);
    await repo.hold('caller-c', story);
    await repo.hold('caller-c', { text: 'требуют заплатить сегодня', lang: 'ru' });
    expect(await repo.get('caller-c')).toEqual({ text: 'требуют заплатить сегодня', lang: 'ru' });
    await repo.clear('caller-c');
    expect(await repo.get('caller-c')).toBeUndefined();
  });

  it('refuses an empty story or an unknown language', async () => {
    const repo = new PendingReportRepository(store.client, store.tableName, 1800);
    await expect(repo.hold('caller-d', { text: '', lang: 'en' })).rejects.toThrow();
    await expect(repo.hold('caller-d', { text: 'x', lang: 'fr' as 'en' })).rejects.toThrow();
    expect(await repo.get('caller-d')).toBeUndefined();
  });
});
