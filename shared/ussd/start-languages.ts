/**
 * The language each USSD session began with, as this container has read it. A session's start language never
 * changes (a choice made during the session is stored with it, shared/domain/ussd/language.ts), so after the first
 * step a navigation step needs no read at all. Bounded: the oldest sessions are forgotten first (a forgotten one
 * is read from the store again, which is exact too).
 */
import type { Lang } from '../domain/prompts';

export class SessionStartLanguages {
  private readonly starts = new Map<string, { lang: Lang | undefined }>();

  constructor(private readonly capacity = 10_000) {}

  /** The session's start language (`lang` undefined: it began without one), or undefined if not seen here. */
  get(callerKey: string, sessionId: string): { lang: Lang | undefined } | undefined {
    return this.starts.get(`${callerKey} ${sessionId}`);
  }

  remember(callerKey: string, sessionId: string, lang: Lang | undefined): void {
    this.starts.set(`${callerKey} ${sessionId}`, { lang });
    if (this.starts.size > this.capacity) this.starts.delete(this.starts.keys().next().value!);
  }
}
