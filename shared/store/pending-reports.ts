import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from '../domain/zod';
import { LANGUAGES } from '../domain/prompts';
import { isLive, keys } from './keys';

/** A free-text SMS offered as a report, kept until its sender answers YES (shared/domain/sms.ts). */
export const pendingReportSchema = z.object({ text: z.string().check(z.minLength(1)), lang: z.enum(LANGUAGES) });
export type PendingReport = z.infer<typeof pendingReportSchema>;

/**
 * The one story per sender awaiting confirmation, under the sender's keyed phone hash. It expires: a YES long
 * after the offer must not file a message the sender no longer has in mind. A newer story replaces an older one.
 */
export class PendingReportRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  async hold(callerKey: string, pending: PendingReport): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.pendingReport(callerKey),
          ...pendingReportSchema.parse(pending),
          expiresAt: Math.floor(this.now() / 1000) + this.ttlSeconds,
        },
      }),
    );
  }

  /** The story awaiting this sender's YES; undefined when none, expired (the TTL deletes late) or unreadable. */
  async get(callerKey: string): Promise<PendingReport | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.pendingReport(callerKey), ConsistentRead: true }),
    );
    if (!isLive(Item as { expiresAt?: number } | undefined, this.now())) return undefined;
    const parsed = pendingReportSchema.safeParse(Item);
    return parsed.success ? parsed.data : undefined;
  }

  /** Forgets the story once filed. */
  async clear(callerKey: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: keys.pendingReport(callerKey) }));
  }
}
