import { BatchGetCommand, DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StoredLanguage, UssdSession } from '../domain/ussd';
import { isLive, keys } from './keys';
import { storedLanguageOf } from './languages';

/**
 * Long enough for any operator's USSD session (they time out within a few minutes), short enough that the
 * inputs (which may name a scammer's number) do not linger; an expired session reads as absent.
 */
export const USSD_SESSION_TTL_SECONDS = 600;

/** The path of each live USSD session, read with the caller's language in one round-trip. */
export class UssdSessionRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The session (undefined when absent or expired) and the caller's language, in one BatchGetItem. */
  async read(callerKey: string, session: string): Promise<{ session?: UssdSession; language?: StoredLanguage }> {
    const sessionKey = keys.ussdSession(callerKey, session);
    const { Responses, UnprocessedKeys } = await this.client.send(
      new BatchGetCommand({
        RequestItems: { [this.tableName]: { Keys: [keys.languagePreference(callerKey), sessionKey] } },
      }),
    );
    // Throttled: the caller gets the polite last screen rather than a session read as new.
    if (Object.keys(UnprocessedKeys ?? {}).length > 0) throw new Error('the store did not answer every key');
    const items = Responses?.[this.tableName] ?? [];
    const sessionItem = items.find((item) => item.sk === sessionKey.sk);
    const language = storedLanguageOf(items.find((item) => item.sk === keys.languagePreference(callerKey).sk));
    const live =
      isLive(sessionItem as { expiresAt?: number } | undefined, this.now()) &&
      Array.isArray(sessionItem!.path) &&
      typeof sessionItem!.uid === 'string';
    return {
      ...(live ? { session: { uid: sessionItem!.uid, path: sessionItem!.path as string[], lastMessageId: String(sessionItem!.lastMessageId) } } : {}),
      ...(language ? { language } : {}),
    };
  }

  async save(callerKey: string, session: string, value: UssdSession): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.ussdSession(callerKey, session),
          ...value,
          expiresAt: Math.floor(this.now() / 1000) + USSD_SESSION_TTL_SECONDS,
        },
      }),
    );
  }

  /** The session ended: its inputs leave the table now rather than at expiry. */
  async end(callerKey: string, session: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: keys.ussdSession(callerKey, session) }));
  }
}
