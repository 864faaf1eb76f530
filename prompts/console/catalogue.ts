/**
 * The console's words as the code reads them: prompts/console/<lang>.json, whole. The tests and the local stack use
 * this; the console's Lambda bundle never holds it: infra/bundling.ts puts in its place one that reads a language's
 * file beside index.mjs (texts/console/<lang>.json, without the reviewers' `_meta` notes) when it is first used.
 */
import en from './en.json';
import ru from './ru.json';
import tg from './tg.json';

const TEXTS = { en, ru, tg };

export type ConsoleCatalogueLang = keyof typeof TEXTS;
export type ConsoleCatalogueKey = keyof typeof en;

/** Every word of the console in `lang`. */
export function consoleCatalogueTexts(lang: ConsoleCatalogueLang): Record<ConsoleCatalogueKey, string> {
  return TEXTS[lang];
}
