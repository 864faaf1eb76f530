/**
 * After a crash (issue 15): with the table on disk (DYNALITE_PATH) the next start finds what the last process left
 * unfinished. The local outbox queues again what was queued and never sent, and a report left half-written (stored,
 * but no reporter index and no identifier links) is completed by the replay, escalation included. A crash is a
 * store call that never answers: the process "dies" there, and a second hotline on the same table starts.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { recoverLocalWork } from '../infra/local';
import { UNFINISHED_INTAKE_AGE_MS } from '../shared/intake';
import { OfficerRepository } from '../shared/store/officers';
import { startTestStore, type TestStore } from './support/dynalite';
import { OFFICERS } from './support/escalation';
import { testHotline } from './support/hotline';
import { createActiveTable } from './support/tables';
import { atSms, storedReports } from './support/webhooks';

let store: TestStore;
let tables = 0;
const schedulers: { stop(): Promise<void> }[] = [];
beforeAll(async () => {
  store = await startTestStore('safejob-crash');
});
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(schedulers.splice(0).map((scheduler) => scheduler.stop()));
});
afterAll(async () => store.close());

/** From now on, the first call matching `dies` never answers (nor does any after it): the process is gone. */
function crashAt(client: DynamoDBDocumentClient, dies: (command: string, input: Record<string, unknown>) => boolean) {
  let crashed = false;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String((context as { commandName?: string }).commandName ?? '');
      if (crashed || dies(command, args.input as Record<string, unknown>)) {
        crashed = true;
        return new Promise<never>(() => undefined);
      }
      return next(args);
    },
    { step: 'initialize', name: 'crashAt' },
  );
  return { get crashed() { return crashed; } };
}

/** A key attribute of the call's item, marshalled (`{ S: … }`) or plain. */
const keyOf = (input: Record<string, unknown>, name: 'pk' | 'sk') => {
  const value = ((input.Key ?? input.Item) as Record<string, unknown> | undefined)?.[name];
  return String(typeof value === 'string' ? value : ((value as { S?: string } | undefined)?.S ?? ''));
};

async function twoRunsOnOneTable() {
  const tableName = `crash-${++tables}`;
  await createActiveTable(store.client, tableName);
  const start = () => {
    const hotline = testHotline(store, { TABLE_NAME: tableName });
    schedulers.push(hotline.deps.escalation.scheduler);
    return hotline;
  };
  return { tableName, first: start(), next: start };
}

describe('the local outbox after a crash', () => {
  it('sends at start what was queued and never sent, once', async () => {
    const { first, next } = await twoRunsOnOneTable();
    // The first run dies as it takes the send lease: the SMS is recorded as queued, and nothing was sent.
    const crash = crashAt(first.deps.db, (command, input) => command === 'UpdateItemCommand' && keyOf(input, 'pk').startsWith('OUTMSG#') && String(input.UpdateExpression).includes('leaseUntil ='));
    const id = await first.deps.outbox.send('+992900000831', 'Your reference is K7QX3M. Do not pay anyone.');
    await vi.waitFor(() => expect(crash.crashed).toBe(true));

    const second = next();
    expect(await second.deps.messages.get(id)).toMatchObject({ status: 'queued' });
    await recoverLocalWork(second.deps);
    await second.deps.localQueue.drain();

    expect(await second.deps.messages.get(id)).toMatchObject({ status: 'sent', provider: 'local', attempts: 1 });
    expect((await second.deps.localOutbox.list(second.deps.messages)).map(({ to, text, status }) => ({ to, text, status }))).toEqual([
      { to: '+992900000831', text: 'Your reference is K7QX3M. Do not pay anyone.', status: 'sent' },
    ]);
    // Nothing is left to queue again at the next start.
    const third = next();
    expect(await third.deps.localQueue.resume()).toBe(0);
  });
});

describe('a report left half-written by a crash', () => {
  it('is completed by the replay: reporter index, identifier links and its escalation', async () => {
    const { tableName, first, next } = await twoRunsOnOneTable();
    const { emma } = OFFICERS;
    await new OfficerRepository(store.client, tableName).putOfficers([{ ...emma, languages: [...emma.languages], key: first.deps.callerKey(emma.phone) }]);
    const reporter = '+992900000832';
    // The first run dies right after the report's own write, before its reporter index (and its identifiers).
    const crash = crashAt(first.deps.db, (command, input) => command === 'PutItemCommand' && keyOf(input, 'sk').startsWith('REPORT#'));
    void atSms(first, 'ATXid_crash_1', reporter, 'REPORT they took my passport and threaten me, @crash_scam');
    await vi.waitFor(() => expect(crash.crashed).toBe(true));
    const [report] = await storedReports(store.client, tableName);
    expect(report).toBeDefined();
    const second = next();
    expect(await second.deps.reports.listByReporter(report!.reporterKey, 5)).toEqual([]);
    expect(await second.deps.reports.getIdentifier('handle', 'crash_scam')).toBeUndefined();

    // A start within the minute leaves it alone (it could be in flight); the next replay after it completes it.
    await recoverLocalWork(second.deps);
    expect(await second.deps.reports.listByReporter(report!.reporterKey, 5)).toEqual([]);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + UNFINISHED_INTAKE_AGE_MS + 1_000 });
    await recoverLocalWork(second.deps);

    expect((await second.deps.reports.listByReporter(report!.reporterKey, 5)).map((r) => r.reference)).toEqual([report!.reference]);
    expect(await second.deps.reports.getIdentifier('handle', 'crash_scam')).toMatchObject({ reporters: 1, references: [report!.reference] });
    expect(await storedReports(store.client, tableName)).toHaveLength(1);
    await second.deps.localQueue.drain();
    const pages = (await second.deps.localOutbox.list(second.deps.messages)).filter((m) => m.to === emma.phone && m.text.startsWith('SafeJob URGENT'));
    expect(pages.map((m) => m.text)).toEqual([expect.stringContaining(report!.reference)]);
    // Finished: the next replay has nothing to repair.
    expect(await second.deps.reports.listUnfinished(new Date(Date.now() + 3_600_000).toISOString())).toEqual([]);
  });
});
