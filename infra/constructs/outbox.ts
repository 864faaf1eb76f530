import { Duration } from 'aws-cdk-lib';
import { Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { OperatorAlarms } from './alarms';
import { BACKGROUND_MEMORY_MB, HotlineFunction } from './function';
import type { FunctionContext } from './function-context';
import { TABLE_ACCESS } from './table-access';

/**
 * Sending attempts per outbound SMS (the outbox function's SMS_MAX_ATTEMPTS). The function itself moves a message
 * it gives up on to the dead-letter queue on its final attempt and marks it failed; the queue's redrive allows one
 * receive more, as a safety net for a function that crashes or times out on every attempt.
 */
export const SMS_MAX_ATTEMPTS = 4;

/** One outbox batch: at most 10 messages, each up to two provider calls (the routed one, then the failover). */
const OUTBOX_TIMEOUT = Duration.seconds(30);
/** A short wait to collect a burst into one invocation; a reply to a texter leaves at most this much later. */
const OUTBOX_BATCHING_WINDOW = Duration.seconds(1);
/**
 * At most this many outbox invocations at once (10 messages each): ~50–100 SMS/s, above what the providers accept
 * from one account, and the queue consumers cannot take the account's concurrency from the webhooks in a burst.
 */
const OUTBOX_MAX_CONCURRENCY = 10;

/** AWS's rule for a Lambda event source: at least six times the function timeout, plus the batching window. */
export const OUTBOX_VISIBILITY_TIMEOUT = Duration.seconds(6 * OUTBOX_TIMEOUT.toSeconds() + OUTBOX_BATCHING_WINDOW.toSeconds());

/**
 * The SMS outbox: the queue every reply, confirmation and page goes into, the function that sends them through the
 * providers (failover, backoff, dead-lettering), its dead-letter queue and that queue's alarm.
 *
 * SQS-managed encryption (SSE-SQS) rather than a customer-managed key: a message holds a destination number and the
 * reply text for minutes (days in the dead-letter queue), and who may read it is already limited by IAM (only the
 * outbox role may receive) and TLS-only queue policies. A KMS key would add a key policy, kms grants to every
 * producer and consumer, and a KMS call on the hot path, without narrowing who can read a message.
 */
export class SmsOutbox {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly function: HotlineFunction;

  constructor(scope: Construct, { table, secrets, publicBaseUrl }: FunctionContext, alarms: OperatorAlarms) {
    this.deadLetterQueue = new Queue(scope, 'OutboxDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS allows: time for an operator to look at what was given up on, and redrive it.
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(scope, 'OutboxQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: OUTBOX_VISIBILITY_TIMEOUT,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: SMS_MAX_ATTEMPTS + 1 },
    });
    alarms.alarm(
      'OutboxDeadLetterAlarm',
      'sms-dead-letters',
      'An outbound SMS was given up on (both providers refused it or stayed down): see the outbox dead-letter queue ' +
        'and the message status in the table.',
      this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: Stats.MAXIMUM }),
    );

    this.function = new HotlineFunction(scope, 'OutboxFunction', {
      description: 'SafeJob Hotline: sends queued SMS through the providers, with failover, backoff and dead-lettering',
      entry: 'functions/outbox/index.ts',
      memorySize: BACKGROUND_MEMORY_MB,
      timeout: OUTBOX_TIMEOUT,
      publicBaseUrl,
      environment: {
        // Backoff is a ChangeMessageVisibility on this queue.
        OUTBOX_QUEUE_URL: this.queue.queueUrl,
        // Given-up messages are sent here by the function on their final attempt.
        DEAD_LETTER_QUEUE_URL: this.deadLetterQueue.queueUrl,
        SMS_MAX_ATTEMPTS: String(SMS_MAX_ATTEMPTS),
      },
    })
      .bindTable(table, TABLE_ACCESS.OutboxFunction, [], ['dynamodb:BatchGetItem'])
      // The Kannel token goes into the delivery report URL of every SMS sent through Kannel.
      .bindSecrets([...secrets.withProviderCredentials, secrets.kannelWebhookToken]);
    // Receive, delete and change visibility on the outbox queue (granted by the event source); send only to the DLQ.
    this.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        maxBatchingWindow: OUTBOX_BATCHING_WINDOW,
        // One failed message is retried alone; the others of its batch are deleted.
        reportBatchItemFailures: true,
        maxConcurrency: OUTBOX_MAX_CONCURRENCY,
      }),
    );
    this.deadLetterQueue.grant(this.function, 'sqs:SendMessage');
  }

  /** OUTBOX_QUEUE_URL and SendMessage on it: SqsQueue.enqueue is a SendMessage to a known URL. */
  bindSender(fn: HotlineFunction): void {
    fn.addEnvironment('OUTBOX_QUEUE_URL', this.queue.queueUrl);
    this.queue.grant(fn, 'sqs:SendMessage');
  }
}
