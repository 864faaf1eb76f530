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
  | { name: 'main'; page: number }
  | { name: 'advice'; page: number }
  | { name: 'adviceText'; topic: AdviceTopic; page: number };

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
  screen: Screen;
  /** Screens that `0` returns to, most recent last. */
  history: Screen[];
  invalid: boolean;
  effects: UssdEffect[];
}

interface MenuOption {
  label: string;
  choose: (walk: Walk) => Walk;
}

/** A screen the caller can move on from: a title (optional) and numbered options, paged when they do not fit. */
interface Menu {
  title?: string;
  options: MenuOption[];
}

export function ussdStep(request: UssdRequest): UssdResult {
  let walk: Walk = {
    lang: request.startLang,
    screen: request.startLang ? { name: 'main', page: 0 } : { name: 'language' },
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
  return { ...walk, history: [...walk.history, walk.screen], screen };
}

function home(walk: Walk): Walk {
  return { ...walk, screen: { name: 'main', page: 0 }, history: [] };
}

function invalid(walk: Walk): Walk {
  return { ...walk, invalid: true };
}

function applyInput(walk: Walk, input: string, limits: ScreenLimits): Walk {
  if (input === KEY_HOME && walk.lang) return home(walk);
  if (input === KEY_BACK && walk.history.length > 0) {
    return { ...walk, screen: walk.history.at(-1)!, history: walk.history.slice(0, -1) };
  }
  const { screen } = walk;
  if (screen.name === 'adviceText') {
    const pages = advicePages(walk.lang!, screen.topic, limits);
    return input === KEY_MORE && screen.page + 1 < pages.length ? go(walk, { ...screen, page: screen.page + 1 }) : invalid(walk);
  }
  const menu = menuFor(walk);
  const pages = menuPages(walk.lang, menu, limits, walk.history.length > 0);
  if (input === KEY_MORE && 'page' in screen && screen.page + 1 < pages.length) {
    return go(walk, { ...screen, page: screen.page + 1 });
  }
  const choice = /^\d{1,2}$/.test(input) ? Number(input) : NaN;
  const option = menu.options[choice - 1];
  return option ? option.choose(walk) : invalid(walk);
}

function menuFor(walk: Walk): Menu {
  const lang = walk.lang;
  switch (walk.screen.name) {
    case 'language':
      return {
        // A caller who has not chosen yet sees the question in every language.
        title: lang ? t(lang, 'lang.title') : LANGUAGES.map((l) => PROMPTS[l]['lang.word']).join(' / '),
        options: LANGUAGES.map((chosen) => ({
          label: PROMPTS[chosen]['lang.name'],
          choose: (w) => ({ ...home({ ...w, lang: chosen }), effects: [{ type: 'rememberLanguage', lang: chosen }] }),
        })),
      };
    case 'main':
      return {
        title: t(lang!, 'menu.title'),
        options: [
          { label: t(lang!, 'menu.advice'), choose: (w) => go(w, { name: 'advice', page: 0 }) },
          { label: t(lang!, 'menu.language'), choose: (w) => go(w, { name: 'language' }) },
        ],
      };
    case 'advice':
      return {
        title: t(lang!, 'advice.title'),
        options: ADVICE_TOPICS.map((topic) => ({
          label: t(lang!, `advice.${topic}.title` as PromptKey),
          choose: (w: Walk) => go(w, { name: 'adviceText', topic, page: 0 }),
        })),
      };
    case 'adviceText':
      throw new Error('a text page is not a menu');
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

/**
 * Menu options numbered from 1 and split into screens; the title stands on the first screen only. Every page fits
 * with its footer, and also with the invalid-input notice in place of its title.
 */
function menuPages(lang: Lang | undefined, menu: Menu, limits: ScreenLimits, back: boolean): string[][] {
  const notice = invalidNotice(lang);
  const fits = (page: string[], more: boolean) => {
    const footer = footerLines(lang, more, back);
    return (
      fitsScreen([...page, ...footer].join('\n'), limits) &&
      fitsScreen([notice, ...page.filter((line) => line !== menu.title), ...footer].join('\n'), limits)
    );
  };
  const title = menu.title ? [menu.title] : [];
  const lines = menu.options.map((option, i) => `${i + 1}. ${option.label}`);
  if (fits([...title, ...lines], false)) return [[...title, ...lines]];
  const pages: string[][] = [];
  let page = title;
  for (const line of lines) {
    if (page.some((l) => l !== menu.title) && !fits([...page, line], true)) {
      pages.push(page);
      page = [];
    }
    page = [...page, line];
  }
  pages.push(page);
  return pages;
}

function advicePages(lang: Lang, topic: AdviceTopic, limits: ScreenLimits): string[] {
  return paginate(t(lang, `advice.${topic}.text` as PromptKey), limits, footerLines(lang, true, true).join('\n'));
}

function render(walk: Walk, limits: ScreenLimits): UssdReply {
  const { screen, lang } = walk;
  const back = walk.history.length > 0;
  let body: string[];
  let more: boolean;
  let hasTitle = true;
  if (screen.name === 'adviceText') {
    const pages = advicePages(lang!, screen.topic, limits);
    body = [pages[screen.page]!];
    more = screen.page + 1 < pages.length;
  } else {
    const pages = menuPages(lang, menuFor(walk), limits, back);
    const page = 'page' in screen ? screen.page : 0;
    body = pages[page]!;
    hasTitle = page === 0 && menuFor(walk).title !== undefined;
    more = page + 1 < pages.length;
  }
  const footer = footerLines(lang, more, back);
  if (!walk.invalid) return { end: false, text: [...body, ...footer].join('\n') };
  // The same screen again, headed by a polite word; if that would not fit, the word replaces the title (or the
  // text of a page, which the caller has just read). Pages are cut so that this always fits.
  const notice = invalidNotice(lang);
  const withNotice = [notice, ...body, ...footer].join('\n');
  if (fitsScreen(withNotice, limits)) return { end: false, text: withNotice };
  return { end: false, text: [notice, ...(hasTitle ? body.slice(1) : body), ...footer].join('\n') };
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
