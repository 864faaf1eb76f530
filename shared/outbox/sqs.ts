import { ChangeMessageVisibilityCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { OutboxQueue, QueuedSms } from '../ports';

/** The outbox queue on AWS. The message carries the number to send to; the queue is encrypted (see the stack). */
export class SqsQueue implements OutboxQueue {
  constructor(
    private readonly queueUrl: string,
    private readonly client: SQSClient = new SQSClient({}),
  ) {}

  async enqueue(message: QueuedSms): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(message) }));
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
