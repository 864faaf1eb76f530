import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isLang } from '../domain/prompts';
import type { StoredLanguage } from '../domain/ussd';
import { keys } from './keys';

/** A language preference item as the domain sees it; undefined when absent or not a language. */
export function storedLanguageOf(Item: Record<string, unknown> | undefined): StoredLanguage | undefined {
  if (!Item || !isLang(Item.lang)) return undefined;
  return {
    lang: Item.lang,
    sessionId: typeof Item.sessionId === 'string' ? Item.sessionId : undefined,
    sessionStartLang: isLang(Item.sessionStartLang) ? Item.sessionStartLang : undefined,
  };
}

/** Language preferences per caller, keyed by the caller's keyed phone hash. */
export class LanguageRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(callerKey: string): Promise<StoredLanguage | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.languagePreference(callerKey) }),
    );
    return storedLanguageOf(Item);
  }

  async put(callerKey: string, preference: StoredLanguage): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.languagePreference(callerKey), ...preference, updatedAt: new Date().toISOString() },
      }),
    );
  }
}
