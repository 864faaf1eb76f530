/**
 * The USSD conversation as a pure function. Africa's Talking sends the whole input path of a session in `text`
 * (`""`, `1`, `1*2`, …), so the current screen is derived by replaying that path from the session's first screen:
 * navigating needs no session write. The shell supplies what it looked up (the caller's language at the start of
 * the session) and runs the effects this returns.
 */
import { LANGUAGES, PROMPTS, t, type Lang, type PromptKey } from './prompts';
import type { RegistryIndex } from './registry';
import { extractIdentifiers, identifierValue, type Identifier } from './report';
import { fitsScreen, paginate, type ScreenLimits } from './screen';
import { contactAnswer, entryAnswer, noRecordAnswer, type ReportedSummary } from './verify';

export const ADVICE_TOPICS = ['redflags', 'nofees', 'visa', 'contacts'] as const;
export type AdviceTopic = (typeof ADVICE_TOPICS)[number];

/** Reserved inputs, as on most African USSD services. */
export const KEY_BACK = '0';
export const KEY_HOME = '00';
export const KEY_MORE = '98';

type Screen =
  | { name: 'language' }
  | { name: 'main' }
  | { name: 'check' }
  | { name: 'checkEntity' }
  | { name: 'entityResult'; query: string }
  | { name: 'entityDetail'; id: string }
  | { name: 'checkContact' }
  | { name: 'contactResult'; query: string }
  | { name: 'advice' }
  | { name: 'adviceText'; topic: AdviceTopic };

/** Where the caller is: a screen, and which of its pages. */
interface Position {
  screen: Screen;
  page: number;
}

export type UssdEffect = { type: 'rememberLanguage'; lang: Lang };

/** What the shell looked up for this request. */
export interface UssdData {
  /** The registry index held in memory; undefined when it could not be loaded. */
  registry?: RegistryIndex;
  /** The caller's calendar day, `YYYY-MM-DD`: a licence valid until yesterday has expired. */
  today: string;
  /** The keyed hash of a card number (cards are never stored or compared whole). */
  cardHash: (digits: string) => string;
  /** Reported identifiers looked up so far, by `identifierKey`; null: looked up, never reported. */
  reported: ReadonlyMap<string, ReportedSummary | null>;
}

export interface UssdRequest {
  /** The inputs of this session so far, oldest first (the `text` field split on `*`). */
  path: string[];
  /** The caller's language when this session began; undefined for a first-time caller. */
  startLang?: Lang;
  limits: ScreenLimits;
  data: UssdData;
}

/** The key under which a reported identifier's summary is passed in `UssdData.reported`. */
export function identifierKey(identifier: Identifier): string {
  return `${identifier.kind}:${identifierValue(identifier)}`;
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
  /**
   * Identifiers whose report summaries the reply needs and `data.reported` lacks: the shell looks them up and
   * asks again (one read for the one screen that needs it; navigation needs none).
   */
  needs: Identifier[];
}

/** The request as the walk sees it, and the lookups the current screen turned out to need. */
interface Context {
  limits: ScreenLimits;
  data: UssdData;
  needs: Identifier[];
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
type View =
  | { kind: 'menu'; title?: string; options: Option[] }
  | { kind: 'text'; text: string; options: Option[] }
  /** A question answered in words (a name, a number): any input but the reserved keys is the answer. */
  | { kind: 'prompt'; text: string; answer: (walk: Walk, input: string) => Walk };

export function ussdStep(request: UssdRequest): UssdResult {
  let walk: Walk = {
    lang: request.startLang,
    at: { screen: request.startLang ? { name: 'main' } : { name: 'language' }, page: 0 },
    history: [],
    invalid: false,
    effects: [],
  };
  const ctx: Context = { limits: request.limits, data: request.data, needs: [] };
  request.path.forEach((input, index) => {
    // Effects are produced only by the newest input; earlier ones were run by earlier requests of the session.
    walk = applyInput({ ...walk, invalid: false, effects: [] }, input.trim(), ctx);
    if (index < request.path.length - 1) walk = { ...walk, effects: [] };
  });
  // Only the screen shown needs its lookups; screens passed on the way were shown by earlier requests.
  ctx.needs = [];
  const reply = render(walk, ctx);
  return { reply, lang: walk.lang, effects: walk.effects, needs: ctx.needs };
}

function go(walk: Walk, screen: Screen): Walk {
  return { ...walk, history: [...walk.history, walk.at], at: { screen, page: 0 } };
}

function home(walk: Walk): Walk {
  return { ...walk, at: { screen: { name: 'main' }, page: 0 }, history: [] };
}

function applyInput(walk: Walk, input: string, ctx: Context): Walk {
  if (input === KEY_HOME && walk.lang) return home(walk);
  if (input === KEY_BACK && walk.history.length > 0) {
    return { ...walk, at: walk.history.at(-1)!, history: walk.history.slice(0, -1) };
  }
  const current = view(walk, ctx);
  if (current.kind === 'prompt') return input ? current.answer(walk, input) : { ...walk, invalid: true };
  if (input === KEY_MORE && walk.at.page + 1 < pages(walk, current, ctx.limits).length) {
    return { ...walk, history: [...walk.history, walk.at], at: { ...walk.at, page: walk.at.page + 1 } };
  }
  const choice = /^\d{1,2}$/.test(input) ? Number(input) : NaN;
  const option = current.options[choice - 1];
  return option ? option.choose(walk) : { ...walk, invalid: true };
}

function view(walk: Walk, ctx: Context): View {
  const lang = walk.lang;
  const { screen } = walk.at;
  const { data } = ctx;
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
          { label: t(lang!, 'menu.check'), choose: (w) => go(w, { name: 'check' }) },
          { label: t(lang!, 'menu.advice'), choose: (w) => go(w, { name: 'advice' }) },
          { label: t(lang!, 'menu.language'), choose: (w) => go(w, { name: 'language' }) },
        ],
      };
    case 'check':
      return {
        kind: 'menu',
        title: t(lang!, 'check.title'),
        options: [
          { label: t(lang!, 'check.entity'), choose: (w) => go(w, { name: 'checkEntity' }) },
          { label: t(lang!, 'check.contact'), choose: (w) => go(w, { name: 'checkContact' }) },
        ],
      };
    case 'checkEntity':
      return { kind: 'prompt', text: t(lang!, 'check.entityPrompt'), answer: (w, query) => go(w, { name: 'entityResult', query }) };
    case 'entityResult': {
      if (!data.registry) return { kind: 'text', text: t(lang!, 'common.unavailable'), options: [] };
      const match = data.registry.findByNameOrLicence(screen.query);
      if (match.kind === 'none') return { kind: 'text', text: noRecordAnswer(lang!, screen.query), options: [] };
      if (match.kind === 'one') return { kind: 'text', text: entryAnswer(lang!, match.entry, data.today), options: [] };
      return {
        kind: 'menu',
        title: t(lang!, 'check.pick'),
        options: match.entries.map((entry) => ({ label: entry.name, choose: (w: Walk) => go(w, { name: 'entityDetail', id: entry.id }) })),
      };
    }
    case 'entityDetail': {
      const entry = data.registry?.get(screen.id);
      return { kind: 'text', text: entry ? entryAnswer(lang!, entry, data.today) : t(lang!, 'common.unavailable'), options: [] };
    }
    case 'checkContact':
      return { kind: 'prompt', text: t(lang!, 'check.contactPrompt'), answer: (w, query) => go(w, { name: 'contactResult', query }) };
    case 'contactResult': {
      const identifier = extractIdentifiers(screen.query, data.cardHash)[0];
      if (!identifier) return { kind: 'text', text: t(lang!, 'contact.invalid'), options: [] };
      const key = identifierKey(identifier);
      if (!data.reported.has(key)) ctx.needs.push(identifier);
      const official =
        identifier.kind === 'phone' || identifier.kind === 'url'
          ? (data.registry?.findContact(identifier.kind === 'phone' ? 'phone' : 'website', identifier.value) ?? [])
          : [];
      return {
        kind: 'text',
        text: contactAnswer(lang!, identifier, official, data.reported.get(key) ?? undefined, data.today),
        options: [],
      };
    }
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
  return lang ? t(lang, 'common.invalid') : LANGUAGES.map((l) => PROMPTS[l]['common.invalid']).join(' / ');
}

const optionLines = (options: Option[]) => options.map((option, i) => `${i + 1}. ${option.label}`);

/** A view's pages: each a body (lines) that fits one screen with the footer, and with the invalid-input notice. */
function pages(walk: Walk, current: View, limits: ScreenLimits): { body: string[]; title?: string }[] {
  const back = walk.history.length > 0;
  if (current.kind === 'prompt') return [{ body: [current.text] }];
  if (current.kind === 'text') {
    const options = optionLines(current.options);
    const reserve = [...options, ...footerLines(walk.lang, true, back)].join('\n');
    return paginate(current.text, limits, reserve).map((page) => ({ body: [page, ...options] }));
  }
  return menuPages(walk.lang, current, limits, back);
}

/**
 * Menu options numbered from 1, on one screen when they fit, else split into screens. The title is decoration: it
 * is shown only when the whole menu fits one screen with it. Every page fits with its footer, and also with the
 * invalid-input notice in place of the title.
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
  for (const single of [{ title: menu.title, body: lines }, { body: lines }]) if (fits(single, false)) return [single];
  const result: { body: string[]; title?: string }[] = [];
  let page: string[] = [];
  for (const line of lines) {
    if (page.length > 0 && !fits({ body: [...page, line] }, true)) {
      result.push({ body: page });
      page = [];
    }
    page = [...page, line];
  }
  result.push({ body: page });
  return result;
}

function render(walk: Walk, ctx: Context): UssdReply {
  const { limits } = ctx;
  const current = view(walk, ctx);
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
  const body = current.kind === 'menu' ? page.body : current.kind === 'text' ? optionLines(current.options) : [];
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
