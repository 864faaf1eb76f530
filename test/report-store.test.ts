import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identifier } from '../shared/domain/report';
import { keys } from '../shared/store/keys';
import { ReportRepository, type ReportRepositoryOptions } from '../shared/store/reports';
import { startTestStore, type TestStore } from './support/dynalite';
import { reportDraft, scriptedRandom } from './support/reports';
import { createActiveTable } from './support/tables';

let store: TestStore;
let tables = 0;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(async () => store.close());

/** A repository over a table of its own, so that tests do not see one another's reports. */
async function freshRepo(options: ReportRepositoryOptions = {}): Promise<{ repo: ReportRepository; tableName: string }> {
  const tableName = `reports-${++tables}`;
  await createActiveTable(store.client, tableName);
  return { repo: new ReportRepository(store.client, tableName, options), tableName };
}

const phone: Identifier = { kind: 'phone', value: '+992901234567' };
const handle: Identifier = { kind: 'handle', value: 'uk_jobs_visa' };

describe('creating reports', () => {
  it('gives one idempotency key one report, however often it is sent', async () => {
    const { repo } = await freshRepo({ random: scriptedRandom([], 0.5) });
    const first = await repo.create(reportDraft(), 'ATXid_1');
    const again = await repo.create(reportDraft({ freeText: 'a retry that differs' }), 'ATXid_1');
    expect(first).toEqual({
      created: true,
      report: { ...reportDraft(), reference: 'GGGGGG', status: 'received', updatedAt: '2026-11-20T09:25:42.000Z' },
    });
    expect(again).toEqual({ created: false, report: first.report });
    expect(await repo.listCreatedSince('2026-01-01')).toEqual([first.report]);
  });

  it('gives concurrent duplicates the same report, created once', async () => {
    const { repo } = await freshRepo();
    const results = await Promise.all(Array.from({ length: 5 }, () => repo.create(reportDraft(), 'USSD#S1#1*3*2*1')));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.report.reference)).size).toBe(1);
    expect(await repo.listCreatedSince('2026-01-01')).toHaveLength(1);
  });

  it('draws a new reference when the drawn one is taken', async () => {
    const { repo, tableName } = await freshRepo({ random: scriptedRandom([0, 0, 0, 0, 0, 0], 0) });
    const first = await repo.create(reportDraft(), 'first');
    expect(first.report.reference).toBe('222222');

    // The next key draws 222222, which the first report holds, then 333333.
    const collided = new ReportRepository(store.client, tableName, {
      random: scriptedRandom([0, 0, 0, 0, 0, 0, ...Array(6).fill(0.04)]),
    });
    const second = await collided.create(reportDraft({ reporterKey: 'reporter-b' }), 'second');
    expect(second).toMatchObject({ created: true, report: { reference: '333333', reporterKey: 'reporter-b' } });
    expect(await collided.getByReference('222222')).toEqual(first.report);
    const { Item } = await store.client.send(new GetCommand({ TableName: tableName, Key: keys.reportIntake('second') }));
    expect(Item?.reference).toBe('333333');
  });

  it('gives up after ten taken references', async () => {
    const { repo } = await freshRepo({ random: () => 0 });
    await repo.create(reportDraft(), 'first');
    await expect(repo.create(reportDraft(), 'second')).rejects.toThrow('no free reference after 10 attempts');
  });

  it('completes an intake whose report was never written (a crash after step 1)', async () => {
    const { repo, tableName } = await freshRepo();
    await store.client.send(
      new PutCommand({ TableName: tableName, Item: { ...keys.reportIntake('crashed'), reference: 'ABCDEF' } }),
    );
    const result = await repo.create(reportDraft(), 'crashed');
    expect(result).toMatchObject({ created: true, report: { reference: 'ABCDEF' } });
    expect(await repo.listByReporter('reporter-a', 5)).toEqual([result.report]);
  });

  it('finds a report by reference, and nothing for an unknown one', async () => {
    const { repo } = await freshRepo();
    const { report } = await repo.create(reportDraft({ identifiers: [phone] }), 'k');
    expect(await repo.getByReference(report.reference)).toEqual(report);
    expect(await repo.getByReference('ZZZZZZ')).toBeUndefined();
  });
});

describe("a reporter's reports", () => {
  it('lists only that reporter\'s, newest first, up to the limit', async () => {
    const { repo } = await freshRepo();
    const day = (d: number) => `2026-11-${String(d).padStart(2, '0')}T10:00:00.000Z`;
    const a = [];
    for (const d of [3, 1, 2]) a.push((await repo.create(reportDraft({ createdAt: day(d) }), `a${d}`)).report);
    const b = (await repo.create(reportDraft({ reporterKey: 'reporter-b', createdAt: day(4) }), 'b')).report;
    expect(await repo.listByReporter('reporter-a', 2)).toEqual([a[0], a[2]]);
    expect(await repo.listByReporter('reporter-a', 10)).toEqual([a[0], a[2], a[1]]);
    expect(await repo.listByReporter('reporter-b', 10)).toEqual([b]);
    expect(await repo.listByReporter('reporter-c', 10)).toEqual([]);
  });
});

describe('status', () => {
  it('changes status and note, stamped now; an unknown reference changes nothing', async () => {
    const { repo } = await freshRepo({ now: () => Date.UTC(2026, 10, 21, 8) });
    const { report } = await repo.create(reportDraft(), 'k');
    const updated = await repo.updateStatus(report.reference, 'referred', { statusNote: 'police informed', referredTo: 'police cyber unit' });
    expect(updated).toEqual({
      ...report,
      status: 'referred',
      statusNote: 'police informed',
      referredTo: 'police cyber unit',
      updatedAt: '2026-11-21T08:00:00.000Z',
    });
    expect(await repo.getByReference(report.reference)).toEqual(updated);
    expect(await repo.updateStatus('ZZZZZZ', 'closed')).toBeUndefined();
    expect(await repo.getByReference('ZZZZZZ')).toBeUndefined();
  });
});

describe('call-back numbers', () => {
  it('are kept sealed, only with consent, until the retention period ends', async () => {
    let now = Date.parse('2026-11-20T10:00:00Z');
    const { repo, tableName } = await freshRepo({ callbackRetentionDays: 30, now: () => now });
    const { report } = await repo.create(reportDraft({ callbackConsent: true }), 'k', 'v1.sealed.number.text');
    expect(await repo.getSealedCallbackNumber(report.reference)).toBe('v1.sealed.number.text');
    const { Item } = await store.client.send(new GetCommand({ TableName: tableName, Key: keys.reportCallback(report.reference) }));
    expect(Item?.expiresAt).toBe(Date.parse('2026-11-20T09:25:42Z') / 1000 + 30 * 24 * 3600);
    now = Date.parse('2026-12-20T09:25:42Z');
    expect(await repo.getSealedCallbackNumber(report.reference)).toBeUndefined();

    await expect(repo.create(reportDraft(), 'no-consent', 'v1.sealed')).rejects.toThrow('only when the reporter consented');
    const { report: without } = await repo.create(reportDraft({ callbackConsent: true }), 'consent-no-number');
    expect(await repo.getSealedCallbackNumber(without.reference)).toBeUndefined();
  });
});

describe('reported identifiers', () => {
  it('count distinct reporters, widen first/last seen, and list the latest references', async () => {
    const { repo } = await freshRepo({ referencesPerIdentifier: 2 });
    const make = async (key: string, reporterKey: string, createdAt: string, identifiers: Identifier[]) => {
      const { report } = await repo.create(reportDraft({ reporterKey, createdAt, identifiers }), key);
      await repo.recordIdentifiers(report);
      return report;
    };
    const r1 = await make('1', 'reporter-a', '2026-11-02T00:00:00.000Z', [phone, handle]);
    const r2 = await make('2', 'reporter-a', '2026-11-03T00:00:00.000Z', [phone]);
    const r3 = await make('3', 'reporter-b', '2026-11-04T00:00:00.000Z', [phone]);
    // Replayed from the journal late: older than what is stored, and a repeat of r2.
    const r0 = await make('0', 'reporter-c', '2026-11-01T00:00:00.000Z', [phone]);
    await repo.recordIdentifiers(r2);

    expect(await repo.getIdentifier('phone', phone.value)).toEqual({
      reporters: 3,
      firstSeen: r0.createdAt,
      lastSeen: r3.createdAt,
      references: [r3.reference, r2.reference],
    });
    expect(await repo.getIdentifier('handle', 'uk_jobs_visa')).toEqual({
      reporters: 1,
      firstSeen: r1.createdAt,
      lastSeen: r1.createdAt,
      references: [r1.reference],
    });
    expect(await repo.getIdentifier('url', 'example.org')).toBeUndefined();
    expect(await repo.mostReported([handle, phone], 'reporter-a')).toEqual({ others: 2, identifier: phone });
    expect(await repo.mostReported([handle, phone], 'reporter-new')).toEqual({ others: 3, identifier: phone });
    expect(await repo.mostReported([], 'reporter-a')).toEqual({ others: 0 });
  });

  it('finds a card by its hash', async () => {
    const { repo } = await freshRepo();
    const { report } = await repo.create(reportDraft({ identifiers: [{ kind: 'card', hash: 'h4sh', last4: '2223' }] }), 'k');
    await repo.recordIdentifiers(report);
    expect(await repo.getIdentifier('card', 'h4sh')).toMatchObject({ reporters: 1, references: [report.reference] });
  });

  it('repairs the count after a crash between the reporter item and the summary', async () => {
    const { repo, tableName } = await freshRepo();
    const { report } = await repo.create(reportDraft({ identifiers: [phone] }), 'k');
    // The crash: the reporter item was written, the summary never was.
    await store.client.send(
      new PutCommand({ TableName: tableName, Item: { ...keys.identifierReporter('phone', phone.value, 'reporter-a'), reference: report.reference } }),
    );
    expect(await repo.getIdentifier('phone', phone.value)).toBeUndefined();
    await repo.recordIdentifiers(report);
    await repo.recordIdentifiers(report);
    expect(await repo.getIdentifier('phone', phone.value)).toMatchObject({ reporters: 1, references: [report.reference] });
  });
});
