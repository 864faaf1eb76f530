import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isLive, keys } from './keys';

/** Providers retry within hours; two days of memory covers them. */
const PROCESSED_TTL_SECONDS = 2 * 24 * 3600;

/** What the hotline remembers of inbound messages: which provider ids it has handled, and how many per hour. */
export class InboundRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Claims a provider message id before any effect. True the first time; false for a retry of the same message.
   * An expired claim (TTL deletes only eventually) counts as absent.
   */
  async claim(provider: string, providerId: string): Promise<boolean> {
    const nowSeconds = Math.floor(this.now() / 1000);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.processedInbound(provider, providerId), expiresAt: nowSeconds + PROCESSED_TTL_SECONDS },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
          ExpressionAttributeValues: { ':now': nowSeconds },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Gives a claim back when handling failed, so the provider's retry is handled. */
  async release(provider: string, providerId: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: keys.processedInbound(provider, providerId) }));
  }

  /** Counts one more inbound SMS from a caller in the current UTC hour and returns the count so far. */
  async countThisHour(callerKey: string): Promise<number> {
    const now = new Date(this.now());
    const hour = now.toISOString().slice(0, 13);
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.smsRateCounter(callerKey, hour),
        UpdateExpression: 'ADD #count :one SET expiresAt = if_not_exists(expiresAt, :expires)',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':one': 1, ':expires': Math.floor(now.getTime() / 1000) + 2 * 3600 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return isLive(Attributes as { expiresAt?: number }, now.getTime()) ? Number(Attributes?.count ?? 1) : 1;
  }
}
