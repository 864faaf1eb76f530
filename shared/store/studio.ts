import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { studioRecordingSchema, type StudioRecording } from '../studio/catalogue';
import { writtenIf } from './conditional';
import { collections, isLive, keys } from './keys';
import { queryAll } from './query';

const hourOf = (nowMs: number) => new Date(nowMs).toISOString().slice(0, 13);

/** What the studio audit keeps: every take saved and every approval. */
export interface StudioEvent {
  at: string;
  action: 'take_saved' | 'take_approved';
  by: string;
  key: string;
  lang: string;
  file: string;
  via?: string;
}

/**
 * The studio's takes: one item per prompt and language, the take that plays (a new take replaces it; its file
 * stays in the audio store, so a replaced take can be found from the audit), and the studio's audit.
 */
export class StudioRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async save(take: StudioRecording): Promise<void> {
    const event: StudioEvent = { at: take.recordedAt, action: 'take_saved', by: take.recordedBy, key: take.key, lang: take.lang, file: take.file, via: take.via };
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.promptRecording(take.lang, take.key), ...take } }));
    await this.audit(event);
  }

  /** Every take that plays, one per prompt and language (items that do not read as a take are skipped). */
  async list(): Promise<StudioRecording[]> {
    const items = await queryAll(this.client, this.tableName, collections.promptRecordings());
    return items.flatMap((item) => {
      const parsed = studioRecordingSchema.safeParse(item);
      return parsed.success ? [parsed.data] : [];
    });
  }

  /**
   * Approves the take `file` of a prompt, as long as it is still the one that plays and was recorded against
   * `textHash` (the current text): a take replaced or made stale meanwhile is not approved. False when it was not.
   */
  async approve(lang: string, key: string, file: string, textHash: string, by: string, at: string): Promise<boolean> {
    const written = await writtenIf(
      this.client,
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.promptRecording(lang, key),
        UpdateExpression: 'SET approvedBy = :by, approvedAt = :at',
        ConditionExpression: '#file = :file AND textHash = :hash',
        ExpressionAttributeNames: { '#file': 'file' },
        ExpressionAttributeValues: { ':by': by, ':at': at, ':file': file, ':hash': textHash },
      }),
    );
    if (!written) return false;
    await this.audit({ at, action: 'take_approved', by, key, lang, file });
    return true;
  }

  /** Wrong PINs from one caller on the studio line in the UTC hour of `nowMs`, across calls. */
  async pinFailures(callerKey: string, nowMs: number): Promise<number> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.studioPinFailures(callerKey, hourOf(nowMs)) }));
    return isLive(Item as { expiresAt?: number } | undefined, nowMs) ? Number(Item?.count ?? 0) : 0;
  }

  async countPinFailure(callerKey: string, nowMs: number): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.studioPinFailures(callerKey, hourOf(nowMs)),
        UpdateExpression: 'ADD #count :one SET expiresAt = if_not_exists(expiresAt, :expires)',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':one': 1, ':expires': Math.floor(nowMs / 1000) + 2 * 3600 },
      }),
    );
  }

  async events(): Promise<StudioEvent[]> {
    return (await queryAll(this.client, this.tableName, collections.studioAudit())) as unknown as StudioEvent[];
  }

  private async audit(event: StudioEvent): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.studioAudit(event.at, randomUUID().slice(0, 8)), ...event } }));
  }
}
