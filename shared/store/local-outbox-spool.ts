/**
 * The local outbox's queue kept in the table (local mode only; SQS keeps it on AWS): the in-process queue forgets
 * what it held when the process dies, so each message is kept here from the moment it is queued until it is sent
 * or given up on, and the next start queues again whatever is left (sending takes a lease, so a message queued
 * twice is still sent once). The number is kept sealed (NumberVault), never in clear; the text is the SMS.
 */
import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NumberVault, QueuedSms } from '../ports';
import { writtenIf } from './conditional';
import { collections, keys } from './keys';
import { queryAll } from './query';

export class LocalOutboxSpool {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly vault: NumberVault,
  ) {}

  async keep(message: QueuedSms): Promise<void> {
    const { to, ...rest } = message;
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.spooledMessage(message.id), ...rest, sealedTo: await this.vault.encrypt(to) } }),
    );
  }

  async release(id: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: keys.spooledMessage(id) }));
  }

  /**
   * Every message still kept, oldest first, for a new process to queue again. The send leases the last process
   * held died with it (there is one local process): they are lifted, or its messages would wait for them to expire.
   */
  async pending(): Promise<QueuedSms[]> {
    const items = await queryAll(this.client, this.tableName, collections.spooledMessages());
    const messages = await Promise.all(
      items.map(async ({ pk: _pk, sk: _sk, sealedTo, ...message }) => {
        await this.liftLease(String(message.id));
        return { ...(message as Omit<QueuedSms, 'to'>), to: await this.vault.decrypt(String(sealedTo)) };
      }),
    );
    return messages.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  private async liftLease(id: string): Promise<void> {
    // Sent or failed meanwhile: nothing to lift (delivering it again finds it handled).
    await writtenIf(
      this.client,
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.outboundMessage(id),
        UpdateExpression: 'REMOVE leaseUntil, leaseToken',
        ConditionExpression: '#status = :queued',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':queued': 'queued' },
      }),
    );
  }
}
