import { Duration } from 'aws-cdk-lib';
import { Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { OperatorAlarms } from './alarms';
import type { HotlineFunction } from './function';
import type { HotlineTable } from './table';

/**
 * Replays of one journaled report before it is dead-lettered. functions/intake-replay backs each failed replay off
 * (60 s × 2^(n-1), at most 12 h): 12 receives span about 46 hours, longer than any DynamoDB incident on record, and
 * the `report-journal-waiting` alarm has called an operator long before.
 */
export const JOURNAL_MAX_RECEIVES = 12;

/** One intake-replay batch: up to 10 journaled reports, each two writes and possibly an escalation start. */
export const REPLAY_TIMEOUT = Duration.seconds(30);

/**
 * The intake journal: reports the table refused, replayed by functions/intake-replay, with its dead-letter queue
 * and alarms. A message is a report the table did not take (free text, identifiers, the sealed call-back number):
 * table data not yet written. So it is encrypted under the table's own key: exactly who may read the table (the
 * functions, which already hold kms:Decrypt/GenerateDataKey* on it through bindTable) may read the journal, and
 * nobody else. The data key is reused for 5 minutes, so a burst of journaled reports costs few KMS calls.
 */
export class IntakeJournal {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, { key }: HotlineTable, alarms: OperatorAlarms) {
    this.deadLetterQueue = new Queue(scope, 'ReportJournalDeadLetterQueue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: key,
      dataKeyReuse: Duration.minutes(5),
      enforceSSL: true,
      // The longest SQS allows (counted from the first journaling): an operator redrives them once the cause is fixed.
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(scope, 'ReportJournalQueue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: key,
      dataKeyReuse: Duration.minutes(5),
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // AWS's rule for a Lambda event source: at least six times the function timeout.
      visibilityTimeout: Duration.seconds(6 * REPLAY_TIMEOUT.toSeconds()),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: JOURNAL_MAX_RECEIVES },
    });
    alarms.alarm(
      'ReportJournalDeadLetterAlarm',
      'report-journal-dead-letters',
      'A journaled report could not be stored after every replay (or its journal entry is unreadable): it is in the ' +
        'report journal dead-letter queue. Fix the cause (table, permissions), then redrive the queue to the journal.',
      this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: Stats.MAXIMUM }),
    );
    alarms.alarm(
      'ReportJournalWaitingAlarm',
      'report-journal-waiting',
      'Reports the table refused have been waiting over 15 minutes to be replayed: the table is refusing writes ' +
        '(throttling, KMS key disabled, permissions). Callers were told to try again; nothing is lost while they wait.',
      this.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: Stats.MAXIMUM }),
      15 * 60,
    );
  }

  /** REPORT_JOURNAL_QUEUE_URL and SendMessage on it (SqsJournal.append); the key comes with bindTable. */
  bindWriter(fn: HotlineFunction): void {
    fn.addEnvironment('REPORT_JOURNAL_QUEUE_URL', this.queue.queueUrl);
    this.queue.grant(fn, 'sqs:SendMessage');
  }

  /**
   * The replay: fed from the journal (the event source grants receiving and deleting), and sending only to the
   * dead-letter queue an entry that is not a journal entry at all (no replay can make it readable).
   */
  bindReplay(fn: HotlineFunction): void {
    fn.addEnvironment('REPORT_JOURNAL_QUEUE_URL', this.queue.queueUrl);
    fn.addEnvironment('REPORT_JOURNAL_DEAD_LETTER_QUEUE_URL', this.deadLetterQueue.queueUrl);
    fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        // Two at a time: a journal fills only while the table refuses writes; replaying faster would only add load.
        maxConcurrency: 2,
      }),
    );
    this.deadLetterQueue.grant(fn, 'sqs:SendMessage');
  }
}
