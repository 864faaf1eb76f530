import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalisePhone } from '../shared/domain/phone';
import { phoneKey } from '../shared/privacy';
import { ensureTable } from '../shared/store/client';
import { isLive, keys } from '../shared/store/keys';
import { LanguageRepository } from '../shared/store/languages';
import { startTestStore, type TestStore } from './support/dynalite';

let store: TestStore;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(async () => store.close());

describe('language preferences in dynalite', () => {
  it('round-trips a preference and keeps it under the caller key only', async () => {
    const repo = new LanguageRepository(store.client, store.tableName);
    const callerKey = phoneKey('k'.repeat(32), '+992927001122');
    expect(await repo.get(callerKey)).toBeUndefined();
    await repo.put(callerKey, { lang: 'ru', sessionId: 'S1', sessionStartLang: 'tg' });
    expect(await repo.get(callerKey)).toEqual({ lang: 'ru', sessionId: 'S1', sessionStartLang: 'tg' });
    const { Item } = await store.client.send(
      new GetCommand({ TableName: store.tableName, Key: keys.languagePreference(callerKey) }),
    );
    expect(Item).toMatchObject({ pk: `CALLER#${callerKey}`, sk: 'LANG', lang: 'ru' });
  });

  it('ignores a stored value that is not a language', async () => {
    const repo = new LanguageRepository(store.client, store.tableName);
    await repo.put('odd', { lang: 'xx' as 'en' });
    expect(await repo.get('odd')).toBeUndefined();
  });

  it('creates the table only once', async () => {
    await expect(ensureTable(store.client, store.tableName)).resolves.toBeUndefined();
  });
});

describe('phone keys', () => {
  it('are the same for every written form of one number and differ by secret', () => {
    const secret = 's'.repeat(32);
    const forms = ['+992927001122', '992927001122', '927001122', '8 92 700 1122', '+992 (92) 700-11-22'];
    expect(new Set(forms.map(normalisePhone))).toEqual(new Set(['+992927001122']));
    expect(new Set(forms.map((f) => phoneKey(secret, f))).size).toBe(1);
    expect(phoneKey(secret, forms[0]!)).not.toBe(phoneKey('t'.repeat(32), forms[0]!));
    expect(phoneKey(secret, forms[0]!)).not.toContain('927001122');
  });
});

describe('expiry', () => {
  it('treats an item whose expiresAt has passed as absent', () => {
    const now = Date.UTC(2026, 10, 25);
    expect(isLive(undefined, now)).toBe(false);
    expect(isLive({}, now)).toBe(true);
    expect(isLive({ expiresAt: now / 1000 + 1 }, now)).toBe(true);
    expect(isLive({ expiresAt: now / 1000 }, now)).toBe(false);
  });
});
