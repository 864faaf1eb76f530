/**
 * The voice line (IVR) as a pure function, one definition for every provider. A call is a series of provider
 * callbacks; each carries the question it answers (its state: step, language, tries… travelling in the callback
 * URL, see `stateToQuery`) and what the caller did (keys pressed, a recording, whether a dialled officer answered).
 * `voiceStep` returns what to play next as provider-neutral actions (shared/channels/twilio-voice.ts and
 * africastalking-voice.ts render them), the effects the shell runs (remember the language, submit the report) and
 * the look-ups it needs first. Nothing of a call is held in memory between callbacks.
 *
 * What callers hear is made of segments: prompts (texts in prompts/*.json, played from a recording where the
 * provider has no text-to-speech for the language — Tajik everywhere) and dynamic parts (a registry name, a count,
 * a reference read character by character) that only speech can say.
 */
import { LANGUAGES, PROMPTS, isLang, type Lang } from './prompts';
import { licenceKey, standing, type RegistryEntry, type RegistryIndex, type Standing } from './registry';
import { extractIdentifiers, type Identifier, type Report, type ReportDraft } from './report';
import { identifierKey, type CommonEffect, type ConversationData, type KeypadLicenceIndex, type Need, type StepOutcome } from './conversation';

// ---------------------------------------------------------------------------------------------------------------
// What is spoken

/** The voice line's own prompts (prompts/*.json, `voice.` keys). */
export const VOICE_PROMPT_KEYS = [
  'voice.lang.choose',
  'voice.welcome',
  'voice.menu',
  'voice.invalid',
  'voice.noInput',
  'voice.giveUp',
  'voice.goodbye',
  'voice.unavailable',
  'voice.phone.prompt',
  'voice.phone.invalid',
  'voice.phone.typed',
  'voice.phone.official',
  'voice.phone.reported',
  'voice.phone.reportedAdvice',
  'voice.phone.reportedOnce',
  'voice.phone.none',
  'voice.status',
  'voice.licence.prompt',
  'voice.licence.invalid',
  'voice.licence.found',
  'voice.licence.several',
  'voice.licence.licensedAdvice',
  'voice.licence.warning',
  'voice.licence.none',
  'voice.report.consent',
  'voice.report.prompt',
  'voice.report.empty',
  'voice.report.received',
  'voice.report.repeat',
  'voice.report.sms',
  'voice.report.failed',
  'voice.urgent.connecting',
  'voice.urgent.next',
  'voice.urgent.message',
  'voice.urgent.received',
  'voice.urgent.danger',
  'voice.urgent.ended',
  'voice.advice.menu',
  'voice.digit.0',
  'voice.digit.1',
  'voice.digit.2',
  'voice.digit.3',
  'voice.digit.4',
  'voice.digit.5',
  'voice.digit.6',
  'voice.digit.7',
  'voice.digit.8',
  'voice.digit.9',
] as const;
export type VoicePromptKey = (typeof VOICE_PROMPT_KEYS)[number];

/** The advice read out by the voice line: the same texts as USSD and SMS. */
export const VOICE_ADVICE_TOPICS = ['redflags', 'nofees', 'visa', 'contacts'] as const;
const STANDINGS = ['licensed', 'suspended', 'revoked', 'expired'] as const satisfies readonly Standing[];

/** Every prompt the voice line can speak: its own, and the advice and status words it shares with USSD and SMS. */
export type SpokenKey = VoicePromptKey | `advice.${(typeof VOICE_ADVICE_TOPICS)[number]}.text` | `status.${Standing}`;
export const SPOKEN_PROMPT_KEYS: readonly SpokenKey[] = [
  ...VOICE_PROMPT_KEYS,
  ...VOICE_ADVICE_TOPICS.map((topic) => `advice.${topic}.text` as const),
  ...STANDINGS.map((s) => `status.${s}` as const),
];

/** The text of a spoken prompt (prompts/<lang>.json). */
export function spokenText(lang: Lang, key: SpokenKey): string {
  const text = (PROMPTS[lang] as Record<string, string | undefined>)[key];
  if (text === undefined) throw new Error(`prompts/${lang}.json has no "${key}"`);
  return text;
}

export type Segment =
  /** A text of prompts/*.json: recordable. */
  | { kind: 'prompt'; key: SpokenKey; lang: Lang }
  /** Words only speech can say (a registry name). */
  | { kind: 'text'; text: string; lang: Lang }
  /** A count. */
  | { kind: 'number'; value: number; lang: Lang }
  /** Read one character at a time: a reference, the digits a caller typed. */
  | { kind: 'chars'; chars: string; lang: Lang };

// ---------------------------------------------------------------------------------------------------------------
// State, input, actions

/**
 * The questions of the call. `start` is a call's first callback (no state in its URL); `dial` is the return from
 * ringing a level of officers.
 */
export const VOICE_STEPS = ['start', 'lang', 'main', 'phone', 'licence', 'consent', 'report', 'dial', 'urgent', 'advice'] as const;
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
  };
}

/**
 * The state a callback URL carries; START when it carries none (a call's first callback, or a provider calling the
 * number's own URL), undefined when what it carries is not a state (tampered or stale).
 */
export function stateFromQuery(query: Record<string, string | undefined>): VoiceState | undefined {
  const { s, l, t, v, c } = query;
  if (s === undefined) return START;
  if (!(VOICE_STEPS as readonly string[]).includes(s)) return undefined;
  if (l !== undefined && !isLang(l)) return undefined;
  if (t !== undefined && !/^\d$/.test(t)) return undefined;
  if (v !== undefined && !/^[1-9]$/.test(v)) return undefined;
  if (c !== undefined && c !== '0' && c !== '1') return undefined;
  return {
    step: s as VoiceStep,
    ...(l ? { lang: l as Lang } : {}),
    tries: t ? Number(t) : 0,
    ...(v ? { level: Number(v) } : {}),
    ...(c ? { callback: c === '1' } : {}),
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

export type VoiceAction =
  | { kind: 'say'; segments: Segment[] }
  /**
   * Plays the segments while listening for keys, then calls back with `next` and the keys. With no key pressed the
   * provider calls `next` without digits (the renderers add a redirect for providers that fall through).
   */
  | { kind: 'gather'; segments: Segment[]; next: VoiceState; numDigits?: number; finishOnKey?: '#'; timeoutSeconds: number }
  /** Plays the segments, records after a beep until `#` or `maxSeconds`, then calls back with `next` and the recording. */
  | { kind: 'record'; segments: Segment[]; next: VoiceState; maxSeconds: number }
  /** Rings these numbers at once; then calls back with `next` (Twilio says whether one answered). */
  | { kind: 'dial'; numbers: string[]; timeoutSeconds: number; next: VoiceState }
  | { kind: 'hangup' };

export type VoiceEffect =
  | Extract<CommonEffect, { type: 'rememberLanguage' }>
  /** A voice report: the runner submits it (intake), then asks again with `data.submitted`. */
  | { type: 'submitReport'; lang: Lang; recording: Recording; callbackConsent: boolean }
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

// ---------------------------------------------------------------------------------------------------------------
// The flow

interface Context {
  request: VoiceRequest;
  effects: VoiceEffect[];
  needs: VoiceNeed[];
  event?: VoiceEvent;
}

const prompt = (lang: Lang, key: SpokenKey): Segment => ({ kind: 'prompt', key, lang });
const say = (...segments: Segment[]): VoiceAction => ({ kind: 'say', segments });
const HANGUP: VoiceAction = { kind: 'hangup' };

/** The keys a caller pressed: digits, `*` and `#` only (Twilio sends `hangup` after a Record cut short). */
export function pressedKeys(raw: string | undefined): string {
  return raw && /^[\d*#]+$/.test(raw) ? raw.replace(/#+$/, '') : '';
}

export function voiceStep(request: VoiceRequest): VoiceResult {
  const ctx: Context = { request, effects: [], needs: [] };
  const actions = respond(ctx);
  const lang = request.state.lang ?? (request.state.step === 'start' ? request.storedLang : undefined);
  const chosen = ctx.effects.find((effect) => effect.type === 'rememberLanguage')?.lang;
  return { actions, lang: chosen ?? lang, effects: ctx.effects, needs: ctx.needs, ...(ctx.event ? { event: ctx.event } : {}) };
}

function respond(ctx: Context): VoiceAction[] {
  const { state, input, storedLang } = ctx.request;
  if (state.step !== 'start') return answer(ctx, state);
  // A recording reaching the number's own URL (a provider's final callback): a report, in the caller's language.
  if (input.recording) return answer(ctx, { step: 'report', lang: storedLang ?? 'tg', tries: 0, callback: false });
  const entry: VoiceState = storedLang ? { step: 'main', lang: storedLang, tries: 0 } : { step: 'lang', tries: 0 };
  // Keys reaching the number's own URL answer the call's first question.
  if (pressedKeys(input.digits)) return answer(ctx, entry);
  return storedLang ? [say(prompt(storedLang, 'voice.welcome')), ...ask(ctx, entry)] : ask(ctx, entry);
}

/** The question of `state`, asked (again). */
function ask(ctx: Context, state: VoiceState): VoiceAction[] {
  const { settings } = ctx.request;
  const lang = state.lang ?? 'tg';
  const keys = (segments: Segment[], multi = false): VoiceAction[] => [
    {
      kind: 'gather',
      segments,
      next: state,
      timeoutSeconds: settings.inputTimeoutSeconds,
      ...(multi ? { finishOnKey: '#' as const } : { numDigits: 1 }),
    },
  ];
  switch (state.step) {
    case 'start':
    case 'lang':
      // Heard in every language, each saying its own key.
      return keys(LANGUAGES.map((l) => prompt(l, 'voice.lang.choose')));
    case 'main':
      return keys([prompt(lang, 'voice.menu')]);
    case 'phone':
      return keys([prompt(lang, 'voice.phone.prompt')], true);
    case 'licence':
      return keys([prompt(lang, 'voice.licence.prompt')], true);
    case 'consent':
      return keys([prompt(lang, 'voice.report.consent')]);
    case 'advice':
      return keys([prompt(lang, 'voice.advice.menu')]);
    case 'report':
      return [{ kind: 'record', segments: [prompt(lang, 'voice.report.prompt')], next: state, maxSeconds: settings.maxRecordingSeconds }];
    case 'urgent':
      return [{ kind: 'record', segments: [prompt(lang, 'voice.urgent.message')], next: state, maxSeconds: settings.maxRecordingSeconds }];
    case 'dial':
      return ringLevel(ctx, lang, state.level ?? 1);
  }
}

/**
 * No input or a wrong key: the question again, headed by `notice`, until it has been asked `maxRetries` times
 * more; then a polite goodbye.
 */
function retry(ctx: Context, state: VoiceState, notice: VoicePromptKey): VoiceAction[] {
  const lang = state.lang;
  if (state.tries + 1 > ctx.request.settings.maxRetries) {
    ctx.event = 'gave_up';
    const langs = lang ? [lang] : [...LANGUAGES];
    return [say(...langs.flatMap((l) => [prompt(l, 'voice.giveUp'), prompt(l, 'voice.goodbye')])), HANGUP];
  }
  const heading = lang ? [prompt(lang, notice)] : LANGUAGES.map((l) => prompt(l, notice));
  return [say(...heading), ...ask(ctx, { ...state, tries: state.tries + 1 })];
}

const at = (state: VoiceState, step: VoiceStep, extra: Partial<VoiceState> = {}): VoiceState => ({
  step,
  ...(state.lang ? { lang: state.lang } : {}),
  tries: 0,
  ...extra,
});

function answer(ctx: Context, state: VoiceState): VoiceAction[] {
  const { input } = ctx.request;
  const keys = pressedKeys(input.digits);
  const lang = state.lang ?? 'tg';
  const none = () => retry(ctx, state, 'voice.noInput');
  const invalid = () => retry(ctx, state, 'voice.invalid');
  switch (state.step) {
    case 'start':
    case 'lang': {
      if (!keys) return none();
      const chosen = /^[1-9]$/.test(keys) ? LANGUAGES[Number(keys) - 1] : undefined;
      if (!chosen) return invalid();
      ctx.effects.push({ type: 'rememberLanguage', lang: chosen });
      return [say(prompt(chosen, 'voice.welcome')), ...ask(ctx, { step: 'main', lang: chosen, tries: 0 })];
    }
    case 'main':
      switch (keys) {
        case '':
          return none();
        case '1':
          return ask(ctx, at(state, 'phone'));
        case '2':
          return ask(ctx, at(state, 'licence'));
        case '3':
          return ask(ctx, at(state, 'consent'));
        case '4':
          return urgentHelp(ctx, lang);
        case '5':
          return ask(ctx, at(state, 'advice'));
        case '9':
          return ask(ctx, { step: 'lang', tries: 0 });
        case '0':
        case '*':
          return ask(ctx, at(state, 'main'));
        default:
          return invalid();
      }
    case 'phone': {
      if (!keys) return none();
      const phone = phoneFromKeypad(keys, ctx.request.data.cardHash);
      if (!phone) return retry(ctx, state, 'voice.phone.invalid');
      return [say(...phoneAnswer(ctx, lang, phone)), ...ask(ctx, at(state, 'main'))];
    }
    case 'licence': {
      if (!keys) return none();
      const typed = keys.replace(/\D/g, '');
      if (typed.length < 3) return retry(ctx, state, 'voice.licence.invalid');
      return [say(...licenceAnswer(ctx, lang, typed)), ...ask(ctx, at(state, 'main'))];
    }
    case 'consent':
      if (!keys) return none();
      if (keys !== '1' && keys !== '2') return invalid();
      return ask(ctx, at(state, 'report', { callback: keys === '1' }));
    case 'advice': {
      if (!keys) return none();
      if (keys === '0' || keys === '*') return ask(ctx, at(state, 'main'));
      const topic = /^[1-9]$/.test(keys) ? VOICE_ADVICE_TOPICS[Number(keys) - 1] : undefined;
      if (!topic) return invalid();
      return [say(prompt(lang, `advice.${topic}.text`)), ...ask(ctx, at(state, 'advice'))];
    }
    case 'report':
    case 'urgent':
      return recorded(ctx, state, lang);
    case 'dial':
      return afterDial(ctx, state, lang);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Checks

type PhoneIdentifier = Extract<Identifier, { kind: 'phone' | 'handle' | 'url' }> & { kind: 'phone' };

/**
 * A phone number typed on a keypad, in E.164: `00` or a country code for international numbers (`992…`, `44…`),
 * a Tajik local number (9 digits, or 10 with the trunk 8), a Russian one with its trunk 8 (11 digits).
 */
export function phoneFromKeypad(keys: string, cardHash: (digits: string) => string): PhoneIdentifier | undefined {
  const digits = keys.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 17) return undefined;
  const written = digits.startsWith('00')
    ? `+${digits.slice(2)}`
    : /^8\d{10}$/.test(digits)
      ? `+7${digits.slice(1)}`
      : digits.length >= 11
        ? `+${digits}`
        : digits;
  const found = extractIdentifiers(written, cardHash)[0];
  return found?.kind === 'phone' ? { kind: 'phone', value: found.value } : undefined;
}

function phoneAnswer(ctx: Context, lang: Lang, phone: PhoneIdentifier): Segment[] {
  const { data } = ctx.request;
  const key = identifierKey(phone);
  if (!data.reported.has(key)) ctx.needs.push({ type: 'identifier', identifier: phone });
  const reported = data.reported.get(key) ?? undefined;
  const official = data.registry?.findContact('phone', phone.value) ?? [];
  const segments: Segment[] = [prompt(lang, 'voice.phone.typed'), { kind: 'chars', chars: phone.value.replace('+', ''), lang }];
  for (const entry of official) {
    segments.push(
      prompt(lang, 'voice.phone.official'),
      { kind: 'text', text: entry.name, lang },
      prompt(lang, 'voice.status'),
      prompt(lang, `status.${standing(entry, data.today)}`),
    );
  }
  // One report alone does not brand a number a scam (docs/domain-facts.md).
  if (reported && reported.reporters > 1) {
    segments.push(prompt(lang, 'voice.phone.reported'), { kind: 'number', value: reported.reporters, lang }, prompt(lang, 'voice.phone.reportedAdvice'));
  } else if (reported && reported.reporters === 1) {
    segments.push(prompt(lang, 'voice.phone.reportedOnce'));
  } else if (official.length === 0) {
    segments.push(prompt(lang, 'voice.phone.none'));
  }
  return segments;
}

/** How many of several matching licences are read out. */
const LICENCES_READ = 3;

function licenceAnswer(ctx: Context, lang: Lang, typed: string): Segment[] {
  const { data } = ctx.request;
  if (data.licences === undefined) {
    ctx.needs.push({ type: 'licences' });
    return [];
  }
  if (data.licences === null) return [prompt(lang, 'voice.unavailable')];
  const found = data.licences.find(typed).slice(0, LICENCES_READ);
  if (found.length === 0) return [prompt(lang, 'voice.licence.none')];
  const standings = found.map((entry) => standing(entry, data.today));
  return [
    prompt(lang, found.length === 1 ? 'voice.licence.found' : 'voice.licence.several'),
    ...found.flatMap((entry, i): Segment[] => [
      { kind: 'text', text: entry.name, lang },
      prompt(lang, 'voice.status'),
      prompt(lang, `status.${standings[i]!}`),
    ]),
    prompt(lang, standings.every((s) => s === 'licensed') ? 'voice.licence.licensedAdvice' : 'voice.licence.warning'),
  ];
}

/** ITU E.161 keypad letters, and the Russian layout printed on phones sold in Central Asia. */
const KEYPAD = ['', '', 'ABCАБВГ', 'DEFДЕЖЗ', 'GHIИЙКЛ', 'JKLМНОП', 'MNOРСТУ', 'PQRSФХЦЧ', 'TUVШЩЪЫ', 'WXYZЬЭЮЯ'];
/** Tajik letters to the Russian ones on the keys. */
const TAJIK_KEYS: Record<string, string> = { Ҳ: 'Х', Қ: 'К', Ғ: 'Г', Ҷ: 'Ч', Ӣ: 'И', Ӯ: 'У', Ё: 'Е' };

/** A licence number as a caller types it on a keypad: digits as they are, each letter as the key that carries it. */
export function keypadDigits(licence: string): string {
  return [...licenceKey(licence)]
    .map((ch) => {
      if (/\d/.test(ch)) return ch;
      const letter = TAJIK_KEYS[ch] ?? ch;
      const key = KEYPAD.findIndex((letters) => letters.includes(letter));
      return key >= 2 ? String(key) : '';
    })
    .join('');
}

/**
 * Licence numbers found by the keys a caller typed: the whole number on the keypad (`SAMPLE-TJ-0001` is
 * `726753850001`), or else only its digits (`0001`, when at least four).
 */
export function buildKeypadLicenceIndex(entries: readonly RegistryEntry[]): KeypadLicenceIndex {
  const byKeys = new Map<string, RegistryEntry[]>();
  const byDigits = new Map<string, RegistryEntry[]>();
  const add = (map: Map<string, RegistryEntry[]>, key: string, entry: RegistryEntry) => {
    if (key) map.set(key, [...(map.get(key) ?? []), entry]);
  };
  for (const entry of entries) {
    if (!entry.licenceNumber) continue;
    add(byKeys, keypadDigits(entry.licenceNumber), entry);
    const digits = licenceKey(entry.licenceNumber).replace(/\D/g, '');
    if (digits.length >= 4) add(byDigits, digits, entry);
  }
  return { find: (typed) => byKeys.get(typed) ?? (typed.length >= 4 ? byDigits.get(typed) : undefined) ?? [] };
}

// ---------------------------------------------------------------------------------------------------------------
// Reports and urgent help

function recorded(ctx: Context, state: VoiceState, lang: Lang): VoiceAction[] {
  const { input, data, canText } = ctx.request;
  const recording = input.recording;
  if (!recording) return retry(ctx, state, 'voice.report.empty');
  const urgent = state.step === 'urgent';
  if (!data.submitted) {
    ctx.effects.push(
      urgent
        ? { type: 'startEscalation', lang, recording }
        : { type: 'submitReport', lang, recording, callbackConsent: state.callback ?? false },
    );
    return [];
  }
  const closing = [...(urgent ? [prompt(lang, 'voice.urgent.danger')] : []), prompt(lang, 'voice.goodbye')];
  if (!data.submitted.saved) return [say(prompt(lang, 'voice.report.failed'), ...closing), HANGUP];
  const reference: Segment = { kind: 'chars', chars: data.submitted.report.reference, lang };
  return [
    say(
      prompt(lang, urgent ? 'voice.urgent.received' : 'voice.report.received'),
      reference,
      prompt(lang, 'voice.report.repeat'),
      reference,
      ...(canText ? [prompt(lang, 'voice.report.sms')] : []),
      ...closing,
    ),
    HANGUP,
  ];
}

function urgentHelp(ctx: Context, lang: Lang): VoiceAction[] {
  const onCall = ctx.request.data.onCall;
  if (!onCall) {
    ctx.needs.push({ type: 'onCall' });
    return [];
  }
  if (onCall.length === 0) {
    ctx.event = 'no_officer_on_call';
    return ask(ctx, { step: 'urgent', lang, tries: 0 });
  }
  return [say(prompt(lang, 'voice.urgent.connecting')), ...ringLevel(ctx, lang, 1)];
}

function ringLevel(ctx: Context, lang: Lang, level: number): VoiceAction[] {
  const { data, settings } = ctx.request;
  const numbers = data.onCall?.[level - 1];
  if (!numbers) return ask(ctx, { step: 'urgent', lang, tries: 0 });
  const timeouts = settings.dialTimeoutSeconds;
  return [
    {
      kind: 'dial',
      numbers: [...numbers],
      timeoutSeconds: timeouts[Math.min(level, timeouts.length) - 1] ?? 20,
      next: { step: 'dial', lang, tries: 0, level },
    },
  ];
}

function afterDial(ctx: Context, state: VoiceState, lang: Lang): VoiceAction[] {
  if (ctx.request.input.dialAnswered) {
    ctx.event = 'officer_answered';
    return [say(prompt(lang, 'voice.urgent.ended'), prompt(lang, 'voice.goodbye')), HANGUP];
  }
  const onCall = ctx.request.data.onCall;
  if (!onCall) {
    ctx.needs.push({ type: 'onCall' });
    return [];
  }
  const next = (state.level ?? 1) + 1;
  if (!onCall[next - 1]) {
    ctx.event = 'officers_unanswered';
    return ask(ctx, { step: 'urgent', lang, tries: 0 });
  }
  return [say(prompt(lang, 'voice.urgent.next')), ...ringLevel(ctx, lang, next)];
}

/**
 * The report a voice message makes: what happened is in the recording, for an officer to hear. An urgent message
 * is filed as "abroad and in trouble", which triage always finds urgent, and with consent to a call-back: the
 * caller was told before the beep that an officer would call back on this number.
 */
export function reportFromVoice(
  effect: Extract<VoiceEffect, { type: 'submitReport' | 'startEscalation' }>,
): Omit<ReportDraft, 'urgency' | 'createdAt' | 'reporterKey'> {
  const urgent = effect.type === 'startEscalation';
  const { url, durationSeconds } = effect.recording;
  return {
    channel: 'voice',
    lang: effect.lang,
    category: urgent ? 'abroad_in_trouble' : 'other',
    paid: 'unknown',
    identifiers: [],
    callbackConsent: urgent ? true : effect.callbackConsent,
    recordingUrl: url,
    ...(durationSeconds !== undefined ? { recordingDurationSeconds: durationSeconds } : {}),
  };
}
