/**
 * The outreach's items (shared/store/keys.ts): subscriptions with their consent records, scam alerts, confirmed
 * identifiers, and broadcasts with their fan-out cursor and delivery counters. A subscriber's number is kept sealed
 * (NumberVault) beside the subscription, opened only to send; keys and logs carry the keyed hash.
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from '../domain/zod';
import { alertSchema, type Alert } from '../domain/outreach/alerts';
import { segmentSchema, type DeliveryReport } from '../domain/outreach/broadcast';
import { consentSchema, subscriptionObject, type Consent, type Subscription } from '../domain/outreach/subscription';
import { LANGUAGES } from '../domain/prompts';
import { writtenIf } from './conditional';
import { collections, keys } from './keys';
import { queryAll, queryCollection } from './query';

/** A subscription as stored: the fan-out's view, and the sealed number with its calling code (for the price). */
export const storedSubscriptionSchema = z.lazy(() => z.extend(subscriptionObject(), {
  sealedNumber: z.string().check(z.minLength(1)),
  callingCode: z.string().check(z.regex(/^\+\d{1,4}$|^\*$/)),
}));
export type StoredSubscription = z.infer<typeof storedSubscriptionSchema>;

export class SubscriptionRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(key: string): Promise<StoredSubscription | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.subscription(key), ConsistentRead: true }));
    return Item ? storedSubscriptionSchema.parse(Item) : undefined;
  }

  /** Whether broadcasts may still go to this subscriber (read by the outbox before each broadcast message). */
  async isActive(key: string): Promise<boolean> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.subscription(key), ConsistentRead: true, ProjectionExpression: '#status', ExpressionAttributeNames: { '#status': 'status' } }),
    );
    return Item?.status === 'active';
  }

  /** Writes the subscription and its consent record (the record first: no subscription without its proof). */
  async put(subscription: StoredSubscription): Promise<void> {
    await this.recordConsent(subscription.key, subscription.consent);
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.subscription(subscription.key), ...storedSubscriptionSchema.parse(subscription) } }));
  }

  /** Ends every broadcast to this subscriber at once. False when there was no active subscription. */
  async stop(key: string, consent: Consent): Promise<boolean> {
    const written = await writtenIf(
      this.client,
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.subscription(key),
        UpdateExpression: 'SET #status = :stopped, stoppedAt = :at',
        ConditionExpression: '#status = :active',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':stopped': 'stopped', ':active': 'active', ':at': consent.at },
      }),
    );
    if (!written) return false;
    await this.recordConsent(key, consent);
    return true;
  }

  private async recordConsent(key: string, consent: Consent): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.consentRecord(key, consent.at, consent.action), ...consentSchema.parse(consent) } }),
    );
  }

  /** Every opt-in and opt-out of a subscriber, oldest first. */
  async consentHistory(key: string): Promise<Consent[]> {
    return (await queryAll(this.client, this.tableName, collections.consentRecords(key))).map((item) => consentSchema.parse(item));
  }

  /** Every subscription, page by page, from after `afterKey` (a fan-out's cursor). */
  async *all(afterKey?: string): AsyncGenerator<StoredSubscription> {
    for await (const item of queryCollection(this.client, this.tableName, collections.subscriptions(), {}, afterKey ? { ...keys.subscription(afterKey) } : undefined)) {
      const parsed = storedSubscriptionSchema.safeParse(item);
      if (parsed.success) yield parsed.data;
    }
  }
}

export const BROADCAST_STATUSES = ['draft', 'approved', 'sending', 'completed'] as const;
export type BroadcastStatus = (typeof BROADCAST_STATUSES)[number];

export const broadcastSchema = z.lazy(() => z.object({
  id: z.string().check(z.minLength(1)),
  kind: z.enum(['alert', 'campaign']),
  /** The alert it sends (kind alert). */
  alertCode: z.optional(z.string()),
  title: z.string().check(z.minLength(1), z.maxLength(200)),
  texts: z.partialRecord(z.enum(LANGUAGES), z.string().check(z.minLength(1))),
  segment: segmentSchema,
  status: z.enum(BROADCAST_STATUSES),
  /** Not sent before this time (scheduled, or moved past quiet hours). */
  notBefore: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  createdBy: z.object({ key: z.string(), name: z.string() }),
  approvedBy: z.optional(z.object({ key: z.string(), name: z.string() })),
  estimate: z.optional(z.object({ recipients: z.number(), segments: z.number(), usd: z.number() })),
  /** The last subscriber key fanned out: a fan-out cut short resumes after it. */
  cursor: z.optional(z.string()),
  startedAt: z.optional(z.iso.datetime()),
  completedAt: z.optional(z.iso.datetime()),
}));
export type Broadcast = z.infer<typeof broadcastSchema>;

/**
 * Counter attributes on a broadcast item, moved by the message repository as its messages move: `n_queued` is every
 * message fanned out, the others each message under its latest status (a sent message that fails moves from sent to
 * failed).
 */
export const COUNTER = { queued: 'n_queued', sent: 'n_sent', delivered: 'n_delivered', failed: 'n_failed', optedOut: 'n_optedOut', failedPrefix: 'fail_' } as const;

export class AlertRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** A new draft; false when its code is taken (the caller draws another). */
  async createAlert(alert: Alert): Promise<boolean> {
    return writtenIf(this.client, new PutCommand({ TableName: this.tableName, Item: { ...keys.alert(alert.code), ...alertSchema.parse(alert) }, ConditionExpression: 'attribute_not_exists(pk)' }));
  }

  async getAlert(code: string): Promise<Alert | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.alert(code), ConsistentRead: true }));
    return Item ? alertSchema.parse(Item) : undefined;
  }

  async listAlerts(): Promise<Alert[]> {
    const items = await queryAll(this.client, this.tableName, collections.alerts());
    return items.map((item) => alertSchema.parse(item)).sort((a, b) => b.draftedAt.localeCompare(a.draftedAt));
  }

  /** Approves a draft, once: false when it was approved already (by a racing approver) or is not a draft. */
  async approveAlert(code: string, by: { key: string; name: string }, at: string, broadcastId: string): Promise<boolean> {
    return writtenIf(
      this.client,
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.alert(code),
        UpdateExpression: 'SET #status = :approved, approvedBy = :by, approvedAt = :at, broadcastId = :broadcast',
        // The two-person rule holds in the store too: the drafter's key can never approve.
        ConditionExpression: '#status = :draft AND draftedBy.#key <> :key',
        ExpressionAttributeNames: { '#status': 'status', '#key': 'key' },
        ExpressionAttributeValues: { ':approved': 'approved', ':draft': 'draft', ':by': by, ':at': at, ':broadcast': broadcastId, ':key': by.key },
      }),
    );
  }

  /** From now on, CHECK answers that this identifier is a confirmed scam. */
  async confirmIdentifier(kind: string, value: string, confirmedOn: string, alertCode: string): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.confirmedIdentifier(kind, value), confirmedOn, alertCode } }));
  }

  async getConfirmation(kind: string, value: string): Promise<{ confirmedOn: string; alertCode: string } | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.confirmedIdentifier(kind, value) }));
    return typeof Item?.confirmedOn === 'string' ? { confirmedOn: Item.confirmedOn, alertCode: String(Item.alertCode) } : undefined;
  }

  async putBroadcast(broadcast: Broadcast): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.broadcast(broadcast.id), ...broadcastSchema.parse(broadcast) } }));
  }

  async getBroadcast(id: string): Promise<(Broadcast & { report: DeliveryReport }) | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.broadcast(id), ConsistentRead: true }));
    return Item ? withReport(Item) : undefined;
  }

  async listBroadcasts(): Promise<(Broadcast & { report: DeliveryReport })[]> {
    const items = await queryAll(this.client, this.tableName, collections.broadcasts());
    return items.map(withReport).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Moves a broadcast from one status to the next; false when another run moved it first. */
  async moveBroadcast(id: string, from: BroadcastStatus, to: BroadcastStatus, fields: Partial<Pick<Broadcast, 'startedAt' | 'completedAt' | 'notBefore' | 'approvedBy'>> = {}): Promise<boolean> {
    const names = Object.keys(fields);
    return writtenIf(
      this.client,
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.broadcast(id),
        UpdateExpression: `SET #status = :to${names.map((name) => `, #${name} = :${name}`).join('')}`,
        ConditionExpression: '#status = :from',
        ExpressionAttributeNames: { '#status': 'status', ...Object.fromEntries(names.map((name) => [`#${name}`, name])) },
        ExpressionAttributeValues: { ':to': to, ':from': from, ...Object.fromEntries(Object.entries(fields).map(([name, value]) => [`:${name}`, value])) },
      }),
    );
  }

  /** A pass over a broadcast's subscribers ended with some asleep: the next, from the start, not before `notBefore`. */
  async startPassAgain(id: string, notBefore: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.broadcast(id),
        UpdateExpression: 'SET #notBefore = :notBefore REMOVE #cursor',
        ConditionExpression: '#status = :sending',
        ExpressionAttributeNames: { '#notBefore': 'notBefore', '#cursor': 'cursor', '#status': 'status' },
        ExpressionAttributeValues: { ':notBefore': notBefore, ':sending': 'sending' },
      }),
    );
  }

  /**
   * Takes the broadcast schedule's run lease until `untilSeconds` (epoch): false while another run holds an unexpired
   * one. Two runs at once would fan one broadcast out twice from the same cursor. As with the outbox's send lease,
   * the token read back tells a lease whose write succeeded but whose response was lost (the SDK's retry then fails
   * the condition) from one another run holds.
   */
  async takeRunLease(token: string, nowSeconds: number, untilSeconds: number): Promise<boolean> {
    const leased = await writtenIf(
      this.client,
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.broadcastRunLease(), leaseToken: token, leaseUntil: untilSeconds },
        ConditionExpression: 'attribute_not_exists(pk) OR leaseUntil < :now',
        ExpressionAttributeValues: { ':now': nowSeconds },
      }),
    );
    if (leased) return true;
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.broadcastRunLease(), ConsistentRead: true }));
    return Item?.leaseToken === token;
  }

  /** The run is over: the lease goes, unless it ran out and another run took it meanwhile. */
  async releaseRunLease(token: string): Promise<void> {
    await writtenIf(
      this.client,
      new DeleteCommand({
        TableName: this.tableName,
        Key: keys.broadcastRunLease(),
        ConditionExpression: 'leaseToken = :token',
        ExpressionAttributeValues: { ':token': token },
      }),
    );
  }

  /** A batch fanned out: the cursor moves past it and its messages count as queued. */
  async advanceCursor(id: string, cursor: string, queued: number): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.broadcast(id),
        UpdateExpression: 'SET #cursor = :cursor ADD #queued :queued',
        ExpressionAttributeNames: { '#cursor': 'cursor', '#queued': COUNTER.queued },
        ExpressionAttributeValues: { ':cursor': cursor, ':queued': queued },
      }),
    );
  }
}

const counter = (item: Record<string, unknown>, name: string) => (typeof item[name] === 'number' ? (item[name] as number) : 0);

function withReport(item: Record<string, unknown>): Broadcast & { report: DeliveryReport } {
  const failedByReason = Object.fromEntries(
    Object.keys(item)
      .filter((name) => name.startsWith(COUNTER.failedPrefix))
      .map((name) => [name.slice(COUNTER.failedPrefix.length), counter(item, name)]),
  );
  const [total, sent, delivered, failed, optedOutSince] = [COUNTER.queued, COUNTER.sent, COUNTER.delivered, COUNTER.failed, COUNTER.optedOut].map((name) => counter(item, name)) as [number, number, number, number, number];
  return {
    ...broadcastSchema.parse(item),
    report: { total, queued: total - sent - delivered - failed - optedOutSince, sent, delivered, failed, failedByReason, optedOutSince },
  };
}
