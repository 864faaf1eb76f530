import { CATALOGUE_NAMESPACES, catalogueTexts, type CatalogueKey } from '../../prompts/catalogue';

/**
 * The hotline's languages, in the order the language menu offers them to a caller from Tajikistan (a caller from
 * Uzbekistan or Kyrgyzstan sees their own first: language-choice.ts). Uzbek is written in Latin letters, Kyrgyz in
 * Cyrillic (docs/languages.md).
 */
export const LANGUAGES = ['tg', 'ru', 'en', 'uz', 'ky'] as const;
export type Lang = (typeof LANGUAGES)[number];

export type PromptKey = CatalogueKey;
export type Prompts = Record<PromptKey, string>;

/** A key's leading segments: `officer.help` is under `officer`, `quiz.q.wage.text` under `quiz`, `quiz.q` and `quiz.q.wage`. */
type Prefixes<K extends string> = K extends `${infer Head}.${infer Tail}` ? Head | `${Head}.${Prefixes<Tail>}` : never;
/**
 * What a function declares it speaks (functions/<name>/speaks.ts), a key or the keys under a prefix: its bundle
 * holds those and no other (infra/bundling.ts; test/prompt-namespaces.test.ts proves that each function's code names
 * no key outside them).
 */
export type PromptNamespace = Prefixes<PromptKey> | PromptKey;

const parsed: Partial<Record<Lang, Prompts>> = {};
/**
 * A language's texts, fetched from the catalogue on first use and kept (in a Lambda bundle, read from its texts file,
 * infra/bundling.ts): a cold start pays only for the languages its first requests speak.
 */
const textsOf = (lang: Lang): Prompts => (parsed[lang] ??= catalogueTexts(lang) as Prompts);

/**
 * Every user-facing text, per language (each language read when first used). prompts/*.json share one set of keys
 * (checked by test/prompts.test.ts); the subscriptions', alerts' and campaigns' texts are in prompts/outreach/*.json,
 * with their own review marker.
 */
export const PROMPTS = Object.defineProperties(
  {} as Record<Lang, Prompts>,
  Object.fromEntries(LANGUAGES.map((lang) => [lang, { enumerable: true, get: () => textsOf(lang) }])),
);

/** The language officers hear a CALL bridge in (its text-to-speech voice is English). */
export const BRIDGE_LANG: Lang = 'en';

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The text for `key` in `lang`, with `{name}` placeholders filled from `vars`. */
export function t(lang: Lang, key: PromptKey, vars: Record<string, string | number> = {}): string {
  const text = textsOf(lang)[key];
  // Only a bundle whose function's speaks.ts misses a namespace can get here: test/prompt-namespaces.test.ts fails first.
  if (text === undefined) throw new Error(`no "${key}" in this function's ${lang} texts (it speaks ${String(CATALOGUE_NAMESPACES)})`);
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}
