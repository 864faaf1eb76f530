import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { journalEntrySchema } from './journal';
import type { IntakeJournal, JournalEntry } from '../ports';

/**
 * The intake journal on AWS: one SQS message per entry, body the entry as JSON. The queue's consumer parses the
 * body with `journalEntrySchema` and runs `replayJournal`; a failed replay leaves the message for the queue's retry.
 */
export class SqsJournal implements IntakeJournal {
  constructor(
    private readonly queueUrl: string,
    private readonly client: SQSClient = new SQSClient({}),
  ) {}

  async append(entry: JournalEntry): Promise<void> {
    await this.client.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(journalEntrySchema.parse(entry)) }),
    );
  }
}
