/**
 * The console's words, in English, Russian and Tajik (prompts/console/*.json share one set of keys, checked by
 * test/console-domain.test.ts). `_meta.review` says whether a file was checked by a native speaker: the Russian
 * and Tajik texts are the developers' drafts until then.
 */
import { consoleCatalogueTexts, type ConsoleCatalogueKey, type ConsoleCatalogueLang } from '../../prompts/console/catalogue';

export const CONSOLE_LANGS = ['en', 'ru', 'tg'] as const satisfies readonly ConsoleCatalogueLang[];
export type ConsoleLang = (typeof CONSOLE_LANGS)[number];
export type ConsoleTextKey = ConsoleCatalogueKey;

const read: Partial<Record<ConsoleLang, Record<ConsoleTextKey, string>>> = {};
/**
 * Each language's words, read when first used (in the console's bundle, from a file of its own: infra/bundling.ts),
 * then kept.
 */
export const CONSOLE_TEXTS = Object.defineProperties(
  {} as Record<ConsoleLang, Record<ConsoleTextKey, string>>,
  Object.fromEntries(CONSOLE_LANGS.map((lang) => [lang, { enumerable: true, get: () => (read[lang] ??= consoleCatalogueTexts(lang)) }])),
);

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
