/**
 * The outbox consumer on AWS: sends each queued SMS (routing, failover), reports partial batch failures so one bad
 * message does not resend the others, backs retries off, and moves given-up messages to the dead-letter queue.
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from '../../shared/domain/zod';
import { deliver, type DeliveryContext } from '../../shared/outbox/deliver';
import { configuredSenders } from '../../shared/outbox/senders';
import { SqsQueue } from '../../shared/outbox/sqs';
import { SegmentThrottle, shareOf } from '../../shared/outbox/throttle';
import { BULK_CONCURRENCY, outreachSection } from '../../shared/outreach/config';
import { createStoreBase, lazyDeps, subscriptionsOf } from '../../shared/runtime';

const queuedSmsSchema = z.object({
  id: z.string().check(z.minLength(1)),
  to: z.string().check(z.minLength(3)),
  text: z.string(),
  createdAt: z.string(),
  priority: z.optional(z.literal('bulk')),
  toKey: z.optional(z.string().check(z.minLength(1))),
});

const RETRY_BASE_SECONDS = 30;


/** A body that is not JSON is as unusable as one of the wrong shape: it is dead-lettered, not retried. */
function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** The outbox reads the base (providers, routes, queues) and the outreach's section (the bulk lane's limits). */
const getContext = lazyDeps({ outreach: outreachSection }, (config) => {
  const deps = createStoreBase(config);
  const sqs = new SQSClient({});
  const context: DeliveryContext = {
    senders: configuredSenders(config),
    routes: config.sms.routes,
    messages: deps.messages,
    maxAttempts: config.sms.maxAttempts,
    log: deps.log,
    subscribers: subscriptionsOf(deps),
    // Each container's share of the provider's limit: the bulk queue's event source runs at most two at once.
    throttle: new SegmentThrottle(shareOf(config.outreach.segmentLimits, BULK_CONCURRENCY)),
  };
  const bulkQueueUrl = config.outreach.bulkQueueUrl;
  return {
    deps,
    sqs,
    context,
    queue: new SqsQueue(config.sms.outboxQueueUrl ?? '', sqs),
    // A record of the bulk queue is backed off on that queue (its receipt handle is that queue's).
    bulkQueue: bulkQueueUrl ? { url: bulkQueueUrl, queue: new SqsQueue(bulkQueueUrl, sqs) } : undefined,
  };
});

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const { deps, sqs, context, queue, bulkQueue } = await getContext();
  const failures: SQSBatchResponse['batchItemFailures'] = [];

  async function handleRecord(record: SQSRecord): Promise<void> {
    const parsed = queuedSmsSchema.safeParse(parseJson(record.body));
    const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
    const outcome = parsed.success ? await deliver(context, parsed.data, attempt) : 'failed';
    if (outcome === 'retry') {
      const from = bulkQueue && record.eventSourceARN?.endsWith(`:${bulkQueue.url.split('/').at(-1)}`) ? bulkQueue.queue : queue;
      await from.delayRetry(record.receiptHandle, attempt, RETRY_BASE_SECONDS);
      failures.push({ itemIdentifier: record.messageId });
    } else if (outcome === 'failed') {
      // Given up: keep it in the dead-letter queue, where the alarm and an operator see it.
      if (!deps.config.sms.deadLetterQueueUrl) throw new Error('DEAD_LETTER_QUEUE_URL is not set');
      await sqs.send(new SendMessageCommand({ QueueUrl: deps.config.sms.deadLetterQueueUrl, MessageBody: record.body }));
    }
  }

  await Promise.all(
    event.Records.map((record) =>
      handleRecord(record).catch((error: unknown) => {
        deps.log.error('outbox record failed', { messageId: record.messageId, error });
        failures.push({ itemIdentifier: record.messageId });
      }),
    ),
  );
  return { batchItemFailures: failures };
}
