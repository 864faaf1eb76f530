/**
 * The intake journal's consumer on AWS (SQS event source on the report journal queue). Each message is one report
 * the table refused while a caller was on the line (shared/store/journal-sqs.ts): it is stored again, exactly once
 * (`create` and `recordIdentifiers` are idempotent on the journal entry's key), and an urgent report stored for the
 * first time starts its escalation, as it would have at intake (shared/intake.ts `afterReplay`).
 *
 * - A report the table still refuses is reported as a batch item failure and backed off (60 s × 2^(n-1), at most
 *   12 h, by ChangeMessageVisibility); after JOURNAL_MAX_RECEIVES receives the queue's redrive dead-letters it.
 * - A body that is not a journal entry cannot become one by waiting, nor can an entry the table refuses for what it
 *   is (ValidationException: a key or an item over DynamoDB's limits): either is moved to the dead-letter queue at
 *   once (its alarm calls an operator), and the store keeps a record of the latter (shared/intake.ts `afterReplay`).
 * - The others of a batch are deleted by SQS: one stuck report does not replay the rest again.
 *
 * Also invoked every few minutes by a schedule with `{ repairUnfinished: true }`: an intake whose process died between
 * its writes (a Lambda timed out or was recycled mid-intake) left an "unfinished" item (`INTAKES`), and the repair
 * completes it under the same key as the journal's replay would (shared/intake.ts `repairUnfinishedIntakes`),
 * escalation included. The same grant, the same deps: it is the same work.
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from '../../shared/domain/zod';
import { awsChannelDeps } from '../../shared/aws-adapters';
import { readJournalEntry, repairUnfinishedIntakes, replayIntake, UNFINISHED_REPAIR_EVENT } from '../../shared/intake';
import { powertoolsLoggerOf } from '../../shared/log';
import { SqsQueue } from '../../shared/outbox/sqs';

/** A failed replay waits 60 s, then 120 s, 240 s... (at most 12 h) before the next one. */
export const RETRY_BASE_SECONDS = 60;

/** A body that is not JSON is as unusable as one of the wrong shape. */
function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

interface Replay {
  sqs: SQSClient;
  journal: SqsQueue;
  deadLetterQueueUrl: string;
}

let replay: Replay | undefined;
/** The SQS side, built once per container after the channel dependencies (which check the queue variables). */
function replayOf(journalQueueUrl: string, deadLetterQueueUrl: string | undefined): Replay {
  if (!replay) {
    // Where unreadable entries go: set by the stack for this function only.
    if (!deadLetterQueueUrl) throw new Error('REPORT_JOURNAL_DEAD_LETTER_QUEUE_URL must be the URL of the journal dead-letter queue');
    const sqs = new SQSClient({});
    replay = { sqs, journal: new SqsQueue(journalQueueUrl, sqs), deadLetterQueueUrl };
  }
  return replay;
}

const repairEventSchema = z.object({ repairUnfinished: z.literal(true) });

/** What a repair run did: intakes completed, and those the table still refuses (the next run tries again). */
export interface RepairOutcome {
  repaired: number;
  stillFailing: number;
}

export async function handler(event: SQSEvent, context?: Context): Promise<SQSBatchResponse>;
export async function handler(event: typeof UNFINISHED_REPAIR_EVENT, context?: Context): Promise<RepairOutcome>;
export async function handler(event: SQSEvent | typeof UNFINISHED_REPAIR_EVENT, context?: Context): Promise<SQSBatchResponse | RepairOutcome> {
  const deps = await awsChannelDeps();
  if (context) powertoolsLoggerOf(deps.log)?.addContext(context);
  if (repairEventSchema.safeParse(event).success) {
    const result = await repairUnfinishedIntakes(deps.intake);
    return { repaired: result.replayed.length, stillFailing: result.failed.length };
  }
  if (!('Records' in event)) throw new Error('neither an SQS event nor the repair schedule');
  const { journal } = deps.config.reports;
  if (journal.kind !== 'sqs') throw new Error('REPORT_JOURNAL_QUEUE_URL is required');
  const { sqs, journal: journalQueue, deadLetterQueueUrl } = replayOf(journal.queueUrl, journal.deadLetterQueueUrl);
  const failures: SQSBatchResponse['batchItemFailures'] = [];

  async function replayRecord(record: SQSRecord): Promise<void> {
    const entry = readJournalEntry(parseJson(record.body));
    if (!entry) {
      await sqs.send(new SendMessageCommand({ QueueUrl: deadLetterQueueUrl, MessageBody: record.body }));
      deps.log.error('journal entry unreadable; dead-lettered', { messageId: record.messageId });
      return;
    }
    // Urgent reports stored for the first time start their escalation (a failed start is logged, not retried:
    // the report is stored, and the sweeper and the alarms cover an escalation that did not start).
    const result = await replayIntake(deps.intake, [entry]);
    if (result.deadLettered.length > 0) {
      // The table refuses it for what it is (a key or item over its limits): waiting cannot help.
      await sqs.send(new SendMessageCommand({ QueueUrl: deadLetterQueueUrl, MessageBody: record.body }));
      return;
    }
    if (result.failed.length > 0) {
      const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
      deps.log.warn('journaled report still refused; will retry', { messageId: record.messageId, attempt });
      await journalQueue
        .delayRetry(record.receiptHandle, attempt, RETRY_BASE_SECONDS)
        .catch((error: unknown) => deps.log.error('journal backoff not set', { messageId: record.messageId, error }));
      failures.push({ itemIdentifier: record.messageId });
    }
  }

  await Promise.all(
    event.Records.map((record) =>
      replayRecord(record).catch((error: unknown) => {
        deps.log.error('journal record failed', { messageId: record.messageId, error });
        failures.push({ itemIdentifier: record.messageId });
      }),
    ),
  );
  return { batchItemFailures: failures };
}
