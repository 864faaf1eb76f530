import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { OPTED_OUT_REASON, reasonSlug } from '../domain/outreach/broadcast';
import { redactPhoneNumbers } from '../log';
import { writtenIf } from './conditional';
import { keys } from './keys';
import { COUNTER } from './outreach';
import type { OutboundStatus } from '../ports';

const RETENTION_SECONDS = 90 * 24 * 3600;

/** How far along a status is: a late or repeated provider callback never moves a message backwards. */
const STATUS_RANK: Record<OutboundStatus, number> = { queued: 0, sent: 1, delivered: 2, failed: 2 };

export interface OutboundRecord {
  id: string;
  toKey: string;
  /** The last four digits, for an operator reading the table; the number itself is never stored. */
  toLast4: string;
  status: OutboundStatus;
  provider?: string;
  providerMessageId?: string;
  attempts: number;
  lastError?: string;
  /** The broadcast it is part of: its delivery counters move with it. */
  broadcastId?: string;
  createdAt: string;
  updatedAt: string;
}

export type QueuedRecord = Pick<OutboundRecord, 'id' | 'toKey' | 'toLast4' | 'createdAt' | 'broadcastId'>;

/** The status of every outbound SMS, and the index from a provider's message id back to it. */
export class MessageRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  private expiresAt() {
    return Math.floor(this.now() / 1000) + RETENTION_SECONDS;
  }

  /**
   * Records a message as queued. With `onlyIfNew`, a message with this id already recorded is left as it is and
   * false is returned (a reply whose cause was handled twice).
   */
  async recordQueued(record: QueuedRecord, onlyIfNew = false): Promise<boolean> {
    // Without `onlyIfNew` the put has no condition to fail.
    return writtenIf(
      this.client,
      new PutCommand({
        TableName: this.tableName,
        Item: this.queuedItem(record),
        ...(onlyIfNew ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}),
      }),
    );
  }

  /** The item of a message just queued (also written in batches, store/bulk-messages.ts). */
  queuedItem(record: QueuedRecord) {
    return { ...keys.outboundMessage(record.id), ...record, status: 'queued', attempts: 0, updatedAt: record.createdAt, expiresAt: this.expiresAt() };
  }

  async get(id: string): Promise<OutboundRecord | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.outboundMessage(id) }));
    return Item as OutboundRecord | undefined;
  }

  /** A provider took the message: record which one and its id, so its delivery reports find the message. */
  async recordSent(id: string, provider: string, providerMessageId: string, attempts: number): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.providerMessage(provider, providerMessageId), messageId: id, expiresAt: this.expiresAt() },
      }),
    );
    const sent = { provider, providerMessageId, attempts };
    if (await this.update(id, 'sent', sent)) return;
    // A delivery report overtook this record (Kannel's comes within milliseconds) and moved the status on: keep
    // that status, but still record who sent the message.
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.outboundMessage(id),
        UpdateExpression: 'SET #provider = :provider, #providerMessageId = :providerMessageId, #attempts = :attempts',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#provider': 'provider', '#providerMessageId': 'providerMessageId', '#attempts': 'attempts' },
        ExpressionAttributeValues: { ':provider': provider, ':providerMessageId': providerMessageId, ':attempts': attempts },
      }),
    );
  }

  async recordAttemptFailed(id: string, attempts: number, error: string, final: boolean): Promise<void> {
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.outboundMessage(id),
        // The lease goes with the attempt, so that the next attempt may send.
        UpdateExpression: `SET attempts = :attempts, lastError = :error, updatedAt = :now${final ? ', #status = :failed' : ''} REMOVE leaseUntil, leaseToken`,
        ExpressionAttributeNames: final ? { '#status': 'status' } : undefined,
        ExpressionAttributeValues: {
          ':attempts': attempts,
          ':error': storedError(error),
          ':now': new Date(this.now()).toISOString(),
          ...(final ? { ':failed': 'failed' } : {}),
        },
        ReturnValues: final ? 'ALL_OLD' : 'NONE',
      }),
    );
    if (final && Attributes?.status !== 'failed') await this.countTransition(Attributes, 'failed', error);
  }

  /**
   * Moves the delivery counters of the broadcast a message belongs to (nothing for any other message): each message
   * counts once, under its latest status, so a message sent and then failed leaves "sent" for "failed". Each
   * transition happens once (the status writes are conditional), so each is counted once. "Queued" is what is left
   * of the total (store/outreach.ts).
   */
  private async countTransition(before: Record<string, unknown> | undefined, status: OutboundStatus, reason?: string): Promise<void> {
    const broadcastId = before?.broadcastId;
    if (typeof broadcastId !== 'string') return;
    const optedOut = status === 'failed' && reason === OPTED_OUT_REASON;
    const entered = [
      ...(status === 'sent' ? [COUNTER.sent] : []),
      ...(status === 'delivered' ? [COUNTER.delivered] : []),
      ...(optedOut ? [COUNTER.optedOut] : []),
      ...(status === 'failed' && !optedOut ? [COUNTER.failed, `${COUNTER.failedPrefix}${reasonSlug(reason ?? '')}`] : []),
    ];
    const left = before?.status === 'sent' ? [COUNTER.sent] : [];
    const moves = [...entered.map((name) => [name, ':one'] as const), ...left.map((name) => [name, ':less'] as const)];
    if (moves.length === 0) return;
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.broadcast(broadcastId),
        UpdateExpression: `ADD ${moves.map(([, value], i) => `#c${i} ${value}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(moves.map(([name], i) => [`#c${i}`, name])),
        ExpressionAttributeValues: { ':one': 1, ...(left.length > 0 ? { ':less': -1 } : {}) },
      }),
    );
  }

  /**
   * Takes the right to send a queued message for `seconds`: false when it is no longer queued, or another attempt
   * holds the lease (a queue handing the same message over twice, a reply queued again). Two attempts never both
   * send; an attempt that dies leaves a lease that simply runs out. Each lease carries a fresh token: when the
   * write succeeded but its response was lost, the SDK's retry fails its condition, and the token read back tells
   * that the lease is ours after all (otherwise the message would be left unsent by everybody).
   */
  async takeSendLease(id: string, seconds: number): Promise<boolean> {
    const nowSeconds = Math.floor(this.now() / 1000);
    const token = randomUUID();
    const leased = await writtenIf(
      this.client,
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.outboundMessage(id),
        UpdateExpression: 'SET leaseUntil = :until, leaseToken = :token',
        ConditionExpression: '#status = :queued AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':until': nowSeconds + seconds, ':token': token, ':queued': 'queued', ':now': nowSeconds },
      }),
    );
    if (leased) return true;
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.outboundMessage(id), ConsistentRead: true }),
    );
    return Item?.leaseToken === token && Item.status === 'queued';
  }

  /**
   * Applies a provider's delivery report. Returns false when the provider id is unknown (accepted and ignored)
   * or the report would move the status backwards.
   */
  async applyDeliveryReport(provider: string, providerMessageId: string, status: OutboundStatus, error?: string): Promise<boolean> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.providerMessage(provider, providerMessageId) }),
    );
    if (typeof Item?.messageId !== 'string') return false;
    return this.update(Item.messageId, status, error ? { lastError: storedError(error) } : {});
  }

  /**
   * Applies a delivery report that names the message by our own id (Kannel's dlr-url carries it): no index to
   * look up, so a report that overtakes `recordSent` (Kannel reports "delivered to the SMSC" within milliseconds)
   * still applies. False when the message is unknown or the report would move it backwards.
   */
  async applyDeliveryReportToMessage(id: string, status: OutboundStatus, error?: string): Promise<boolean> {
    return this.update(id, status, error ? { lastError: storedError(error) } : {});
  }

  /** Moves the status forward only: the condition refuses a lower-ranked status. */
  private async update(id: string, status: OutboundStatus, fields: Record<string, string | number>): Promise<boolean> {
    const lower = (Object.keys(STATUS_RANK) as OutboundStatus[]).filter(
      (s) => STATUS_RANK[s] < STATUS_RANK[status] || s === status,
    );
    const sets = Object.keys(fields).map((name) => `#${name} = :${name}`);
    let before: Record<string, unknown> | undefined;
    try {
      ({ Attributes: before } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.outboundMessage(id),
          UpdateExpression: `SET #status = :status, updatedAt = :now${sets.map((s) => `, ${s}`).join('')}`,
          // A repeat of the same status is harmless; delivered and failed are final.
          ConditionExpression: `attribute_exists(pk) AND #status IN (${lower.map((_, i) => `:s${i}`).join(', ')})`,
          ExpressionAttributeNames: {
            '#status': 'status',
            ...Object.fromEntries(Object.keys(fields).map((name) => [`#${name}`, name])),
          },
          ExpressionAttributeValues: {
            ':status': status,
            ':now': new Date(this.now()).toISOString(),
            ...Object.fromEntries(lower.map((s, i) => [`:s${i}`, s])),
            ...Object.fromEntries(Object.entries(fields).map(([name, value]) => [`:${name}`, value])),
          },
          ReturnValues: 'ALL_OLD',
        }),
      ));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
    if (before?.status !== status) await this.countTransition(before, status, typeof fields.lastError === 'string' ? fields.lastError : undefined);
    return true;
  }
}

/** A provider's error text as kept in `lastError`: providers quote the recipient's number, so it is masked. */
function storedError(error: string): string {
  return redactPhoneNumbers(error).slice(0, 500);
}
