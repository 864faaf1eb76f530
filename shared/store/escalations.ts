/**
 * Escalations, the index of open ones, the audit trail and pending call requests (shared/store/keys.ts).
 *
 * No transactions: the escalation item is written conditionally on the version that was read, so an ACK and a
 * timeout racing each other cannot both win. The open index (`ESCALATIONS` / `OPEN#<reference>`) is written
 * BEFORE a state that is paging and removed AFTER a state that is no longer open, so it always holds at least every
 * escalation that is paging: a crash leaves a stale entry, which `rearmPending` and the sweeper drop when they find
 * its state settled, never a paging escalation nobody would wake up.
 */
import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from '../domain/zod';
import { escalationStateSchema, type AuditAction, type AuditDetail, type EscalationState, type Person } from '../domain/escalation';
import type { BridgeCall } from '../ports';
import { writtenIf } from './conditional';
import { collections, keys, type ItemCollection } from './keys';
import { queryAll } from './query';

export const openEscalationSchema = z.lazy(() => z.object({
  reference: z.string().check(z.minLength(1)),
  status: z.enum(['paging', 'exhausted']),
  step: z.number().check(z.int(), z.gte(0)),
  /** The current step's deadline, while paging. */
  dueAt: z.optional(z.iso.datetime()),
}));
export type OpenEscalation = z.infer<typeof openEscalationSchema>;

const escalationDueSchema = z.lazy(() => z.object({ reference: z.string().check(z.minLength(1)), since: z.iso.datetime() }));

export const auditRecordSchema = z.lazy(() => z.object({
  reference: z.string().check(z.minLength(1)),
  at: z.iso.datetime(),
  action: z.string().check(z.minLength(1)),
  /** The officer who acted (their key and name); absent for the escalation's own steps. */
  actor: z.optional(z.object({ key: z.string(), name: z.string() })),
  detail: z.optional(z.record(z.string(), z.unknown())),
}));
export type AuditRecord = z.infer<typeof auditRecordSchema>;

export interface PendingCall {
  reference: string;
  officerKey: string;
  at: string;
  /** pending until the bridge answers; then placed (the officer's phone rings) or failed. */
  status: 'pending' | 'placed' | 'failed';
  provider?: string;
  callId?: string;
  /** Why it failed, without any number. */
  reason?: string;
}

/**
 * Orders audit records written in the same millisecond by this process (one command writes several); records of
 * different processes in the same millisecond keep an arbitrary order.
 */
let auditSequence = 0;
const auditId = () => `${String(auditSequence++ % 1_000_000).padStart(6, '0')}${randomUUID().slice(0, 4)}`;

export class EscalationRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(reference: string): Promise<EscalationState | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.escalation(reference), ConsistentRead: true }),
    );
    return Item ? escalationStateSchema.parse(Item) : undefined;
  }

  /**
   * Writes a new state on condition that the stored one is still the one it was computed from (`previous`
   * undefined: that there is none yet). False when another writer got there first: read again and decide again.
   */
  async save(state: EscalationState, previous: EscalationState | undefined): Promise<boolean> {
    const item = { ...keys.escalation(state.reference), ...escalationStateSchema.parse(state) };
    return writtenIf(
      this.client,
      new PutCommand({
        TableName: this.tableName,
        Item: item,
        ...(previous
          ? { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': previous.version } }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      }),
    );
  }

  /** Keeps the open index in step with a state: in it while paging or exhausted, out of it otherwise. */
  async syncOpen(state: EscalationState): Promise<void> {
    if (state.status === 'paging' || state.status === 'exhausted') {
      const entry: OpenEscalation = { reference: state.reference, status: state.status, step: state.step, dueAt: state.dueAt };
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.openEscalation(state.reference), ...entry } }));
    } else {
      await this.removeOpen(state.reference);
    }
  }

  async removeOpen(reference: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: keys.openEscalation(reference) }));
  }

  /** Every open escalation (paging or left open), oldest deadline first. */
  async listOpen(): Promise<OpenEscalation[]> {
    const items = await this.query(collections.openEscalations());
    return items
      .map((item) => openEscalationSchema.parse(item))
      .sort((a, b) => (a.dueAt ?? '').localeCompare(b.dueAt ?? '') || a.reference.localeCompare(b.reference));
  }

  /** Urgent reports whose escalation has not yet paged (the marker is written before the report), oldest first. */
  async listDue(): Promise<{ reference: string; since: string }[]> {
    const items = await this.query(collections.escalationsDue());
    return items
      .map((item) => escalationDueSchema.parse(item))
      .sort((a, b) => a.since.localeCompare(b.since));
  }

  async clearDue(reference: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: keys.escalationDue(reference) }));
  }

  async audit(reference: string, at: string, action: AuditAction, actor?: Person, detail?: AuditDetail): Promise<void> {
    const record: AuditRecord = { reference, at, action, actor: actor && { key: actor.key, name: actor.name }, detail };
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.reportAudit(reference, at, auditId()), ...record } }),
    );
  }

  /** A report's audit trail, oldest first. */
  async listAudit(reference: string): Promise<AuditRecord[]> {
    return (await this.query(collections.reportAudit(reference))).map((item) => auditRecordSchema.parse(item));
  }

  /** An officer's CALL and, once the bridge answered, its outcome (written again, same key); expires after `expiresAt`. */
  async recordPendingCall(call: PendingCall, expiresAt: number): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.pendingCall(call.reference, call.at, call.officerKey), ...call, expiresAt } }),
    );
  }

  async listPendingCalls(reference: string, nowMs: number = Date.now()): Promise<PendingCall[]> {
    return (await this.query(collections.pendingCalls(reference)))
      .filter((item) => typeof item.expiresAt !== 'number' || item.expiresAt * 1000 > nowMs)
      .map(({ reference: ref, officerKey, at, status, provider, callId, reason }) => ({
        reference: String(ref),
        officerKey: String(officerKey),
        at: String(at),
        status: status as PendingCall['status'],
        ...(typeof provider === 'string' ? { provider } : {}),
        ...(typeof callId === 'string' ? { callId } : {}),
        ...(typeof reason === 'string' ? { reason } : {}),
      }));
  }

  /** An outbound bridge call, by the id the provider sends back when the officer answers; expires after `expiresAt`. */
  async recordBridgeCall(call: BridgeCall, expiresAt: number): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.bridgeCall(call.requestId), ...call, expiresAt } }));
  }

  async getBridgeCall(requestId: string, nowMs: number = Date.now()): Promise<BridgeCall | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.bridgeCall(requestId), ConsistentRead: true }),
    );
    if (!Item || (typeof Item.expiresAt === 'number' && Item.expiresAt * 1000 <= nowMs)) return undefined;
    return { requestId: String(Item.requestId), reference: String(Item.reference), sealedNumber: String(Item.sealedNumber) };
  }

  async removeBridgeCall(requestId: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: keys.bridgeCall(requestId) }));
  }

  private query(collection: ItemCollection): Promise<Record<string, unknown>[]> {
    return queryAll(this.client, this.tableName, collection);
  }
}
