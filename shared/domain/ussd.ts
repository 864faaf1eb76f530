/**
 * The USSD conversation as a pure function. Africa's Talking sends the whole input path of a session in `text`
 * (`""`, `1`, `1*2`, …), so the current screen is derived by replaying that path from the session's first screen:
 * navigating needs no session write. The shell supplies what it looked up (the caller's language at the start of
 * the session) and runs the effects this returns.
 */
import { LANGUAGES, PROMPTS, t, type Lang, type PromptKey } from './prompts';
import { identifierKey, type CommonEffect, type ConversationData, type Need, type StepOutcome } from './conversation';
import {
  CURRENCIES,
  REPORT_CATEGORIES,
  extractIdentifiers,
  identifierValue,
  nextStep,
  type Currency,
  type Identifier,
  type PaidAnswer,
  type Report,
  type ReportCategory,
  type ReportDraft,
} from './report';
import { fitsScreen, paginate, type ScreenLimits } from './screen';
import { contactAnswer, entryAnswer, noRecordAnswer, type ReportedSummary } from './verify';
import { reportStatusText, submittedText } from './report-texts';

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
  | { name: 'adviceText'; topic: AdviceTopic }
  | { name: 'reportCategory' }
  | { name: 'reportPaid'; draft: ReportAnswers }
  | { name: 'reportAmount'; draft: ReportAnswers }
  | { name: 'reportCurrency'; draft: ReportAnswers }
  | { name: 'reportContact'; draft: ReportAnswers }
  | { name: 'reportCallback'; draft: ReportAnswers }
  | { name: 'reportConfirm'; draft: ReportAnswers }
  | { name: 'reportSent'; draft: ReportAnswers }
  | { name: 'reportCancelled' }
  | { name: 'myReports' }
  | { name: 'myReport'; reference: string };

/** The answers of the guided report flow so far. */
export interface ReportAnswers {
  category: ReportCategory;
  paid?: PaidAnswer;
  amount?: number;
  currency?: Currency;
  /** The scammer's phone, @account, link or card as typed; undefined when skipped. */
  contact?: string;
  callback?: boolean;
}

const PAID_CHOICES = ['yes', 'about_to_pay', 'no'] as const satisfies readonly PaidAnswer[];

/** Where the caller is: a screen, and which of its pages. */
interface Position {
  screen: Screen;
  page: number;
}

export type UssdEffect =
  | CommonEffect
  /** The caller confirmed a report: the runner submits it, then asks again with `data.submitted` for the last screen. */
  | { type: 'submitReport'; answers: ReportAnswers; lang: Lang };

/** What the runner must look up for the screen reached (and `data` lacks). */
export type UssdNeed = Extract<Need, { type: 'identifier' | 'myReports' }>;

/** What the screens answer from (see shared/domain/conversation.ts). */
export type UssdData = ConversationData;

export interface UssdRequest {
  /** The inputs of this session so far, oldest first (the `text` field split on `*`). */
  path: string[];
  /** The caller's language when this session began; undefined for a first-time caller. */
  startLang?: Lang;
  limits: ScreenLimits;
  data: UssdData;
}

export interface UssdReply {
  /** true: the session ends (`END`); false: the caller may answer (`CON`). */
  end: boolean;
  text: string;
}

export interface UssdResult extends StepOutcome<UssdEffect> {
  reply: UssdReply;
  /** The language the reply is in. */
  lang: Lang | undefined;
  /** Navigation needs no look-up; only the one screen shown may. */
  needs: UssdNeed[];
}

/** The request as the walk sees it, and the lookups the current screen turned out to need. */
interface Context {
  limits: ScreenLimits;
  data: UssdData;
  needs: UssdNeed[];
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
  /**
   * A question answered in words (a name, a number): an input naming one of its options chooses it; any other
   * input but the reserved keys is the answer.
   */
  | { kind: 'prompt'; text: string; options: Option[]; answer: (walk: Walk, input: string) => Walk }
  /** The session's last screen. */
  | { kind: 'end'; text: string };

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
  if (current.kind === 'end') return { ...walk, invalid: true };
  if (current.kind === 'prompt') {
    const option = /^\d{1,2}$/.test(input) ? current.options[Number(input) - 1] : undefined;
    if (option) return option.choose(walk);
    return input ? current.answer(walk, input) : { ...walk, invalid: true };
  }
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
          { label: t(lang!, 'menu.report'), choose: (w) => go(w, { name: 'reportCategory' }) },
          { label: t(lang!, 'menu.myReports'), choose: (w) => go(w, { name: 'myReports' }) },
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
      return {
        kind: 'prompt',
        text: t(lang!, 'check.entityPrompt'),
        options: [],
        answer: (w, query) => ({ ...go(w, { name: 'entityResult', query }), effects: [{ type: 'verified', kind: 'name' }] }),
      };
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
      return {
        kind: 'prompt',
        text: t(lang!, 'check.contactPrompt'),
        options: [],
        answer: (w, query) => ({
          ...go(w, { name: 'contactResult', query }),
          effects: [{ type: 'verified', kind: extractIdentifiers(query, data.cardHash)[0]?.kind ?? 'unrecognised' }],
        }),
      };
    case 'contactResult': {
      const identifier = extractIdentifiers(screen.query, data.cardHash)[0];
      if (!identifier) return { kind: 'text', text: t(lang!, 'contact.invalid'), options: [] };
      const key = identifierKey(identifier);
      if (!data.reported.has(key)) ctx.needs.push({ type: 'identifier', identifier });
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
    default:
      return reportView(walk, screen, ctx);
  }
}

/** The guided report flow and the caller's own reports. */
function reportView(walk: Walk, screen: Screen, ctx: Context): View {
  const lang = walk.lang!;
  const choices = <T,>(values: readonly T[], label: (value: T) => string, next: (value: T) => Screen): Option[] =>
    values.map((value) => ({ label: label(value), choose: (w: Walk) => go(w, next(value)) }));
  switch (screen.name) {
    case 'reportCategory':
      return {
        kind: 'menu',
        title: t(lang, 'report.category.title'),
        options: choices(REPORT_CATEGORIES, (c) => t(lang, `report.category.${c}` as PromptKey), (category) => ({
          name: 'reportPaid',
          draft: { category },
        })),
      };
    case 'reportPaid':
      return {
        kind: 'menu',
        title: t(lang, 'report.paid.title'),
        options: choices(PAID_CHOICES, (p) => t(lang, `report.paid.${p}` as PromptKey), (paid) =>
          // Nothing paid or asked: no amount to ask about.
          paid === 'no' ? { name: 'reportContact', draft: { ...screen.draft, paid } } : { name: 'reportAmount', draft: { ...screen.draft, paid } },
        ),
      };
    case 'reportAmount':
      return {
        kind: 'prompt',
        text: t(lang, 'report.amount.prompt'),
        options: [],
        answer: (w, input) => {
          const amount = parseAmount(input);
          return amount ? go(w, { name: 'reportCurrency', draft: { ...screen.draft, amount } }) : { ...w, invalid: true };
        },
      };
    case 'reportCurrency':
      return {
        kind: 'menu',
        title: t(lang, 'report.currency.title'),
        options: choices(CURRENCIES, (c) => t(lang, `report.currency.${c}` as PromptKey), (currency) => ({
          name: 'reportContact',
          draft: { ...screen.draft, currency },
        })),
      };
    case 'reportContact':
      return {
        kind: 'prompt',
        text: t(lang, 'report.contact.prompt'),
        options: [{ label: t(lang, 'report.contact.skip'), choose: (w) => go(w, { name: 'reportCallback', draft: screen.draft }) }],
        answer: (w, contact) => go(w, { name: 'reportCallback', draft: { ...screen.draft, contact } }),
      };
    case 'reportCallback':
      return {
        kind: 'menu',
        title: t(lang, 'report.callback.title'),
        options: choices([true, false], (yes) => t(lang, yes ? 'common.yes' : 'common.no'), (callback) => ({
          name: 'reportConfirm',
          draft: { ...screen.draft, callback },
        })),
      };
    case 'reportConfirm':
      return {
        kind: 'text',
        text: `${t(lang, 'report.confirm.title')} ${reportSummary(lang, screen.draft)}`,
        options: [
          {
            label: t(lang, 'report.confirm.send'),
            choose: (w) => ({ ...go(w, { name: 'reportSent', draft: screen.draft }), effects: [{ type: 'submitReport', answers: screen.draft, lang }] }),
          },
          { label: t(lang, 'report.confirm.cancel'), choose: (w) => go(w, { name: 'reportCancelled' }) },
        ],
      };
    case 'reportSent': {
      const submitted = ctx.data.submitted;
      if (!submitted?.saved) return { kind: 'end', text: t(lang, 'report.failed') };
      return { kind: 'end', text: submittedText(lang, submitted.report) };
    }
    case 'reportCancelled':
      return { kind: 'end', text: t(lang, 'report.cancelled') };
    case 'myReports': {
      const reports = ctx.data.myReports;
      if (!reports) {
        ctx.needs.push({ type: 'myReports' });
        return { kind: 'text', text: '', options: [] };
      }
      if (reports.length === 0) return { kind: 'text', text: t(lang, 'myReports.none'), options: [] };
      return {
        kind: 'menu',
        options: reports.map((report) => ({
          label: `${report.reference} ${report.createdAt.slice(0, 10)}`,
          choose: (w: Walk) => go(w, { name: 'myReport', reference: report.reference }),
        })),
      };
    }
    case 'myReport': {
      const report = ctx.data.myReports?.find((r) => r.reference === screen.reference);
      if (!report) {
        ctx.needs.push({ type: 'myReports' });
        return { kind: 'text', text: '', options: [] };
      }
      return { kind: 'text', text: reportStatusText(lang, report), options: [] };
    }
    default:
      throw new Error(`no view for ${screen.name}`);
  }
}

/** An amount as typed on a keypad: digits, maybe grouped with spaces, dots or commas (`3 000`, `1.500`). */
function parseAmount(input: string): number | undefined {
  const digits = input.replace(/[\s.,']/g, '');
  if (!/^\d{1,9}$/.test(digits)) return undefined;
  const amount = Number(digits);
  return amount > 0 ? amount : undefined;
}

function reportSummary(lang: Lang, draft: ReportAnswers): string {
  return t(lang, 'report.confirm.summary', {
    category: t(lang, `report.category.${draft.category}` as PromptKey),
    paid: t(lang, `report.paid.${draft.paid ?? 'no'}` as PromptKey),
    amount: draft.amount ? ` ${draft.amount} ${draft.currency ?? ''}`.trimEnd() : '',
    contact: draft.contact ?? t(lang, 'report.confirm.none'),
    callback: t(lang, draft.callback ? 'common.yes' : 'common.no'),
  });
}

/**
 * The report a confirmed flow makes. The contact typed is read for identifiers (the caller's own number excluded);
 * when none is recognised it is kept as free text so that nothing the caller typed is lost.
 */
export function reportFromAnswers(
  answers: ReportAnswers,
  lang: Lang,
  callerPhone: string,
  cardHash: (digits: string) => string,
): Omit<ReportDraft, 'urgency' | 'createdAt' | 'reporterKey'> {
  const identifiers = answers.contact ? extractIdentifiers(answers.contact, cardHash, callerPhone) : [];
  return {
    channel: 'ussd',
    lang,
    category: answers.category,
    paid: answers.paid ?? 'unknown',
    ...(answers.amount && answers.currency ? { amount: { value: answers.amount, currency: answers.currency } } : {}),
    ...(answers.contact && identifiers.length === 0 ? { freeText: answers.contact } : {}),
    identifiers,
    callbackConsent: answers.callback ?? false,
  };
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
  // Pages are cut as if a Back line were always there: a screen's pages must not change once the caller moves
  // on to its second page (from where Back is possible).
  const back = true;
  if (current.kind === 'prompt') return [{ body: [current.text, ...optionLines(current.options)] }];
  if (current.kind === 'end') return [{ body: [current.text] }];
  if (current.kind === 'text') {
    // The options stand under the last page only, so that the pages before it carry more text.
    const options = optionLines(current.options);
    const middle = footerLines(walk.lang, true, back).join('\n');
    const last = [...options, ...footerLines(walk.lang, false, back)].join('\n');
    const text = current.text.normalize('NFC');
    if (fitsScreen(`${text}\n${last}`, limits)) return [{ body: [text, ...options] }];
    // Pages are filled in order; the last must also fit the options, so its first words may move to a page before.
    const texts = paginate(text, limits, middle);
    const words = texts.pop()!.split(' ');
    let start = 0;
    while (start < words.length - 1 && !fitsScreen(`${words.slice(start).join(' ')}\n${last}`, limits)) start++;
    if (start > 0) texts.push(words.slice(0, start).join(' '));
    return [...texts, words.slice(start).join(' ')].map((page, i, all) => ({
      body: i === all.length - 1 ? [page, ...options] : [page],
    }));
  }
  return menuPages(walk.lang, current, limits, back);
}

/**
 * Menu options numbered from 1, on one screen when they fit, else split into screens. The title is decoration: it
 * is shown only when the whole menu fits one screen with it. Every page fits with its footer, and its options fit
 * under the invalid-input notice (see `render`).
 */
function menuPages(lang: Lang | undefined, menu: { title?: string; options: Option[] }, limits: ScreenLimits, back: boolean) {
  const notice = invalidNotice(lang);
  const fits = (page: { body: string[]; title?: string }, more: boolean) => {
    const footer = footerLines(lang, more, back);
    return (
      fitsScreen([...(page.title ? [page.title] : []), ...page.body, ...footer].join('\n'), limits) &&
      fitsScreen([notice, ...page.body].join('\n'), limits)
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
  if (current.kind === 'end') return { end: true, text: current.text };
  const all = pages(walk, current, limits);
  const page = all[walk.at.page]!;
  const footer = footerLines(walk.lang, walk.at.page + 1 < all.length, walk.history.length > 0);
  const title = page.title ? [page.title] : [];
  if (!walk.invalid) return { end: false, text: [...title, ...page.body, ...footer].join('\n') };
  // The same screen again, headed by a polite word. What gives way when it does not fit: the title, then the text
  // the caller has just read, then the More/Back lines (their keys still work). Pages are cut so that the notice
  // and the options always fit.
  const notice = invalidNotice(walk.lang);
  const options = current.kind === 'menu' ? page.body : page.body.slice(1);
  const candidates = [
    [notice, ...title, ...page.body, ...footer],
    [notice, ...page.body, ...footer],
    [notice, ...options, ...footer],
    [notice, ...options],
  ].map((lines) => lines.join('\n'));
  return { end: false, text: candidates.find((text) => fitsScreen(text, limits)) ?? candidates.at(-1)! };
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
