import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { writtenIf } from './conditional';
import { isLive, keys } from './keys';

/** Providers retry within hours; two days of memory covers them. */
const PROCESSED_TTL_SECONDS = 2 * 24 * 3600;


/** What the hotline remembers of inbound messages: which provider ids it has handled, and how many per hour. */
export class InboundRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    /**
     * A claim still `processing` after this many seconds was left by an attempt that died (or whose store calls
     * failed): the provider's retry takes it over, so the message is handled after all. Shorter than a live
     * attempt can take would let two attempts both answer.
     */
    private readonly staleClaimSeconds = 30,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Claims a provider message id before any effect: `claimed` the first time; for a retry, `handled` when the
   * message was handled (`done`), `in-progress` while another attempt handles it. A claim whose attempt died without finishing (its `done` or
   * `release` never written) is taken over after `staleClaimSeconds`; an expired one counts as absent.
   */
  async claim(provider: string, providerId: string): Promise<'claimed' | 'handled' | 'in-progress'> {
    const nowSeconds = Math.floor(this.now() / 1000);
    const claimed = await writtenIf(
      this.client,
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.processedInbound(provider, providerId),
          state: 'processing',
          claimedAt: nowSeconds,
          expiresAt: nowSeconds + PROCESSED_TTL_SECONDS,
        },
        ConditionExpression:
          'attribute_not_exists(pk) OR expiresAt <= :now OR (#state = :processing AND claimedAt <= :stale)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':now': nowSeconds, ':processing': 'processing', ':stale': nowSeconds - this.staleClaimSeconds },
      }),
    );
    if (claimed) return 'claimed';
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.processedInbound(provider, providerId), ConsistentRead: true }),
    );
    return Item?.state === 'processing' ? 'in-progress' : 'handled';
  }

  /** Marks a claimed message handled: from now on its retries are ignored. */
  async done(provider: string, providerId: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.processedInbound(provider, providerId),
        UpdateExpression: 'SET #state = :done',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':done': 'done' },
      }),
    );
  }

  /** Gives a claim back when handling failed, so the provider's retry is handled. */
  async release(provider: string, providerId: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: keys.processedInbound(provider, providerId) }));
  }

  /**
   * Counts one more inbound SMS from a caller in the current UTC hour: the count so far, and the hour it went to
   * (for `uncount`).
   */
  async countThisHour(callerKey: string): Promise<{ count: number; hour: string }> {
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
    return { count: isLive(Attributes as { expiresAt?: number }, now.getTime()) ? Number(Attributes?.count ?? 1) : 1, hour };
  }

  /** Takes a count back from the hour it went to: a provider's retry of a message already claimed is no new message. */
  async uncount(callerKey: string, hour: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.smsRateCounter(callerKey, hour),
        UpdateExpression: 'ADD #count :minusOne',
        ConditionExpression: 'attribute_exists(#count)',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':minusOne': -1 },
      }),
    );
  }
}
