import en from '../../prompts/en.json';
import ru from '../../prompts/ru.json';
import tg from '../../prompts/tg.json';
import uz from '../../prompts/uz.json';
import ky from '../../prompts/ky.json';
import enOutreach from '../../prompts/outreach/en.json';
import ruOutreach from '../../prompts/outreach/ru.json';
import tgOutreach from '../../prompts/outreach/tg.json';
import uzOutreach from '../../prompts/outreach/uz.json';
import kyOutreach from '../../prompts/outreach/ky.json';

/**
 * The hotline's languages, in the order the language menu offers them to a caller from Tajikistan (a caller from
 * Uzbekistan or Kyrgyzstan sees their own first: language-choice.ts). Uzbek is written in Latin letters, Kyrgyz in
 * Cyrillic (docs/languages.md).
 */
export const LANGUAGES = ['tg', 'ru', 'en', 'uz', 'ky'] as const;
export type Lang = (typeof LANGUAGES)[number];

export type PromptKey = keyof typeof en | keyof typeof enOutreach;
export type Prompts = Record<PromptKey, string>;

/**
 * Every user-facing text, per language. prompts/*.json share one set of keys (checked by test/prompts.test.ts); the
 * subscriptions', alerts' and campaigns' texts are in prompts/outreach/*.json, with their own review marker.
 */
export const PROMPTS: Record<Lang, Prompts> = {
  tg: { ...tg, ...tgOutreach },
  ru: { ...ru, ...ruOutreach },
  en: { ...en, ...enOutreach },
  uz: { ...uz, ...uzOutreach },
  ky: { ...ky, ...kyOutreach },
};

/** The language officers hear a CALL bridge in (its text-to-speech voice is English). */
export const BRIDGE_LANG: Lang = 'en';

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The text for `key` in `lang`, with `{name}` placeholders filled from `vars`. */
export function t(lang: Lang, key: PromptKey, vars: Record<string, string | number> = {}): string {
  return PROMPTS[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}
