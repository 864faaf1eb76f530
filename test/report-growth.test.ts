/**
 * Report costs that must not grow with the data: distinct reporters of an identifier as a running count
 * (store/reports.ts recordIdentifiers), exact under concurrency, replays and crashes between writes; and the
 * analysts' export, read from the case index by date rather than by scanning the table.
 */
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identifier } from '../shared/domain/report';
import { keys } from '../shared/store/keys';
import { ReportRepository } from '../shared/store/reports';
import { startTestStore, type TestStore } from './support/dynalite';
import { reportDraft } from './support/reports';
import { sized } from './support/scale';
import { createActiveTable } from './support/tables';

let store: TestStore;
let tables = 0;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(async () => store.close());

const phone: Identifier = { kind: 'phone', value: '+992900001234' };

/** A repository over a table of its own, and the store commands it sends, by name. */
async function freshRepo() {
  const tableName = `counts-${++tables}`;
  await createActiveTable(store.client, tableName);
  const sent: string[] = [];
  const counting = { send: (command: { constructor: { name: string } }) => (sent.push(command.constructor.name), store.client.send(command as never)) };
  const repo = new ReportRepository(counting as unknown as DynamoDBDocumentClient, tableName);
  return { repo, tableName, sent };
}

async function reportBy(repo: ReportRepository, reporterKey: string, key = reporterKey) {
  const { report } = await repo.create(reportDraft({ reporterKey, identifiers: [phone] }), key);
  return report;
}

const reporters = async (repo: ReportRepository) => (await repo.getIdentifierSummary('phone', phone.value))?.reporters;

describe('the distinct reporters of an identifier, counted as they come', () => {
  it('counts many reporters recorded at once exactly, and each reporter once however often it is recorded', async () => {
    const { repo } = await freshRepo();
    const count = sized(6, 40);
    const reports = await Promise.all(Array.from({ length: count }, (_, i) => reportBy(repo, `reporter-${i}`)));
    // Every report recorded twice at once (a replay racing the original), and a second report by reporter-0.
    const again = await reportBy(repo, 'reporter-0', 'second report');
    await Promise.all([...reports, ...reports, again].map((report) => repo.recordIdentifiers(report)));
    expect(await reporters(repo)).toBe(count);
    expect((await repo.mostReported([phone], 'reporter-0')).others).toBe(count - 1);
    expect((await repo.mostReported([phone], 'reporter-new')).others).toBe(count);
  });

  it('repairs a crash after the reporter took its ordinal but before it claimed it, even when another took it since', async () => {
    const { repo, tableName } = await freshRepo();
    await repo.recordIdentifiers(await reportBy(repo, 'reporter-a'));
    const crashed = await reportBy(repo, 'reporter-b');
    // The crash: reporter-b's item names ordinal 2, nothing else was written.
    await store.client.send(
      new PutCommand({ TableName: tableName, Item: { ...keys.identifierReporter('phone', phone.value, 'reporter-b'), reference: crashed.reference, ordinal: 2 } }),
    );
    expect(await reporters(repo)).toBe(1);
    // Meanwhile reporter-c reads the count (1) and claims ordinal 2.
    await repo.recordIdentifiers(await reportBy(repo, 'reporter-c'));
    expect(await reporters(repo)).toBe(2);
    await repo.recordIdentifiers(crashed);
    await repo.recordIdentifiers(crashed);
    expect(await reporters(repo)).toBe(3);
    const { Items = [] } = await store.client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ordinal)',
        ExpressionAttributeValues: { ':pk': keys.identifierSummary('phone', phone.value).pk, ':ordinal': 'ORDINAL#' },
      }),
    );
    expect(Items.map((item) => item.reporterKey)).toEqual(['reporter-a', 'reporter-c', 'reporter-b']);
  });

  it('continues the count of reporters recorded before ordinals', async () => {
    const { repo, tableName } = await freshRepo();
    // Two reporters as the recounting code left them: items without ordinals, and the count.
    for (const reporterKey of ['old-a', 'old-b']) {
      await store.client.send(new PutCommand({ TableName: tableName, Item: { ...keys.identifierReporter('phone', phone.value, reporterKey), reference: 'OLD' } }));
    }
    await store.client.send(
      new PutCommand({ TableName: tableName, Item: { ...keys.identifierSummary('phone', phone.value), reporters: 2, firstSeen: '2026-01-01', lastSeen: '2026-01-01' } }),
    );
    await repo.recordIdentifiers(await reportBy(repo, 'old-a'));
    expect(await reporters(repo)).toBe(2);
    await repo.recordIdentifiers(await reportBy(repo, 'new-c'));
    expect(await reporters(repo)).toBe(3);
  });

  it('records a new reporter with the same store calls whether the identifier had one reporter before or many', async () => {
    const { repo, sent } = await freshRepo();
    const callsFor = async (reporterKey: string) => {
      const report = await reportBy(repo, reporterKey);
      sent.length = 0;
      await repo.recordIdentifiers(report);
      return [...sent].sort();
    };
    const second = await callsFor('reporter-0');
    for (let i = 0; i < sized(10, 300); i++) await repo.recordIdentifiers(await reportBy(repo, `earlier-${i}`));
    expect(await callsFor('reporter-last')).toEqual(second);
    expect(second).not.toContain('QueryCommand');
  });
});

describe("the analysts' export", () => {
  it('reads the reports created since a date from the case index, in batches, never scanning the table', async () => {
    const { repo, sent } = await freshRepo();
    const older = await repo.create(reportDraft({ reporterKey: 'a', createdAt: '2026-10-31T23:59:59.000Z' }), 'older');
    const count = sized(120, 250);
    const since = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        repo.create(reportDraft({ reporterKey: `r${i}`, createdAt: `2026-11-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00.000Z` }), `k${i}`),
      ),
    );
    sent.length = 0;
    const exported = await repo.listCreatedSince('2026-11-01');
    expect(exported).toHaveLength(count);
    expect(exported.map((report) => report.reference).sort()).toEqual(since.map((r) => r.report.reference).sort());
    expect(exported.map((report) => report.createdAt)).toEqual([...exported.map((report) => report.createdAt)].sort());
    expect(exported.map((report) => report.reference)).not.toContain(older.report.reference);
    expect(sent).not.toContain('ScanCommand');
    expect(sent.filter((name) => name === 'BatchGetCommand')).toHaveLength(Math.ceil(count / 100));
  });
});
