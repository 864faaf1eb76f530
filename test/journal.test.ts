import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identifierValue, type Identifier } from '../shared/domain/report';
import { createDocumentClient } from '../shared/store/client';
import type { JournalEntry } from '../shared/ports';
import { FileJournal, replayJournal } from '../shared/store/journal';
import { SqsJournal } from '../shared/store/journal-sqs';
import { ReportRepository } from '../shared/store/reports';
import { startTestStore, type TestStore } from './support/dynalite';
import { reportDraft } from './support/reports';
import { createActiveTable } from './support/tables';
import { testHotline } from './support/hotline';
import { replayLocalJournal } from '../infra/local';
import { createLogger } from '../shared/log';
import { JournalDeadLetters, journalIntakeHash } from '../shared/store/journal-dead-letters';

let store: TestStore;
let dir: string;
let tables = 0;
beforeAll(async () => {
  store = await startTestStore();
  dir = await mkdtemp(join(tmpdir(), 'journal-'));
});
afterAll(async () => store.close());

async function freshTable(): Promise<string> {
  const tableName = `journal-${++tables}`;
  await createActiveTable(store.client, tableName);
  return tableName;
}

/** A small seeded generator (mulberry32), so that the faults are the same kind of mix on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fails a share of the client's calls at the SDK layer, as DynamoDB throttling does: half before the request is
 * sent, half after the table has done the write but before the caller hears of it (a lost response).
 */
function injectFaults(client: DynamoDBDocumentClient, rate: number, random: () => number) {
  const injected = { before: 0, after: 0 };
  const throttled = () => new ProvisionedThroughputExceededException({ message: 'injected fault', $metadata: {} });
  client.middlewareStack.add(
    (next) => async (args) => {
      const roll = random();
      if (roll < rate / 2) {
        injected.before++;
        throw throttled();
      }
      const result = await next(args);
      if (roll < rate) {
        injected.after++;
        throw throttled();
      }
      return result;
    },
    { step: 'initialize', name: 'injectFaults' },
  );
  return injected;
}

const POOL: Identifier[] = [
  { kind: 'phone', value: '+992901234567' },
  { kind: 'phone', value: '+992927001122' },
  { kind: 'phone', value: '+447700900123' },
  { kind: 'handle', value: 'uk_jobs_visa' },
  { kind: 'url', value: 'example-visa.com' },
  { kind: 'card', hash: 'card-hash-1', last4: '2223' },
];
const REPORTERS = ['r0', 'r1', 'r2', 'r3', 'r4'];

function intakes(count: number): JournalEntry[] {
  return Array.from({ length: count }, (_, i) => {
    const identifiers = [POOL[i % POOL.length]!, POOL[(i * 7 + 3) % POOL.length]!].filter(
      (id, index, all) => all.findIndex((other) => identifierValue(other) === identifierValue(id)) === index,
    );
    return {
      idempotencyKey: `ATXid_${i}`,
      report: reportDraft({
        reporterKey: REPORTERS[i % REPORTERS.length]!,
        identifiers,
        createdAt: new Date(Date.UTC(2026, 10, 20, 9, i)).toISOString(),
      }),
    };
  });
}

describe('nothing lost under store failures', () => {
  it('stores every journaled report exactly once, with exact identifier counts', async () => {
    const tableName = await freshTable();
    const faultyClient = createDocumentClient({ region: 'eu-west-2', endpoint: store.endpoint, tableName });
    const injected = injectFaults(faultyClient, 0.08, seeded(5));
    const faulty = new ReportRepository(faultyClient, tableName);
    const healthy = new ReportRepository(store.client, tableName, { referencesPerIdentifier: 100 });
    const journal = new FileJournal(join(dir, 'faults.jsonl'));
    const all = intakes(40);

    // Intake as the shell does it; every fourth message also arrives twice (a provider retry).
    let journaled = 0;
    for (const [i, entry] of all.entries()) {
      for (let attempt = 0; attempt < (i % 4 === 0 ? 2 : 1); attempt++) {
        try {
          const { report } = await faulty.create(entry.report, entry.idempotencyKey);
          await faulty.recordIdentifiers(report);
        } catch {
          await journal.append(entry);
          journaled++;
        }
      }
    }
    expect(journaled).toBeGreaterThan(0);

    // A replay while the store still fails keeps exactly the failures in the journal.
    const partial = await journal.drain(faulty);
    expect(await journal.entries()).toEqual(partial.failed);
    expect(partial.replayed.length + partial.failed.length).toBe(journaled);

    const final = await journal.drain(healthy);
    expect(final.failed).toEqual([]);
    expect(await readFile(join(dir, 'faults.jsonl'), 'utf8')).toBe('');
    expect(injected.before).toBeGreaterThan(0);
    expect(injected.after).toBeGreaterThan(0);

    // Every intake became exactly one report.
    const { Items = [] } = await store.client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'begins_with(pk, :report) AND sk = :report_sk',
        ExpressionAttributeValues: { ':report': 'REPORT#', ':report_sk': 'REPORT' },
      }),
    );
    expect(Items.map((item) => item.idempotencyKey).sort()).toEqual(all.map((e) => e.idempotencyKey).sort());
    const reports = await healthy.listCreatedSince('2026-11-20');
    expect(reports).toHaveLength(all.length);

    // Every identifier counts its distinct reporters, first and last seen, and every reference naming it.
    for (const identifier of POOL) {
      const naming = reports.filter((r) => r.identifiers.some((id) => identifierValue(id) === identifierValue(identifier)));
      expect(await healthy.getIdentifier(identifier.kind, identifierValue(identifier))).toEqual({
        reporters: new Set(naming.map((r) => r.reporterKey)).size,
        firstSeen: naming[0]!.createdAt,
        lastSeen: naming.at(-1)!.createdAt,
        references: naming.map((r) => r.reference).reverse(),
      });
    }
    for (const reporter of REPORTERS) {
      const own = reports.filter((r) => r.reporterKey === reporter).reverse();
      expect(await healthy.listByReporter(reporter, 100)).toEqual(own);
    }
  });

  it('replays an entry twice as one report', async () => {
    const repo = new ReportRepository(store.client, await freshTable());
    const [entry] = intakes(1);
    const first = await replayJournal([entry!, entry!], repo);
    expect(first.replayed.map((r) => r.created)).toEqual([true, false]);
    expect(first.replayed[0]!.report).toEqual(first.replayed[1]!.report);
    expect(await repo.getIdentifier('phone', '+992901234567')).toMatchObject({ reporters: 1 });
  });

  it('hands back the sealed reporter number with each replayed report, so the reporter can be texted the reference', async () => {
    const repo = new ReportRepository(store.client, await freshTable());
    const [entry] = intakes(1);
    const result = await replayJournal([{ ...entry!, sealedReporterNumber: 'v1.sealed.reporter' }, entry!], repo);
    expect(result.replayed.map((r) => [r.created, r.sealedReporterNumber])).toEqual([[true, 'v1.sealed.reporter'], [false, undefined]]);
  });
});

describe('the file journal', () => {
  it('is readable by its owner only', async () => {
    const path = join(dir, 'mode.jsonl');
    await new FileJournal(path).append(intakes(1)[0]!);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('keeps an entry appended after a torn write whole, and keeps the torn line for a person', async () => {
    const path = join(dir, 'torn.jsonl');
    const [a, b] = intakes(2);
    await writeFile(path, `${JSON.stringify(a)}\n{"idempotencyKey":"torn","rep`);
    const journal = new FileJournal(path);
    await journal.append(b!);
    expect(await journal.entries()).toEqual([a, b]);

    const result = await journal.drain(new ReportRepository(store.client, await freshTable()));
    expect(result.replayed.map((r) => r.idempotencyKey)).toEqual(['ATXid_0', 'ATXid_1']);
    expect(result.unreadable).toBe(1);
    expect(await readFile(path, 'utf8')).toBe('{"idempotencyKey":"torn","rep\n');
  });

  it('keeps what is appended while it drains', async () => {
    const path = join(dir, 'meanwhile.jsonl');
    const [a, b] = intakes(2);
    const journal = new FileJournal(path);
    await journal.append(a!);
    const draining = journal.drain(new ReportRepository(store.client, await freshTable()));
    await journal.append(b!);
    expect((await draining).replayed.map((r) => r.idempotencyKey)).toEqual(['ATXid_0']);
    expect(await journal.entries()).toEqual([b]);
  });

  it('refuses an entry that is not one, rather than write a line it cannot read back', async () => {
    const journal = new FileJournal(join(dir, 'invalid.jsonl'));
    await expect(journal.append({ idempotencyKey: '', report: reportDraft() })).rejects.toThrow();
    expect(await journal.entries()).toEqual([]);
  });

  it('keeps the sealed reporter number of an entry (the replay texts the reference with it)', async () => {
    const journal = new FileJournal(join(dir, 'reporter.jsonl'));
    const entry = { ...intakes(1)[0]!, sealedReporterNumber: 'v1.sealed.reporter' };
    await journal.append(entry);
    expect(await journal.entries()).toEqual([entry]);
  });
});

describe('an entry the table can never take', () => {
  it('goes to the dead letter (file, store record, alarm line) instead of being retried for ever; the good ones are replayed', async () => {
    const tableName = await freshTable();
    const lines: string[] = [];
    const { deps } = testHotline(store, { TABLE_NAME: tableName }, createLogger('journal', (line) => lines.push(line)));
    const [good, other] = intakes(2);
    // A key past DynamoDB's 2,048-byte limit (ASCII: dynalite counts characters), as USSD keys were before they
    // were hashed: the table answers ValidationException, today and on every retry.
    const never: JournalEntry = { ...other!, idempotencyKey: `ussd:session-1:${'1*'.repeat(1_100)}` };
    await deps.journalFile.append(never);
    await deps.journalFile.append(good!);

    await replayLocalJournal(deps);

    expect(await deps.journalFile.entries()).toEqual([]);
    expect(await storedReferences(deps.reports, good!)).toHaveLength(1);
    const deadFile = (await readFile(deps.journalFile.deadLetterPath, 'utf8')).trim().split('\n');
    expect(deadFile.map((line) => JSON.parse(line) as unknown)).toEqual([never]);
    expect((await stat(deps.journalFile.deadLetterPath)).mode & 0o777).toBe(0o600);
    const records = await new JournalDeadLetters(store.client, tableName).list();
    expect(records).toEqual([
      expect.objectContaining({ intake: journalIntakeHash(never), channel: 'sms', urgent: false, reason: expect.stringMatching(/^ValidationException: /) }),
    ]);
    const alarm = lines.filter((line) => line.includes('"journal entry dead-lettered"'));
    expect(alarm).toHaveLength(1);
    expect(alarm[0]).not.toContain('1*1*1*');

    // Nothing left to retry: the next replay does not meet it again.
    await replayLocalJournal(deps);
    expect(await new JournalDeadLetters(store.client, tableName).list()).toHaveLength(1);
  });
});

async function storedReferences(repo: ReportRepository, entry: JournalEntry) {
  return repo.listByReporter(entry.report.reporterKey, 10).then((found) => found.filter((r) => r.createdAt === entry.report.createdAt));
}

describe('the SQS journal', () => {
  it('sends each entry as one JSON message to the queue', async () => {
    const sent: Record<string, unknown>[] = [];
    const client = new SQSClient({ region: 'eu-west-2', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    client.middlewareStack.add(
      () => async (args) => {
        sent.push(args.input as Record<string, unknown>);
        return { output: { MessageId: 'm-1', $metadata: {} }, response: {} };
      },
      { step: 'initialize', priority: 'high', name: 'fakeSqs' },
    );
    const [entry] = intakes(1);
    await new SqsJournal('https://sqs.eu-west-2.amazonaws.com/123456789012/intake-journal', client).append(entry!);
    expect(sent).toEqual([
      { QueueUrl: 'https://sqs.eu-west-2.amazonaws.com/123456789012/intake-journal', MessageBody: JSON.stringify(entry) },
    ]);
  });
});
