import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isLang, type Lang } from '../domain/prompts';
import { isLive, keys } from './keys';

/**
 * Calls that reached the voice line's urgent help, remembered briefly by provider call id: Africa's Talking's last
 * callback comes without the state our callback URLs carry, and a recording in it must still start the escalation.
 */
export class UrgentCallRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async remember(provider: string, callId: string, lang: Lang | undefined, expiresAt: number): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.urgentVoiceCall(provider, callId), lang, expiresAt } }),
    );
  }

  /** The language of a remembered urgent call; undefined when it is not (or no longer) remembered. */
  async languageOf(provider: string, callId: string, nowMs: number): Promise<Lang | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.urgentVoiceCall(provider, callId) }),
    );
    const lang: unknown = Item?.lang;
    return isLive(Item as { expiresAt?: number } | undefined, nowMs) && isLang(lang) ? lang : undefined;
  }

  /** An officer's leg (its own call id) pressed 1 to take an urgent call: only this counts as answered. */
  async recordAccepted(provider: string, officerCallId: string, expiresAt: number): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.officerAccepted(provider, officerCallId), expiresAt } }));
  }

  async accepted(provider: string, officerCallId: string, nowMs: number): Promise<boolean> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.officerAccepted(provider, officerCallId) }));
    return isLive(Item as { expiresAt?: number } | undefined, nowMs);
  }
}
