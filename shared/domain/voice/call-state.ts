/**
 * A call's state (carried in the callback URL), what the caller did, the actions to play, and the step's
 * request and result.
 */
import { isLang, type Lang } from '../prompts';
import type { CommonEffect, ConversationData, Need, QuizEffect, StepOutcome } from '../conversation';
import { QUIZ_LENGTH, isAnswers, parseCohortCode } from '../quiz';
import type { Segment } from './spoken';
import { DESTINATIONS, TOPIC_CHOICES, type Destination, type SubscriptionEffect } from '../outreach/subscription';

/**
 * The questions of the call. `start` is a call's first callback (no state in its URL); `dial` is the return from
 * ringing a level of officers.
 */
export const VOICE_STEPS = ['start', 'lang', 'main', 'phone', 'licence', 'consent', 'sharing', 'report', 'dial', 'urgent', 'advice', 'quizCohort', 'quiz', 'quizEnd', 'subscribe', 'subscribeDestination', 'subscribeMonth'] as const;

export type VoiceStep = (typeof VOICE_STEPS)[number];

export interface VoiceState {
  step: VoiceStep;
  /** The call's language once known. */
  lang?: Lang;
  /** How many times this question has been asked again after no input or a wrong key. */
  tries: number;
  /** dial: the level of officers just rung, from 1. */
  level?: number;
  /** report: whether the caller agreed to be called back. */
  callback?: boolean;
  /** report: whether the caller agreed that the report may be shared with the police and partner organisations. */
  share?: boolean;
  /** quiz: the choices so far, one digit per question (the quiz's state travels in the URL, as the menus' does). */
  answers?: string;
  /** quiz: the group code entered at the start. */
  cohort?: string;
  /** subscribe: the key chosen for the topics (1 to 3, TOPIC_CHOICES). */
  choice?: number;
  /** subscribe: where the caller is going. */
  destination?: Destination;
}

export const START: VoiceState = { step: 'start', tries: 0 };

/** The state as callback URL parameters (short names: the URL is read back by the provider on every callback). */
export function stateToQuery(state: VoiceState): Record<string, string> {
  return {
    s: state.step,
    ...(state.lang ? { l: state.lang } : {}),
    t: String(state.tries),
    ...(state.level !== undefined ? { v: String(state.level) } : {}),
    ...(state.callback !== undefined ? { c: state.callback ? '1' : '0' } : {}),
    ...(state.share !== undefined ? { p: state.share ? '1' : '0' } : {}),
    ...(state.answers !== undefined ? { a: state.answers } : {}),
    ...(state.cohort !== undefined ? { k: state.cohort } : {}),
    ...(state.choice !== undefined ? { o: String(state.choice) } : {}),
    ...(state.destination !== undefined ? { d: state.destination } : {}),
  };
}

/**
 * The state a callback URL carries; START when it carries none (a call's first callback, or a provider calling the
 * number's own URL), undefined when what it carries is not a state (tampered or stale).
 */
export function stateFromQuery(query: Record<string, string | undefined>): VoiceState | undefined {
  const { s, l, t, v, c, p, a, k, o, d } = query;
  if (s === undefined) return START;
  if (!(VOICE_STEPS as readonly string[]).includes(s)) return undefined;
  if (l !== undefined && !isLang(l)) return undefined;
  if (t !== undefined && !/^\d$/.test(t)) return undefined;
  if (v !== undefined && !/^[1-9]$/.test(v)) return undefined;
  if (c !== undefined && c !== '0' && c !== '1') return undefined;
  if (p !== undefined && p !== '0' && p !== '1') return undefined;
  if (a !== undefined && (!isAnswers(a) || a.length === QUIZ_LENGTH)) return undefined;
  if (k !== undefined && parseCohortCode(k) !== k) return undefined;
  if (o !== undefined && !(/^[1-9]$/.test(o) && Number(o) <= TOPIC_CHOICES.length)) return undefined;
  if (d !== undefined && !(DESTINATIONS as readonly string[]).includes(d)) return undefined;
  return {
    step: s as VoiceStep,
    ...(l ? { lang: l as Lang } : {}),
    tries: t ? Number(t) : 0,
    ...(v ? { level: Number(v) } : {}),
    ...(c ? { callback: c === '1' } : {}),
    ...(p ? { share: p === '1' } : {}),
    ...(a !== undefined ? { answers: a } : {}),
    ...(k !== undefined ? { cohort: k } : {}),
    ...(o !== undefined ? { choice: Number(o) } : {}),
    ...(d !== undefined ? { destination: d as Destination } : {}),
  };
}

export interface Recording {
  url: string;
  durationSeconds?: number;
}

/** What the caller did since the last callback. */
export interface VoiceInput {
  /** The keys pressed (without the finishing `#`); undefined or empty: none. */
  digits?: string;
  recording?: Recording;
  /** After ringing officers: true when one answered, false when none did, undefined when the provider does not say. */
  dialAnswered?: boolean;
}

/** What to play; `S` is the state the callbacks carry (the caller's line, or the studio line's). */
export type VoiceAction<S = VoiceState> =
  | { kind: 'say'; segments: Segment[] }
  /**
   * Plays the segments while listening for keys, then calls back with `next` and the keys. With no key pressed the
   * provider calls `next` without digits (the renderers add a redirect for providers that fall through).
   */
  | { kind: 'gather'; segments: Segment[]; next: S; numDigits?: number; finishOnKey?: '#'; timeoutSeconds: number }
  /** Plays the segments, records after a beep until `#` or `maxSeconds`, then calls back with `next` and the recording. */
  | { kind: 'record'; segments: Segment[]; next: S; maxSeconds: number }
  /** Rings these numbers at once; then calls back with `next` (Twilio says whether one answered). */
  | { kind: 'dial'; numbers: string[]; timeoutSeconds: number; next: S }
  | { kind: 'hangup' };

export type VoiceEffect =
  | Extract<CommonEffect, { type: 'rememberLanguage' }>
  /** A check answered in full: the runner counts it for the analysts (what was checked, what the answer told). */
  | Extract<CommonEffect, { type: 'verified' }>
  | QuizEffect
  /** An opt-in or opt-out on the keypad: the runner records the consent with the channel voice. */
  | SubscriptionEffect
  /** A voice report: the runner submits it (intake), then asks again with `data.submitted`. */
  | { type: 'submitReport'; lang: Lang; recording: Recording; callbackConsent: boolean; sharingConsent?: boolean }
  /**
   * An urgent message that no officer could take live: the runner submits it as an urgent report, whose intake hands
   * it to the on-call SMS escalation (IntakeDeps.onUrgent); then asks again with `data.submitted`.
   */
  | { type: 'startEscalation'; lang: Lang; recording: Recording };

export type VoiceNeed = Extract<Need, { type: 'identifier' | 'onCall' | 'licences' }>;

/** The on-call officers' phone numbers, level by level (level 1 first), for the urgent line to ring. */
export interface OnCallDirectory {
  onCallNumbers(): Promise<string[][]>;
}

/** What the line answers from (see shared/domain/conversation.ts). */
export type VoiceData = ConversationData;

export interface VoiceSettings {
  maxRetries: number;
  maxRecordingSeconds: number;
  inputTimeoutSeconds: number;
  /** Seconds each level rings; the last holds for deeper levels. */
  dialTimeoutSeconds: readonly number[];
}

export interface VoiceRequest {
  state: VoiceState;
  input: VoiceInput;
  /** The caller's remembered language; undefined for a first-time caller (or when it could not be read). */
  storedLang?: Lang;
  /** The language of the caller's country (homeLanguage): its "press N" is heard first. */
  homeLang?: Lang;
  /** Whether the caller's number can take an SMS (a withheld number cannot). */
  canText: boolean;
  settings: VoiceSettings;
  data: VoiceData;
}

/** Moments worth a log line. */
export type VoiceEvent = 'gave_up' | 'officer_answered' | 'officers_unanswered' | 'no_officer_on_call';

export interface VoiceResult extends StepOutcome<VoiceEffect> {
  actions: VoiceAction[];
  /** The language of what is said, once known. */
  lang: Lang | undefined;
  needs: VoiceNeed[];
  event?: VoiceEvent;
}
