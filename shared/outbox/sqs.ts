import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { OutboxQueue, QueuedSms } from '../ports';

/** SQS's limit per SendMessageBatch. */
const SQS_BATCH_MAX = 10;

/**
 * The outbox queue on AWS. The message carries the number to send to; the queue is encrypted (see the stack).
 * Bulk messages (broadcasts) go to their own queue, which the outbox function drains with less concurrency than
 * the replies' queue: a broadcast never stands between a caller and their answer.
 */
export class SqsQueue implements OutboxQueue {
  constructor(
    private readonly queueUrl: string,
    private readonly client: SQSClient = new SQSClient({}),
    private readonly bulkQueueUrl: string = queueUrl,
  ) {}

  private urlOf(message: QueuedSms): string {
    return message.priority === 'bulk' ? this.bulkQueueUrl : this.queueUrl;
  }

  async enqueue(message: QueuedSms): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.urlOf(message), MessageBody: JSON.stringify(message) }));
  }

  async enqueueMany(messages: readonly QueuedSms[]): Promise<void> {
    for (let start = 0; start < messages.length; start += SQS_BATCH_MAX) {
      const chunk = messages.slice(start, start + SQS_BATCH_MAX);
      const entries = chunk.map((message, i) => ({ Id: String(i), MessageBody: JSON.stringify(message), url: this.urlOf(message) }));
      // One queue per call: a chunk is all bulk or all replies in practice, but split it if not.
      for (const url of new Set(entries.map((entry) => entry.url))) {
        let pending = entries.filter((entry) => entry.url === url);
        for (let attempt = 0; pending.length > 0; attempt++) {
          if (attempt > 5) throw new Error(`${pending.length} messages could not be queued`);
          const { Failed } = await this.client.send(
            new SendMessageBatchCommand({ QueueUrl: url, Entries: pending.map(({ Id, MessageBody }) => ({ Id, MessageBody })) }),
          );
          const failed = new Set((Failed ?? []).map((entry) => entry.Id));
          pending = pending.filter((entry) => failed.has(entry.Id));
        }
      }
    }
  }

  /** Backoff for a retry: the message reappears after base × 2^(attempt-1) seconds (at most 12 hours). */
  async delayRetry(receiptHandle: string, attempt: number, baseSeconds: number): Promise<void> {
    await this.client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: Math.min(baseSeconds * 2 ** (attempt - 1), 43_200),
      }),
    );
  }
}
