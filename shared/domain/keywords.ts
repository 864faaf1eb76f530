/**
 * Words people text to the hotline (SMS keywords, language names, referral bodies), read from prompts/*.json: a
 * comma-separated list per key and language, matched folded so that a feature phone's spelling still counts.
 */
import { LANGUAGES, PROMPTS, type Lang, type PromptKey, type PromptNamespace } from './prompts';

/**
 * The word lists the parsers read (domain/sms.ts, outreach/subscription.ts, officer.ts build their tables from them):
 * the SMS function speaks them all, every other function those its bundle's parsers read (functions/<name>/speaks.ts;
 * test/prompt-namespaces.test.ts fails on one missing or carried for nothing).
 */
export const KEYWORD_NAMESPACES = [
  'sms.keywords',
  'sms.languageWords',
  'outreach.topicWords',
  'outreach.destinationWords',
  'officer.bodyWords',
] as const satisfies readonly PromptNamespace[];

/**
 * Tajik, Uzbek-Cyrillic and Kyrgyz letters folded to their nearest Russian ones, and ё to е: feature phones often
 * lack ҳ қ ғ ҷ ӣ ӯ ў ң ө ү, so `ЁРИ`, `ЕРӢ` and `ЁРӢ` are the same keyword, and `ТЕКШЕРҮҮ` is `ТЕКШЕРУУ`.
 */
const FOLD: Record<string, string> = {
  Ҳ: 'Х', Қ: 'К', Ғ: 'Г', Ҷ: 'Ч', Ӣ: 'И', Ӯ: 'У', Ё: 'Е', Ў: 'У', Ң: 'Н', Ө: 'О', Ү: 'У',
};

/**
 * The marks Uzbek Latin writes oʻ and gʻ with (ʻ U+02BB, properly) and what phones type instead (' ` ‘ ’ ʼ): a
 * keyword is the same with any of them or none, so `TOʻXTAT`, `TO'XTAT` and `TOXTAT` all stop alerts.
 */
export const UZBEK_APOSTROPHES = "ʻʼ'`‘’";
const APOSTROPHE = new RegExp(`[${UZBEK_APOSTROPHES}]`, 'g');

export const foldWord = (word: string) =>
  word.normalize('NFC').toUpperCase().replace(APOSTROPHE, '').replace(/[ҲҚҒҶӢӮЁЎҢӨҮ]/g, (ch) => FOLD[ch]!);

/** The words a list prompt holds in every language, folded, each with the language it is written in. */
export function promptWords(key: PromptKey): { word: string; lang: Lang }[] {
  return LANGUAGES.flatMap((lang) =>
    PROMPTS[lang][key]
      .split(',')
      .map((word) => word.trim())
      .filter(Boolean)
      .map((word) => ({ word: foldWord(word), lang })),
  );
}
