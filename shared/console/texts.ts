/**
 * The console's words, in English, Russian and Tajik (prompts/console/*.json share one set of keys, checked by
 * test/console-domain.test.ts). `_meta.review` says whether a file was checked by a native speaker: the Russian
 * and Tajik texts are the developers' drafts until then.
 */
import en from '../../prompts/console/en.json';
import ru from '../../prompts/console/ru.json';
import tg from '../../prompts/console/tg.json';

export const CONSOLE_LANGS = ['en', 'ru', 'tg'] as const;
export type ConsoleLang = (typeof CONSOLE_LANGS)[number];
export type ConsoleTextKey = keyof typeof en;

export const CONSOLE_TEXTS: Record<ConsoleLang, Record<ConsoleTextKey, string>> = { en, ru, tg };

export function isConsoleLang(value: unknown): value is ConsoleLang {
  return typeof value === 'string' && (CONSOLE_LANGS as readonly string[]).includes(value);
}

/** The text for `key`, `{name}` placeholders filled from `vars`. */
export function ct(lang: ConsoleLang, key: ConsoleTextKey, vars: Record<string, string | number> = {}): string {
  return CONSOLE_TEXTS[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** A text looked up by a key made at run time (a status, a category): the key itself when there is no such text. */
export function ctDynamic(lang: ConsoleLang, key: string, vars: Record<string, string | number> = {}): string {
  return key in CONSOLE_TEXTS[lang] ? ct(lang, key as ConsoleTextKey, vars) : key;
}
