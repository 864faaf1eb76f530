import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { BROADCAST_RUN_SECONDS, BULK_CONCURRENCY } from '../../shared/outreach/config';
import { BACKGROUND_MEMORY_MB, HotlineFunction } from './function';
import type { FunctionContext } from './function-context';
import type { NumberVault } from './number-vault';
import { OUTBOX_VISIBILITY_TIMEOUT, SMS_MAX_ATTEMPTS, type SmsOutbox } from './outbox';
import { TABLE_ACCESS } from './table-access';
import { broadcastReservation } from './concurrency';
import type { HotlineContext } from '../context';


/**
 * Broadcasts: the outbox's bulk lane (its own queue, drained by the outbox function at most BULK_CONCURRENCY at a
 * time, while the replies' queue may use ten), and the function that fans approved broadcasts and timed tips out
 * into it, every minute, one run at a time (the table's run lease; a reserved concurrency of one as well where the
 * account can spare it, infra/constructs/concurrency.ts). Messages given up on share the outbox's dead-letter queue and alarm.
 */
export class Broadcasts {
  readonly queue: Queue;
  readonly function: HotlineFunction;

  constructor(scope: Construct, { table, secrets, publicBaseUrl }: FunctionContext, outbox: SmsOutbox, vault: NumberVault, context: HotlineContext) {
    this.queue = new Queue(scope, 'BroadcastQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: OUTBOX_VISIBILITY_TIMEOUT,
      deadLetterQueue: { queue: outbox.deadLetterQueue, maxReceiveCount: SMS_MAX_ATTEMPTS + 1 },
    });
    outbox.function.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: BULK_CONCURRENCY }),
    );
    // The outbox function backs bulk retries off on this queue.
    outbox.function.addEnvironment('BROADCAST_QUEUE_URL', this.queue.queueUrl);

    this.function = new HotlineFunction(scope, 'BroadcastFunction', {
      description: 'SafeJob Hotline: fans approved broadcasts and timed tips out into the outbox bulk queue',
      entry: 'functions/broadcast/index.ts',
      memorySize: BACKGROUND_MEMORY_MB,
      // The run lease outlasts it (BROADCAST_RUN_LEASE_SECONDS): a run cut off here is taken over, never overlapped.
      timeout: Duration.seconds(BROADCAST_RUN_SECONDS),
      publicBaseUrl,
      reservedConcurrentExecutions: broadcastReservation(context),
      environment: { BROADCAST_QUEUE_URL: this.queue.queueUrl },
    })
      // Also a batch of 25 written at once (store/bulk-messages.ts).
      .bindTable(table, TABLE_ACCESS.BroadcastFunction, ['dynamodb:BatchWriteItem'])
      .bindSecrets(secrets.generated);
    // Opens each subscriber's sealed number to send to it.
    vault.bind(this.function, ['kms:Decrypt']);
    this.queue.grant(this.function, 'sqs:SendMessage');
    new Rule(scope, 'BroadcastSchedule', {
      description: 'SafeJob Hotline: fans out due broadcasts and timed tips',
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(this.function, { retryAttempts: 0 })],
    });
  }
}
