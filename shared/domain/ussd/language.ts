/**
 * The caller's language across a session: the path is replayed in the language the session began with.
 */
import type { Lang } from '../prompts';

/** What the store holds of the caller's language. */
export interface StoredLanguage {
  lang: Lang;
  sessionId?: string;
  sessionStartLang?: Lang;
}

/**
 * The language a session started with. A choice made during this very session must not change how its path is
 * replayed, so the stored preference remembers the language the session began with.
 */
export function sessionStartLanguage(stored: StoredLanguage | undefined, sessionId: string): Lang | undefined {
  if (!stored) return undefined;
  return stored.sessionId === sessionId ? stored.sessionStartLang : stored.lang;
}

/** The preference to store when the caller chooses `lang` during session `sessionId`. */
export function chosenLanguage(stored: StoredLanguage | undefined, sessionId: string, lang: Lang): StoredLanguage {
  return languageChoice(sessionStartLanguage(stored, sessionId), sessionId, lang);
}

/** The same, from the session's start language (known without the stored preference). */
export function languageChoice(startLang: Lang | undefined, sessionId: string, lang: Lang): StoredLanguage {
  return { lang, sessionId, sessionStartLang: startLang };
}
