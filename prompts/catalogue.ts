/**
 * The hotline's texts as the code reads them: per language, prompts/<lang>.json and prompts/outreach/<lang>.json in
 * one record. This is the whole catalogue, as the tests and the local stack (one process, every channel) use it. A
 * Lambda bundle never holds this module: infra/bundling.ts puts in its place one that reads a language's texts from
 * texts/<lang>.json beside the bundle's index.mjs (prompts/texts-file.ts) when the language is first used; those
 * files hold only the namespaces the function speaks (functions/<name>/speaks.ts), without the reviewers' `_meta`
 * notes.
 */
import en from './en.json';
import ru from './ru.json';
import tg from './tg.json';
import uz from './uz.json';
import ky from './ky.json';
import enOutreach from './outreach/en.json';
import ruOutreach from './outreach/ru.json';
import tgOutreach from './outreach/tg.json';
import uzOutreach from './outreach/uz.json';
import kyOutreach from './outreach/ky.json';

const TEXTS = {
  tg: { ...tg, ...tgOutreach },
  ru: { ...ru, ...ruOutreach },
  en: { ...en, ...enOutreach },
  uz: { ...uz, ...uzOutreach },
  ky: { ...ky, ...kyOutreach },
};

export type CatalogueLang = keyof typeof TEXTS;
/** Every key the code may look up: the reviewers' `_meta` notes are for people, and in no bundle. */
export type CatalogueKey = Exclude<keyof typeof en | keyof typeof enOutreach, `_meta.${string}`>;

/** Every text of `lang`. */
export function catalogueTexts(lang: CatalogueLang): Record<string, string> {
  return TEXTS[lang];
}

/** The namespaces this catalogue holds: every one (a bundle's catalogue names its function's). */
export const CATALOGUE_NAMESPACES: readonly string[] | 'all' = 'all';
