/**
 * The console's sessions and unfinished sign-ins (shared/store/keys.ts), kept in the table so that any console
 * container can serve any request, and so that signing out ends a session everywhere. The cookie carries only the
 * session's random id (signed); everything else stays here. Both items expire by TTL; a session is also refused
 * once idle for longer than the idle timeout.
 */
import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { consoleSessionSchema, pendingSignInSchema, type ConsoleSession, type PendingSignIn } from '../domain/console/session';
import { collections, keys } from './keys';
import { queryAll } from './query';

/** A console event that belongs to no case: a sign-in, a dashboard export, an upload. */
export interface ConsoleEvent {
  at: string;
  action: 'signed_in' | 'signed_out' | 'sign_in_refused' | 'dashboard_viewed' | 'dashboard_exported' | 'directory_uploaded' | 'directory_checked';
  actor: { key: string; name: string };
  detail?: Record<string, string | number | boolean | string[]>;
}

/** Writing `lastSeenAt` on every request would double the console's writes: once a minute is precise enough. */
const TOUCH_EVERY_MS = 60_000;

export class ConsoleSessionRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putSignIn(signIn: PendingSignIn): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.consoleLogin(signIn.id), ...signIn } }));
  }

  /** The sign-in, removed as it is read: an authorization response can be used once. */
  async takeSignIn(id: string, nowMs: number): Promise<PendingSignIn | undefined> {
    const { Attributes } = await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: keys.consoleLogin(id), ReturnValues: 'ALL_OLD' }),
    );
    const parsed = pendingSignInSchema.safeParse(Attributes);
    return parsed.success && parsed.data.expiresAt * 1000 > nowMs ? parsed.data : undefined;
  }

  async create(session: ConsoleSession): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.consoleSession(session.id), ...consoleSessionSchema.parse(session) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /**
   * The live session with this id, its `lastSeenAt` moved on; undefined when there is none, it has expired, or
   * it has been idle for `idleSeconds` (then it is removed).
   */
  async resume(id: string, nowMs: number, idleSeconds: number): Promise<ConsoleSession | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.consoleSession(id), ConsistentRead: true }),
    );
    const parsed = consoleSessionSchema.safeParse(Item);
    if (!parsed.success) return undefined;
    const session = parsed.data;
    const idle = nowMs - Date.parse(session.lastSeenAt) > idleSeconds * 1000;
    if (idle || session.expiresAt * 1000 <= nowMs) {
      await this.remove(id);
      return undefined;
    }
    if (nowMs - Date.parse(session.lastSeenAt) >= TOUCH_EVERY_MS) {
      const lastSeenAt = new Date(nowMs).toISOString();
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.consoleSession(id),
          UpdateExpression: 'SET lastSeenAt = :at',
          ExpressionAttributeValues: { ':at': lastSeenAt },
        }),
      );
      return { ...session, lastSeenAt };
    }
    return session;
  }

  async recordEvent(event: ConsoleEvent): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.consoleAudit(event.at, randomUUID().slice(0, 8)), ...event } }),
    );
  }

  async listEvents(): Promise<ConsoleEvent[]> {
    return (await queryAll(this.client, this.tableName, collections.consoleAudit())) as unknown as ConsoleEvent[];
  }

  async remove(id: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: keys.consoleSession(id) }));
  }
}
