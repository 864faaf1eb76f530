/**
 * The intake-replay Lambda handler as SQS invokes it: real-shaped SQS events carrying journal entries as
 * shared/store/journal-sqs.ts writes them, the table on dynalite, and the AWS calls it makes besides (SQS for the
 * outbox, the backoff and the dead-letter queue; EventBridge Scheduler for an escalation's first timer) intercepted
 * with nock at the HTTP layer. Nothing else may leave the process.
 */
import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReportDraft } from '../shared/domain/report';
import type { RepairOutcome } from '../functions/intake-replay/index';
import { UNFINISHED_REPAIR_EVENT } from '../shared/intake';
import { keys } from '../shared/store/keys';
import { phoneKey } from '../shared/privacy';
import type { JournalEntry } from '../shared/ports';
import { OfficerRepository } from '../shared/store/officers';
import { ReportRepository } from '../shared/store/reports';
import { JournalDeadLetters, journalIntakeHash } from '../shared/store/journal-dead-letters';
import { stubLambdaEnvironment } from './support/lambda-env';
import { md5, sqsEvent, sqsRecord as record } from './support/sqs';
import { onlyNetworkTo } from './support/strict-network';
import { startTestStore, type TestStore } from './support/dynalite';
import { withTableAccessChecked } from './support/partition-keys';
import { reportDraft } from './support/reports';

/** A stand-in SQS endpoint on loopback where nothing listens: only nock answers it. */
const SQS_ORIGIN = 'http://127.0.0.1:9324';
const OUTBOX_QUEUE_URL = `${SQS_ORIGIN}/123456789012/SafeJobHotline-OutboxQueue`;
const JOURNAL_QUEUE_URL = `${SQS_ORIGIN}/123456789012/SafeJobHotline-ReportJournalQueue`;
const ESCALATION_FUNCTION_ARN = 'arn:aws:lambda:eu-west-2:123456789012:function:SafeJobHotline-EscalationFunction';
const JOURNAL_DEAD_LETTER_QUEUE_URL = `${SQS_ORIGIN}/123456789012/SafeJobHotline-ReportJournalDeadLetterQueue`;
const SCHEDULER_ORIGIN = 'https://scheduler.eu-west-2.amazonaws.com';
const HASH_KEY = 'replay-lambda-test-hash-key-0123456789abcdef';
const SCHEDULE_GROUP = 'EscalationSchedules-test';
/** functions/intake-replay: replay n is retried after 60 × 2^(n-1) seconds. */
const RETRY_BASE_SECONDS = 60;

type Handler = (event: SQSEvent) => Promise<SQSBatchResponse>;

let store: TestStore;
let reports: ReportRepository;
let handler: ReturnType<typeof withTableAccessChecked<[SQSEvent], SQSBatchResponse>>;
let repair: ReturnType<typeof withTableAccessChecked<[typeof UNFINISHED_REPAIR_EVENT], RepairOutcome>>;
let network: ReturnType<typeof onlyNetworkTo>;
const lines: string[] = [];

beforeAll(async () => {
  store = await startTestStore('safejob-replay-lambda-test');
  // The handler reads its configuration from the environment on first use, as on Lambda (the values Secrets
  // Manager would lay over the environment are set directly).
  stubLambdaEnvironment({
    HOTLINE_MODE: 'aws',
    AWS_ENDPOINT_URL_DYNAMODB: store.endpoint,
    TABLE_NAME: store.tableName,
    AT_WEBHOOK_TOKEN: 'replay-lambda-test-token',
    PHONE_HASH_KEY: HASH_KEY,
    PUBLIC_BASE_URL: 'https://abc123.execute-api.eu-west-2.amazonaws.com',
    OUTBOX_QUEUE_URL,
    REPORT_JOURNAL_QUEUE_URL: JOURNAL_QUEUE_URL,
    REPORT_JOURNAL_DEAD_LETTER_QUEUE_URL: JOURNAL_DEAD_LETTER_QUEUE_URL,
    NUMBER_VAULT_KMS_KEY_ID: 'arn:aws:kms:eu-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    ESCALATION_FUNCTION_ARN,
    ESCALATION_SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/SafeJobHotline-EscalationSchedulerRole',
    ESCALATION_SCHEDULE_GROUP: SCHEDULE_GROUP,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'eu-west-2',
  });
  vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  network = onlyNetworkTo(new URL(store.endpoint).host);
  // Every table item the handler touches is one its grant allows (infra/constructs/table-access.ts).
  const replayFunction = await import('../functions/intake-replay/index');
  handler = withTableAccessChecked(store, 'IntakeReplayFunction', (replayFunction as { handler: Handler }).handler);
  repair = withTableAccessChecked(store, 'IntakeReplayFunction', (event: typeof UNFINISHED_REPAIR_EVENT) => replayFunction.handler(event));
  reports = new ReportRepository(store.client, store.tableName);
});

beforeEach(() => {
  lines.length = 0;
});

afterEach(() => network.verify());

afterAll(async () => {
  expect(handler.keysSeen()).toBeGreaterThan(0);
  vi.restoreAllMocks();
  network?.release();
  await store?.close();
});


/** A journal entry as SqsJournal.append writes it when the table refused an intake. */
function entry(overrides: Partial<ReportDraft> = {}): JournalEntry {
  return {
    idempotencyKey: `sms:twilio:SM${randomUUID().replace(/-/g, '')}`,
    report: reportDraft({ reporterKey: `reporter-${randomUUID()}`, createdAt: new Date().toISOString(), ...overrides }),
  };
}

const sqsRecord = (body: string, receiveCount = 1) => record('SafeJobHotline-ReportJournalQueue', body, receiveCount);


/** Expected SQS calls (JSON protocol), answered as SQS does; returns the request bodies received. */
function sqsApi(action: 'SendMessage' | 'ChangeMessageVisibility', times = 1): Record<string, unknown>[] {
  const received: Record<string, unknown>[] = [];
  nock(SQS_ORIGIN)
    .post('/', (body: string | Record<string, unknown>) => {
      received.push(typeof body === 'string' ? (JSON.parse(body) as Record<string, unknown>) : body);
      return true;
    })
    .times(times)
    .matchHeader('x-amz-target', `AmazonSQS.${action}`)
    .reply(
      200,
      // nock 15 hands a reply function the fetch Request itself.
      async (request: Request) => {
        if (action !== 'SendMessage') return {};
        const input = (await request.json()) as { MessageBody: string };
        return { MessageId: randomUUID(), MD5OfMessageBody: md5(input.MessageBody) };
      },
      { 'Content-Type': 'application/x-amz-json-1.0' },
    );
  return received;
}

/** EventBridge Scheduler's CreateSchedule (REST JSON: POST /schedules/<name>); returns the names and bodies. */
function schedulerApi(): { name: string; body: Record<string, unknown> }[] {
  const received: { name: string; body: Record<string, unknown> }[] = [];
  nock(SCHEDULER_ORIGIN)
    .post(/^\/schedules\/[^/]+$/, (body: Record<string, unknown>) => {
      received.push({ name: '', body });
      return true;
    })
    .reply(200, (request: Request) => {
      received.at(-1)!.name = decodeURIComponent(new URL(request.url).pathname.split('/').pop()!);
      return { ScheduleArn: `arn:aws:scheduler:eu-west-2:123456789012:schedule/${SCHEDULE_GROUP}/x` };
    });
  return received;
}

describe('the intake-replay Lambda handler (SQS event source on the report journal)', () => {
  it('stores a journaled report once, and reports no failure', async () => {
    const journaled = entry();
    const record = sqsRecord(JSON.stringify(journaled));

    expect(await handler(sqsEvent(record))).toEqual({ batchItemFailures: [] });

    const stored = await reports.listByReporter(journaled.report.reporterKey, 5);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ channel: 'sms', category: 'fee_requested', status: 'received', urgency: { urgent: false } });
    expect(lines.some((line) => line.includes('"report journal replayed"'))).toBe(true);

    // The same entry again (SQS delivers at least once): the same report, nothing new.
    expect(await handler(sqsEvent(sqsRecord(record.body)))).toEqual({ batchItemFailures: [] });
    expect(await reports.listByReporter(journaled.report.reporterKey, 5)).toEqual(stored);
  });

  it('starts the escalation of an urgent report it stores: pages level 1 through the outbox and arms the timer', async () => {
    const officer = { name: 'Aziz (TEST)', phone: '+992900009101', role: 'officer' as const, languages: ['tg' as const], level: 1 };
    await new OfficerRepository(store.client, store.tableName).putOfficers([{ ...officer, key: phoneKey(HASH_KEY, officer.phone) }]);
    const journaled = entry({ urgency: { urgent: true, reasons: ['threats'] }, category: 'abroad_in_trouble' });
    const pages = sqsApi('SendMessage');
    const schedules = schedulerApi();

    expect(await handler(sqsEvent(sqsRecord(JSON.stringify(journaled))))).toEqual({ batchItemFailures: [] });

    const [report] = await reports.listByReporter(journaled.report.reporterKey, 1);
    expect(report?.urgency.urgent).toBe(true);
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ QueueUrl: OUTBOX_QUEUE_URL });
    const page = JSON.parse(pages[0]!.MessageBody as string) as { to: string; text: string };
    expect(page.to).toBe(officer.phone);
    expect(page.text).toContain(report!.reference);
    expect(schedules).toEqual([
      expect.objectContaining({
        name: `esc-${report!.reference}-1`,
        body: expect.objectContaining({
          GroupName: SCHEDULE_GROUP,
          Target: expect.objectContaining({ Arn: ESCALATION_FUNCTION_ARN, Input: JSON.stringify({ reference: report!.reference, step: 1 }) }),
        }),
      }),
    ]);
  });

  it('dead-letters a body that is not a journal entry at once, and still replays the rest of the batch', async () => {
    const deadLetters = sqsApi('SendMessage', 2);
    const journaled = entry();
    const [notJson, wrongShape, good] = [
      sqsRecord('not json {'),
      sqsRecord(JSON.stringify({ idempotencyKey: 'x', report: { channel: 'fax' } })),
      sqsRecord(JSON.stringify(journaled)),
    ];

    expect(await handler(sqsEvent(notJson, wrongShape, good))).toEqual({ batchItemFailures: [] });

    expect(deadLetters.map((body) => body.QueueUrl)).toEqual([JOURNAL_DEAD_LETTER_QUEUE_URL, JOURNAL_DEAD_LETTER_QUEUE_URL]);
    expect(deadLetters.map((body) => body.MessageBody).sort()).toEqual([notJson.body, wrongShape.body].sort());
    expect(await reports.listByReporter(journaled.report.reporterKey, 5)).toHaveLength(1);
    expect(lines.filter((line) => line.includes('"journal entry unreadable; dead-lettered"'))).toHaveLength(2);
  });

  it('dead-letters at once an entry the table refuses for what it is (ValidationException), and records it in the store', async () => {
    const deadLetters = sqsApi('SendMessage');
    // A key past DynamoDB's 2,048-byte limit (ASCII: dynalite counts characters): no retry can store it.
    const never = { ...entry(), idempotencyKey: `ussd:session-9:${'1*'.repeat(1_100)}` };
    const good = entry();
    const [neverRecord, goodRecord] = [sqsRecord(JSON.stringify(never)), sqsRecord(JSON.stringify(good))];

    expect(await handler(sqsEvent(neverRecord, goodRecord))).toEqual({ batchItemFailures: [] });

    expect(deadLetters).toEqual([{ QueueUrl: JOURNAL_DEAD_LETTER_QUEUE_URL, MessageBody: neverRecord.body }]);
    expect(await reports.listByReporter(good.report.reporterKey, 5)).toHaveLength(1);
    expect(await new JournalDeadLetters(store.client, store.tableName).list()).toEqual([
      expect.objectContaining({ intake: journalIntakeHash(never), reason: expect.stringMatching(/^ValidationException: /) }),
    ]);
    expect(lines.filter((line) => line.includes('"journal entry dead-lettered"'))).toHaveLength(1);
  });

  it('on its repair schedule, completes an intake a dead process left half-written, and leaves one in flight alone', async () => {
    // A Lambda that died (timed out, recycled) right after an intake's first write: only the unfinished mark is there.
    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const dead = entry({ createdAt: minutesAgo(3), identifiers: [{ kind: 'handle', value: 'half_written_scam' }] });
    const inFlight = entry({ createdAt: minutesAgo(0) });
    for (const { idempotencyKey, report } of [dead, inFlight]) {
      await store.client.send(
        new PutCommand({ TableName: store.tableName, Item: { ...keys.unfinishedIntake(idempotencyKey), idempotencyKey, report, since: report.createdAt } }),
      );
    }

    expect(await repair(UNFINISHED_REPAIR_EVENT)).toEqual({ repaired: 1, stillFailing: 0 });

    const [stored] = await reports.listByReporter(dead.report.reporterKey, 5);
    expect(stored).toMatchObject({ reporterKey: dead.report.reporterKey, identifiers: [{ kind: 'handle', value: 'half_written_scam' }] });
    expect(await reports.getIdentifier('handle', 'half_written_scam')).toMatchObject({ reporters: 1, references: [stored!.reference] });
    // The one begun a moment ago may still be running: not touched, and still marked.
    expect(await reports.listByReporter(inFlight.report.reporterKey, 5)).toEqual([]);
    expect((await reports.listUnfinished(minutesAgo(-1))).map((unfinished) => unfinished.idempotencyKey)).toEqual([inFlight.idempotencyKey]);
    // A second run finds nothing more to do: the report is not stored twice.
    expect(await repair(UNFINISHED_REPAIR_EVENT)).toEqual({ repaired: 0, stillFailing: 0 });
    expect(await reports.listByReporter(dead.report.reporterKey, 5)).toHaveLength(1);
  });

  // Last: it deletes the table.
  it('while the table still refuses, reports only those records failed and backs each off longer than the last', async () => {
    await store.client.send(new (await import('@aws-sdk/client-dynamodb')).DeleteTableCommand({ TableName: store.tableName }));
    const visibility = sqsApi('ChangeMessageVisibility', 2);
    const deadLetters = sqsApi('SendMessage');
    const [first, third, unreadable] = [sqsRecord(JSON.stringify(entry()), 1), sqsRecord(JSON.stringify(entry()), 3), sqsRecord('[]')];

    const result = await handler(sqsEvent(first, third, unreadable));

    expect(result.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual([first.messageId, third.messageId].sort());
    expect(deadLetters).toEqual([{ QueueUrl: JOURNAL_DEAD_LETTER_QUEUE_URL, MessageBody: '[]' }]);
    expect(visibility).toEqual(
      expect.arrayContaining([
        { QueueUrl: JOURNAL_QUEUE_URL, ReceiptHandle: first.receiptHandle, VisibilityTimeout: RETRY_BASE_SECONDS },
        { QueueUrl: JOURNAL_QUEUE_URL, ReceiptHandle: third.receiptHandle, VisibilityTimeout: 4 * RETRY_BASE_SECONDS },
      ]),
    );
    // Logged without the report's contents or any number.
    expect(lines.join('\n')).not.toMatch(/\+992\d{9}/);
  });
});
