import { BatchGetCommand, DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StoredLanguage, UssdSession } from '../domain/ussd';
import { isLive, keys } from './keys';
import { storedLanguageOf } from './languages';

/**
 * Long enough for any operator's USSD session (they time out within a few minutes), short enough that the
 * inputs (which may name a scammer's number) do not linger; an expired session reads as absent.
 */
export const USSD_SESSION_TTL_SECONDS = 600;

/** Sessions this container remembers at most (a few hundred bytes each), the oldest forgotten first. */
export const REMEMBERED_USSD_SESSIONS = 5_000;

type SessionRead = { session?: UssdSession; language?: StoredLanguage };

/**
 * The path of each live USSD session, read with the caller's language in one round-trip. The container also keeps
 * its own bounded copy of the sessions it wrote (for the same TTL), read only when the store cannot be: a report
 * whose last answer arrives while the store is down then still knows its path and is journaled (docs/kannel.md).
 */
export class UssdSessionRepository {
  private readonly remembered = new Map<string, SessionRead & { expiresAt: number }>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The session (undefined when absent or expired) and the caller's language, in one BatchGetItem; when the store
   * fails, this container's copy if it has one (else the store's error).
   */
  async read(callerKey: string, session: string): Promise<SessionRead> {
    try {
      const read = await this.readStored(callerKey, session);
      this.remember(callerKey, session, read);
      return read;
    } catch (error) {
      const copy = this.remembered.get(memoryKey(callerKey, session));
      if (!copy?.session || copy.expiresAt <= this.now() / 1000) throw error;
      return { session: copy.session, ...(copy.language ? { language: copy.language } : {}) };
    }
  }

  private async readStored(callerKey: string, session: string): Promise<SessionRead> {
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

  /** Kept in the container only once the store holds it: the copy is never ahead of the table. */
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
    const language = this.remembered.get(memoryKey(callerKey, session))?.language;
    this.remember(callerKey, session, { session: value, ...(language ? { language } : {}) });
  }

  /** The session ended: its inputs leave the table now rather than at expiry, then the container's copy. */
  async end(callerKey: string, session: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: keys.ussdSession(callerKey, session) }));
    this.remembered.delete(memoryKey(callerKey, session));
  }

  private remember(callerKey: string, session: string, read: SessionRead): void {
    const key = memoryKey(callerKey, session);
    this.remembered.delete(key);
    if (!read.session) return;
    this.remembered.set(key, { ...read, expiresAt: Math.floor(this.now() / 1000) + USSD_SESSION_TTL_SECONDS });
    if (this.remembered.size > REMEMBERED_USSD_SESSIONS) this.remembered.delete(this.remembered.keys().next().value!);
  }
}

const memoryKey = (callerKey: string, session: string) => `${callerKey} ${session}`;
