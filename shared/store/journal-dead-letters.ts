/**
 * Journaled reports that can never be stored (the table refuses them for what they are: a key or an item over
 * DynamoDB's limits, a value it rejects), recorded where an operator looks: a retry would fail for ever and hold
 * the journal's other entries up. The record says which intake it was and why, never the report's contents (the
 * entry itself is kept by the journal's own dead letter: a file beside the local journal, the dead-letter queue on
 * AWS, both alarmed).
 */
import { createHash } from 'node:crypto';
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { JournalEntry } from '../ports';
import { redactPhoneNumbers } from '../log';
import { collections, keys } from './keys';

export interface JournalDeadLetter {
  at: string;
  /** SHA-256 of the intake's idempotency key: ties the record to the entry kept in the dead letter. */
  intake: string;
  channel: string;
  urgent: boolean;
  reportCreatedAt: string;
  reason: string;
}

export class JournalDeadLetters {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  async record(entry: JournalEntry, reason: string): Promise<JournalDeadLetter> {
    const record: JournalDeadLetter = {
      at: new Date(this.now()).toISOString(),
      intake: journalIntakeHash(entry),
      channel: entry.report.channel,
      urgent: entry.report.urgency.urgent,
      reportCreatedAt: entry.report.createdAt,
      reason: redactPhoneNumbers(reason).slice(0, 300),
    };
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.journalDeadLetter(record.at, record.intake), ...record } }));
    return record;
  }

  /** Every dead-lettered entry, oldest first. */
  async list(): Promise<JournalDeadLetter[]> {
    const { pk, skPrefix } = collections.journalDeadLetters();
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
      }),
    );
    return Items.map(({ at, intake, channel, urgent, reportCreatedAt, reason }) => ({ at, intake, channel, urgent, reportCreatedAt, reason }) as JournalDeadLetter);
  }
}

export const journalIntakeHash = (entry: JournalEntry) => createHash('sha256').update(entry.idempotencyKey).digest('base64url');
