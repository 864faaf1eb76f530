/**
 * The walk through a session's screens: where the caller is (a screen and its page), what a screen shows and
 * accepts, and the step's request and result.
 */
import type { Lang } from '../prompts';
import type { CommonEffect, ConversationData, Need, QuizEffect, StepOutcome } from '../conversation';
import type { Currency, PaidAnswer, ReportCategory } from '../report';
import type { Destination, SubscriptionChoice, Topic } from '../outreach/subscription';
import type { ScreenLimits } from '../screen';

import type { AdviceTopic } from '../advice';

export { ADVICE_TOPICS, type AdviceTopic } from '../advice';

/** Reserved inputs, as on most African USSD services. */
export const KEY_BACK = '0';

export const KEY_HOME = '00';

export const KEY_MORE = '98';

export type Screen =
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
  | { name: 'reportSharing'; draft: ReportAnswers }
  | { name: 'reportConfirm'; draft: ReportAnswers }
  | { name: 'reportSent'; draft: ReportAnswers }
  | { name: 'reportCancelled' }
  | { name: 'myReports' }
  | { name: 'myReport'; reference: string }
  /** The quiz (quiz-flow.ts): `answers` are the choices so far, one digit per question; `cohort` a group code. */
  | { name: 'quizIntro' }
  | { name: 'quizQuestion'; answers: string; cohort?: string }
  | { name: 'quizFeedback'; answers: string; cohort?: string }
  | { name: 'quizResult'; answers: string; cohort?: string }
  | { name: 'subscribe' }
  | { name: 'subscribeDestination'; topics: Topic[] }
  | { name: 'subscribeMonth'; topics: Topic[]; destination?: Destination }
  | { name: 'subscribed'; choice: SubscriptionChoice }
  | { name: 'unsubscribed' };

/** The answers of the guided report flow so far. */
export interface ReportAnswers {
  category: ReportCategory;
  paid?: PaidAnswer;
  amount?: number;
  currency?: Currency;
  /** The scammer's phone, @account, link or card as typed; undefined when skipped. */
  contact?: string;
  callback?: boolean;
  /** Whether the report may be shared with the police and partner organisations (asked apart from the call-back). */
  share?: boolean;
}

/** Where the caller is: a screen, and which of its pages. */
interface Position {
  screen: Screen;
  page: number;
}

export type UssdEffect =
  | CommonEffect
  | QuizEffect
  /** The caller confirmed a report: the runner submits it, then asks again with `data.submitted` for the last screen. */
  | { type: 'submitReport'; answers: ReportAnswers; lang: Lang };

/** What the runner must look up for the screen reached (and `data` lacks). */
export type UssdNeed = Extract<Need, { type: 'identifier' | 'myReports' | 'registry' }>;

/** What the screens answer from (see shared/domain/conversation.ts). */
export type UssdData = ConversationData;

export interface UssdRequest {
  /** The inputs of this session so far, oldest first (the `text` field split on `*`). */
  path: string[];
  /** The caller's language when this session began; undefined for a first-time caller. */
  startLang?: Lang;
  /** The language of the caller's country (homeLanguage), offered first to a caller without one. */
  homeLang?: Lang;
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
export interface Context {
  limits: ScreenLimits;
  data: UssdData;
  needs: UssdNeed[];
}

export interface Walk {
  lang: Lang | undefined;
  /** The language menu's order for this caller (languageOrder): the same for the whole session. */
  languages: readonly Lang[];
  at: Position;
  /** Positions that `0` returns to, most recent last. */
  history: Position[];
  invalid: boolean;
  effects: UssdEffect[];
}

export interface Option {
  label: string;
  choose: (walk: Walk) => Walk;
}

/**
 * What a screen shows and accepts. A menu is numbered options under an optional title; a text is paged with its
 * options (if any) under every page. Both page with `98` when they do not fit one screen.
 */
export type View =
  /** `shorterTitle`: shown instead of the title when only it fits with the options. */
  | { kind: 'menu'; title?: string; shorterTitle?: string; options: Option[] }
  | { kind: 'text'; text: string; options: Option[] }
  /**
   * A question answered in words (a name, a number): an input naming one of its options chooses it; any other
   * input but the reserved keys is the answer.
   */
  | { kind: 'prompt'; text: string; options: Option[]; answer: (walk: Walk, input: string) => Walk }
  /** The session's last screen. */
  | { kind: 'end'; text: string };

export function go(walk: Walk, screen: Screen): Walk {
  return { ...walk, history: [...walk.history, walk.at], at: { screen, page: 0 } };
}

export function home(walk: Walk): Walk {
  return { ...walk, at: { screen: { name: 'main' }, page: 0 }, history: [] };
}
