/**
 * Bounded keys, private keys (issue 15): whatever a caller types, every key the hotline sends to the table fits
 * DynamoDB's limits in bytes (2,048 for a partition key, 1,024 for a sort key; dynalite counts characters, so the
 * bytes are counted here), and no key, idempotency key or journal entry holds a card number or the caller's number.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayLocalJournal } from '../infra/local';
import { identifierValue } from '../shared/domain/report';
import { startTestStore, type TestStore } from './support/dynalite';
import { injectStoreFaults, seeded } from './support/faults';
import { testHotline } from './support/hotline';
import { createActiveTable } from './support/tables';
import { INPUT_LIMITS } from '../shared/domain/input-limits';
import { t } from '../shared/domain/prompts';
import { ussd, atSms, storedReports } from './support/webhooks';

let store: TestStore;
let tables = 0;
beforeAll(async () => {
  store = await startTestStore('safejob-bounded-keys');
});
afterAll(async () => store.close());

/** Every `pk`, `sk` and `:pk` value in the requests the client sends, plain or marshalled. */
function recordKeys(client: DynamoDBDocumentClient): string[] {
  const seen: string[] = [];
  const walk = (value: unknown, name?: string): void => {
    if (typeof value === 'string') {
      if (name === 'pk' || name === 'sk' || name === ':pk' || name === ':sk') seen.push(value);
      return;
    }
    if (value && typeof value === 'object') {
      const s = (value as { S?: unknown }).S;
      if (typeof s === 'string' && Object.keys(value).length === 1) return walk(s, name);
      for (const [key, inner] of Object.entries(value)) walk(inner, Array.isArray(value) ? name : key);
    }
  };
  client.middlewareStack.add(
    (next) => async (args) => {
      walk(args.input);
      return next(args);
    },
    { step: 'initialize', name: 'recordKeys' },
  );
  return seen;
}

async function hotlineOnFreshTable() {
  const tableName = `bounded-${++tables}`;
  await createActiveTable(store.client, tableName);
  const hotline = testHotline(store, { TABLE_NAME: tableName });
  return { ...hotline, tableName, keys: recordKeys(hotline.deps.db) };
}

/**
 * A link of 760 Cyrillic letters: within an SMS's cap (1,600 bytes), but as the report keeps it (percent-encoded, 6
 * bytes a letter) past DynamoDB's key limit, which dynalite (counting characters) would not notice.
 */
const LONG_LINK = `example-visa.com/${'вакансия'.repeat(95)}`;
/** The same for one USSD answer (cap 400 bytes): 176 letters, past the sort key's 1,024 bytes once encoded. */
const USSD_LINK = `example-visa.com/${'вакансия'.repeat(22)}`;
const CARD = '4000 0000 0000 0002';

function expectBounded(keys: string[]) {
  expect(keys.length).toBeGreaterThan(0);
  const tooLong = keys.filter((key) => Buffer.byteLength(key, 'utf8') > 1024);
  expect(tooLong.map((key) => `${key.slice(0, 40)}… (${Buffer.byteLength(key)} bytes)`)).toEqual([]);
}

describe('keys from what callers type', () => {
  it('CHECK with a very long link is answered, and counts its reporters, under a key that fits', async () => {
    const hotline = await hotlineOnFreshTable();
    expect(encodeURI(LONG_LINK).length).toBeGreaterThan(2048);
    expect((await atSms(hotline, 'ATXid_long_1', '+992900000801', `REPORT they want money, ${LONG_LINK}`)).status).toBe(200);
    expect((await atSms(hotline, 'ATXid_long_2', '+992900000802', `CHECK ${LONG_LINK}`)).status).toBe(200);
    expectBounded(hotline.keys);
    // The link as the report keeps it (normalised: percent-encoded) counts its one reporter under its hashed key.
    const [report] = await hotline.deps.reports.listByReporter(hotline.deps.callerKey('+992900000801'), 1);
    const link = report!.identifiers.find((id) => id.kind === 'url')!;
    expect((await hotline.deps.reports.getIdentifierSummary('url', identifierValue(link)))?.reporters).toBe(1);
  });

  it('a USSD report with a card number and a long contact: bounded keys, and no card number or phone number in any', async () => {
    const hotline = await hotlineOnFreshTable();
    const phone = '+992900000803';
    // English, report, asked to pay, card payment…: the contact typed is the card number and a long link.
    const path = ['3', '2', '1', '3', `${CARD} ${USSD_LINK}`, '2', '2', '1'];
    for (let n = 0; n <= path.length; n++) await ussd(hotline, 'long-ussd-1', phone, path.slice(0, n).join('*'));
    // And the same report, from the returning caller (no language menu now), its last step while the store is down:
    // journaled under the same kind of key.
    const again = path.slice(1);
    const faults = injectStoreFaults(hotline.deps.db, { rate: 0, random: seeded(9), lostResponses: false });
    for (let n = 0; n < again.length; n++) await ussd(hotline, 'long-ussd-2', phone, again.slice(0, n).join('*'));
    faults.rate = 1;
    // Journaled: received, the reference follows by SMS.
    expect((await ussd(hotline, 'long-ussd-2', phone, again.join('*'))).body).toBe('END Received. Your reference will arrive by SMS. No need to send it again.');
    const [entry] = await hotline.deps.journalFile.entries();
    expect(entry).toBeDefined();
    faults.rate = 0;
    await replayLocalJournal(hotline.deps);

    expectBounded(hotline.keys);
    const cardDigits = CARD.replace(/\s/g, '');
    for (const key of [...hotline.keys, entry!.idempotencyKey]) {
      expect(key.replace(/\D/g, '')).not.toContain(cardDigits);
      expect(key).not.toContain(phone.slice(1));
      expect(key).not.toContain('вакансия');
    }
  });
});

describe('input capped in bytes, with a polite answer in the caller\'s language', () => {
  // Under the webhooks' character limits (2,000 for an SMS, 4,000 for a USSD path), over the byte caps: dynalite
  // would take them (it counts characters), so the cap itself is what is tested.
  const LONG_STORY = `Мне обещали работу в Лондоне и просят деньги, ${'они забрали мой паспорт и денег не вернули '.repeat(20)}`.trim();

  it('an SMS REPORT over 1,600 bytes is answered in its language, and stores no report and holds no story', async () => {
    const hotline = await hotlineOnFreshTable();
    const phone = '+992900000811';
    expect(LONG_STORY.length).toBeLessThan(2_000);
    expect(Buffer.byteLength(`REPORT ${LONG_STORY}`)).toBeGreaterThan(INPUT_LIMITS.smsTextBytes);
    expect((await atSms(hotline, 'ATXid_bytes_1', phone, `ЖАЛОБА ${LONG_STORY}`)).status).toBe(200);
    expect((await atSms(hotline, 'ATXid_bytes_2', phone, LONG_STORY)).status).toBe(200);
    await hotline.deps.localQueue.drain();
    const answers = (await hotline.deps.localOutbox.list(hotline.deps.messages)).filter((m) => m.to === phone).map((m) => m.text);
    const polite = t('ru', 'common.tooLong', { max: 800 });
    expect(answers).toEqual([polite, polite]);
    expect(await storedReports(hotline.deps.db, hotline.tableName)).toEqual([]);
    expect(await hotline.deps.pendingReports.get(hotline.deps.callerKey(phone))).toBeUndefined();
    expect(hotline.keys.some((key) => key.includes('паспорт'))).toBe(false);
  });

  it('a USSD answer over 400 bytes ends the session politely in the chosen language, and files nothing', async () => {
    const hotline = await hotlineOnFreshTable();
    const phone = '+992900000812';
    // Tajik, report, then the answers up to the contact: 230 Cyrillic letters (230 characters, 460 bytes).
    const contact = 'ҳ'.repeat(230);
    const path = ['1', '2', '1', '3', contact];
    for (let n = 1; n < path.length; n++) expect((await ussd(hotline, 'bytes-ussd-1', phone, path.slice(0, n).join('*'))).body).toMatch(/^CON /);
    const last = await ussd(hotline, 'bytes-ussd-1', phone, path.join('*'));
    expect(last.body).toBe(`END ${t('tg', 'common.tooLong', { max: 200 })}`);
    // And every later step of that path (the gateway resends it whole) gets the same answer, never a report.
    expect((await ussd(hotline, 'bytes-ussd-1', phone, [...path, '2', '1'].join('*'))).body).toBe(last.body);
    expect(await storedReports(hotline.deps.db, hotline.tableName)).toEqual([]);
  });
});

