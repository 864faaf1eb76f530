/**
 * Costs that grow with the data (issue 20), each at 1×, 10× and 100× the data, against dynalite:
 * - recording a report that names an identifier with N earlier distinct reporters (a running count: flat);
 * - the analysts' export of the reports since a date, with M other items in the table (the case index: flat).
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import type { AddressInfo } from 'node:net';
import type { Identifier } from '../shared/domain/report';
import { createDocumentClient, ensureTable } from '../shared/store/client';
import { keys } from '../shared/store/keys';
import { ReportRepository } from '../shared/store/reports';
import { round, summary } from './stats';

export interface GrowthRow {
  cost: string;
  data: string;
  p50Ms: number;
  p99Ms: number;
  /** p50 against the 1× row's. */
  ratio: number;
}

async function writeAll(client: DynamoDBDocumentClient, tableName: string, items: Record<string, unknown>[]) {
  for (let at = 0; at < items.length; at += 25) {
    const batch = items.slice(at, at + 25).map((Item) => ({ PutRequest: { Item } }));
    let { UnprocessedItems } = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: batch } }));
    while (UnprocessedItems?.[tableName]?.length) ({ UnprocessedItems } = await client.send(new BatchWriteCommand({ RequestItems: UnprocessedItems })));
  }
}

const draft = (reporterKey: string, createdAt: string, identifiers: Identifier[]) => ({
  reporterKey,
  createdAt,
  channel: 'sms' as const,
  lang: 'tg' as const,
  category: 'job_offer' as const,
  paid: 'no' as const,
  freeText: 'benchmark',
  identifiers,
  urgency: { urgent: false, reasons: [] },
  callbackConsent: false,
});

async function time(runs: number, run: (i: number) => Promise<unknown>) {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run(i);
    samples.push(performance.now() - started);
  }
  return summary(samples);
}

export async function benchmarkGrowth(reporterSizes = [50, 500, 5_000], otherItemSizes = [500, 5_000, 50_000]): Promise<GrowthRow[]> {
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const rows: GrowthRow[] = [];
  try {
    let table = 0;
    const freshTable = async () => {
      const tableName = `growth-${++table}`;
      const client = createDocumentClient({ region: 'eu-west-2', endpoint, tableName });
      await ensureTable(client, tableName);
      return { client, tableName, repo: new ReportRepository(client, tableName) };
    };

    // A first, unreported round warms the JIT and dynalite, which would otherwise be charged to the 1× row.
    for (const reporters of [reporterSizes[0]!, ...reporterSizes]) {
      const { client, tableName, repo } = await freshTable();
      const phone: Identifier = { kind: 'phone', value: '+992900001234' };
      // The earlier reporters as recording them leaves them: an item each with its ordinal, the ordinals, the count.
      const earlier = Array.from({ length: reporters }, (_, i) => [
        { ...keys.identifierReporter('phone', phone.value, `earlier-${i}`), reference: 'BENCH', ordinal: i + 1 },
        { ...keys.identifierOrdinal('phone', phone.value, i + 1), reporterKey: `earlier-${i}` },
      ]).flat();
      await writeAll(client, tableName, [...earlier, { ...keys.identifierSummary('phone', phone.value), reporters, firstSeen: '2026-01-01', lastSeen: '2026-01-01' }]);
      const reports = await Promise.all(
        Array.from({ length: 21 }, (_, i) => repo.create(draft(`new-${i}`, '2026-11-20T10:00:00.000Z', [phone]), `growth-${i}`)),
      );
      const recorded = await time(reports.length, (i) => repo.recordIdentifiers(reports[i]!.report));
      if (table === 1) continue;
      rows.push({ cost: 'record a report (its identifier reported before)', data: `${reporters.toLocaleString('en')} earlier reporters`, p50Ms: round(recorded.p50, 2), p99Ms: round(recorded.p99, 2), ratio: 0 });
    }

    for (const [pass, others] of [otherItemSizes[0]!, ...otherItemSizes].entries()) {
      const { client, tableName, repo } = await freshTable();
      // 100 reports in the exported week, among `others` items of older reports and identifiers.
      for (let i = 0; i < 100; i++) await repo.create(draft(`r${i}`, `2026-11-${String(20 + (i % 7)).padStart(2, '0')}T10:00:00.000Z`, []), `week-${i}`);
      const filler = Array.from({ length: others }, (_, i) =>
        i % 2 === 0
          ? { ...keys.report(`OLD${i}`), ...draft(`o${i}`, '2025-01-01T00:00:00.000Z', []), reference: `OLD${i}`, status: 'received', updatedAt: '2025-01-01T00:00:00.000Z' }
          : { ...keys.identifierReporter('phone', `+99290${String(i).padStart(7, '0')}`, `o${i}`), reference: `OLD${i}`, ordinal: 1 },
      );
      await writeAll(client, tableName, filler);
      const exported = await time(7, () => repo.listCreatedSince('2026-11-20'));
      const count = (await repo.listCreatedSince('2026-11-20')).length;
      if (count !== 100) throw new Error(`the export found ${count} reports, not 100`);
      if (pass === 0) continue;
      rows.push({ cost: "analysts' export of one week (100 reports)", data: `${others.toLocaleString('en')} other items`, p50Ms: round(exported.p50, 1), p99Ms: round(exported.p99, 1), ratio: 0 });
    }
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  for (const row of rows) {
    const first = rows.find((other) => other.cost === row.cost)!;
    row.ratio = round(row.p50Ms / first.p50Ms, 2);
  }
  return rows;
}
