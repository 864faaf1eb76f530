/**
 * The USSD conversation as a pure function. Africa's Talking sends the whole input path of a session in `text`
 * (`""`, `1`, `1*2`, …), so the current screen is derived by replaying that path from the session's first screen:
 * navigating needs no session write. The shell supplies what it looked up (the caller's language at the start of
 * the session) and runs the effects this returns.
 */
import { LANGUAGES, PROMPTS, t, type Lang, type PromptKey } from './prompts';
import { fitsScreen, paginate, type ScreenLimits } from './screen';

export const ADVICE_TOPICS = ['redflags', 'nofees', 'visa', 'contacts'] as const;
export type AdviceTopic = (typeof ADVICE_TOPICS)[number];

/** Reserved inputs, as on most African USSD services. */
export const KEY_BACK = '0';
export const KEY_HOME = '00';
export const KEY_MORE = '98';

type Screen =
  | { name: 'language' }
  | { name: 'main' }
  | { name: 'advice' }
  | { name: 'adviceText'; topic: AdviceTopic };

/** Where the caller is: a screen, and which of its pages. */
interface Position {
  screen: Screen;
  page: number;
}

export type UssdEffect = { type: 'rememberLanguage'; lang: Lang };

export interface UssdRequest {
  /** The inputs of this session so far, oldest first (the `text` field split on `*`). */
  path: string[];
  /** The caller's language when this session began; undefined for a first-time caller. */
  startLang?: Lang;
  limits: ScreenLimits;
}

export interface UssdReply {
  /** true: the session ends (`END`); false: the caller may answer (`CON`). */
  end: boolean;
  text: string;
}

export interface UssdResult {
  reply: UssdReply;
  /** The language the reply is in. */
  lang: Lang | undefined;
  effects: UssdEffect[];
}

interface Walk {
  lang: Lang | undefined;
  at: Position;
  /** Positions that `0` returns to, most recent last. */
  history: Position[];
  invalid: boolean;
  effects: UssdEffect[];
}

interface Option {
  label: string;
  choose: (walk: Walk) => Walk;
}

/**
 * What a screen shows and accepts. A menu is numbered options under an optional title; a text is paged with its
 * options (if any) under every page. Both page with `98` when they do not fit one screen.
 */
type View = { kind: 'menu'; title?: string; options: Option[] } | { kind: 'text'; text: string; options: Option[] };

export function ussdStep(request: UssdRequest): UssdResult {
  let walk: Walk = {
    lang: request.startLang,
    at: { screen: request.startLang ? { name: 'main' } : { name: 'language' }, page: 0 },
    history: [],
    invalid: false,
    effects: [],
  };
  request.path.forEach((input, index) => {
    // Effects are produced only by the newest input; earlier ones were run by earlier requests of the session.
    walk = applyInput({ ...walk, invalid: false, effects: [] }, input.trim(), request.limits);
    if (index < request.path.length - 1) walk = { ...walk, effects: [] };
  });
  return { reply: render(walk, request.limits), lang: walk.lang, effects: walk.effects };
}

function go(walk: Walk, screen: Screen): Walk {
  return { ...walk, history: [...walk.history, walk.at], at: { screen, page: 0 } };
}

function home(walk: Walk): Walk {
  return { ...walk, at: { screen: { name: 'main' }, page: 0 }, history: [] };
}

function applyInput(walk: Walk, input: string, limits: ScreenLimits): Walk {
  if (input === KEY_HOME && walk.lang) return home(walk);
  if (input === KEY_BACK && walk.history.length > 0) {
    return { ...walk, at: walk.history.at(-1)!, history: walk.history.slice(0, -1) };
  }
  const current = view(walk);
  if (input === KEY_MORE && walk.at.page + 1 < pages(walk, current, limits).length) {
    return { ...walk, history: [...walk.history, walk.at], at: { ...walk.at, page: walk.at.page + 1 } };
  }
  const choice = /^\d{1,2}$/.test(input) ? Number(input) : NaN;
  const option = current.options[choice - 1];
  return option ? option.choose(walk) : { ...walk, invalid: true };
}

function view(walk: Walk): View {
  const lang = walk.lang;
  const { screen } = walk.at;
  switch (screen.name) {
    case 'language':
      return {
        kind: 'menu',
        // A caller who has not chosen yet sees the question in every language.
        title: lang ? t(lang, 'lang.title') : LANGUAGES.map((l) => PROMPTS[l]['lang.word']).join(' / '),
        options: LANGUAGES.map((chosen) => ({
          label: PROMPTS[chosen]['lang.name'],
          choose: (w) => ({ ...home({ ...w, lang: chosen }), effects: [{ type: 'rememberLanguage', lang: chosen }] }),
        })),
      };
    case 'main':
      return {
        kind: 'menu',
        title: t(lang!, 'menu.title'),
        options: [
          { label: t(lang!, 'menu.advice'), choose: (w) => go(w, { name: 'advice' }) },
          { label: t(lang!, 'menu.language'), choose: (w) => go(w, { name: 'language' }) },
        ],
      };
    case 'advice':
      return {
        kind: 'menu',
        title: t(lang!, 'advice.title'),
        options: ADVICE_TOPICS.map((topic) => ({
          label: t(lang!, `advice.${topic}.title` as PromptKey),
          choose: (w: Walk) => go(w, { name: 'adviceText', topic }),
        })),
      };
    case 'adviceText':
      return { kind: 'text', text: t(lang!, `advice.${screen.topic}.text` as PromptKey), options: [] };
  }
}

function footerLines(lang: Lang | undefined, more: boolean, back: boolean): string[] {
  if (!lang) return [];
  return [
    ...(more ? [`${KEY_MORE}. ${t(lang, 'common.more')}`] : []),
    ...(back ? [`${KEY_BACK}. ${t(lang, 'common.back')}`] : []),
  ];
}

/** The polite word that heads a screen after an invalid input. */
function invalidNotice(lang: Lang | undefined): string {
  return lang ? t(lang, 'common.invalid') : LANGUAGES.map((l) => PROMPTS[l]['common.wrong']).join(' / ');
}

const optionLines = (options: Option[]) => options.map((option, i) => `${i + 1}. ${option.label}`);

/** A view's pages: each a body (lines) that fits one screen with the footer, and with the invalid-input notice. */
function pages(walk: Walk, current: View, limits: ScreenLimits): { body: string[]; title?: string }[] {
  const back = walk.history.length > 0;
  if (current.kind === 'text') {
    const options = optionLines(current.options);
    const reserve = [...options, ...footerLines(walk.lang, true, back)].join('\n');
    return paginate(current.text, limits, reserve).map((page) => ({ body: [page, ...options] }));
  }
  return menuPages(walk.lang, current, limits, back);
}

/**
 * Menu options numbered from 1 and split into screens; the title stands on the first screen only. Every page fits
 * with its footer, and also with the invalid-input notice in place of its title.
 */
function menuPages(lang: Lang | undefined, menu: { title?: string; options: Option[] }, limits: ScreenLimits, back: boolean) {
  const notice = invalidNotice(lang);
  const fits = (page: { body: string[]; title?: string }, more: boolean) => {
    const footer = footerLines(lang, more, back);
    return (
      fitsScreen([...(page.title ? [page.title] : []), ...page.body, ...footer].join('\n'), limits) &&
      fitsScreen([notice, ...page.body, ...footer].join('\n'), limits)
    );
  };
  const lines = optionLines(menu.options);
  const single = { title: menu.title, body: lines };
  if (fits(single, false)) return [single];
  const result: { body: string[]; title?: string }[] = [];
  let page: { body: string[]; title?: string } = { title: menu.title, body: [] };
  for (const line of lines) {
    const grown = { ...page, body: [...page.body, line] };
    if (page.body.length > 0 && !fits(grown, true)) {
      result.push(page);
      page = { body: [line] };
    } else page = grown;
  }
  result.push(page);
  return result;
}

function render(walk: Walk, limits: ScreenLimits): UssdReply {
  const current = view(walk);
  const all = pages(walk, current, limits);
  const page = all[walk.at.page]!;
  const footer = footerLines(walk.lang, walk.at.page + 1 < all.length, walk.history.length > 0);
  const title = page.title ? [page.title] : [];
  if (!walk.invalid) return { end: false, text: [...title, ...page.body, ...footer].join('\n') };
  // The same screen again, headed by a polite word. If that does not fit, the word replaces the title, or on a
  // text page the text the caller has just read; pages are cut so that this always fits.
  const notice = invalidNotice(walk.lang);
  const withNotice = [notice, ...title, ...page.body, ...footer].join('\n');
  if (fitsScreen(withNotice, limits)) return { end: false, text: withNotice };
  const body = current.kind === 'text' ? optionLines(current.options) : page.body;
  return { end: false, text: [notice, ...body, ...footer].join('\n') };
}

/**
 * The apology for when the hotline cannot answer (the store is down): it ends the session politely. A caller whose
 * language is unknown is most likely Tajik.
 */
export function unavailableReply(lang: Lang | undefined): UssdReply {
  return { end: true, text: t(lang ?? 'tg', 'common.unavailable') };
}

/** What the shell knows of the caller's language from the store. */
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
  return { lang, sessionId, sessionStartLang: sessionStartLanguage(stored, sessionId) };
}
