/**
 * The studio line as a pure function: a staff member calls the studio number (its own webhook route), keys in the
 * PIN, picks the language and a prompt by its number (the numbers of the catalogue and the voice artist's
 * script), hears its text, records after the beep, listens back, and saves or records again. Like the caller's
 * line, every callback carries the state in its URL (covered by Twilio's signature, or Africa's Talking's token)
 * and nothing is held between callbacks.
 *
 * The line speaks Russian to staff (Twilio's Russian voice; Africa's Talking has only English, so there the texts
 * are read in Latin letters and staff read the prompt from the script). Who may call, the PIN check and saving the
 * take are the shell's (shared/voice/studio-call.ts); this decides what is said and asked next.
 */
import { isLang, t, type Lang } from '../prompts';
import type { Segment, VoiceAction } from '../voice';

export const STUDIO_STEPS = ['start', 'pin', 'lang', 'choose', 'review', 'decide'] as const;
export type StudioStep = (typeof STUDIO_STEPS)[number];

export interface StudioState {
  step: StudioStep;
  /** PIN attempts failed, or questions asked again. */
  tries: number;
  /** The language being recorded. */
  lang?: Lang;
  /** The prompt's number in the catalogue. */
  prompt?: number;
  /** review/decide: the provider's URL of the take just recorded. */
  take?: string;
}

export const STUDIO_START: StudioState = { step: 'start', tries: 0 };

/** Wrong PINs on one call before it ends. */
export const MAX_PIN_ATTEMPTS = 3;
/** Wrong PINs from one number in an hour, across calls, before the line stops asking (two calls' worth, nearly). */
export const MAX_PIN_FAILURES_PER_HOUR = 5;

export function studioStateToQuery(state: StudioState): Record<string, string> {
  return {
    s: state.step,
    t: String(state.tries),
    ...(state.lang ? { l: state.lang } : {}),
    ...(state.prompt !== undefined ? { p: String(state.prompt) } : {}),
    ...(state.take !== undefined ? { r: state.take } : {}),
  };
}

/** The state a studio callback carries: START for none, undefined for one that is not a state. */
export function studioStateFromQuery(query: Record<string, string | undefined>): StudioState | undefined {
  const { s, t, l, p, r } = query;
  if (s === undefined) return STUDIO_START;
  if (!(STUDIO_STEPS as readonly string[]).includes(s)) return undefined;
  if (t !== undefined && !/^\d$/.test(t)) return undefined;
  if (l !== undefined && !isLang(l)) return undefined;
  if (p !== undefined && !/^[1-9]\d{0,3}$/.test(p)) return undefined;
  if (r !== undefined && !/^https:\/\/[^\s]{1,500}$/.test(r)) return undefined;
  return {
    step: s as StudioStep,
    tries: t ? Number(t) : 0,
    ...(l ? { lang: l as Lang } : {}),
    ...(p ? { prompt: Number(p) } : {}),
    ...(r ? { take: r } : {}),
  };
}

/** One prompt of the catalogue as the line reads it out. */
export interface StudioPrompt {
  number: number;
  text: string;
  status: 'missing' | 'stale' | 'current' | 'approved';
}

export interface StudioRequest {
  state: StudioState;
  digits?: string;
  /** The take the provider just recorded (review). */
  recordingUrl?: string;
  /** The staff member's name when the caller's number is a staff number; undefined for anyone else. */
  staffName?: string;
  /** pin: whether the keys pressed are the PIN (the shell compares in constant time). */
  pinMatches?: boolean;
  /** start, pin: wrong PINs from this number this hour, across calls. */
  pinFailures?: number;
  /** The languages recorded, in menu order (1, 2, …). */
  langs: readonly Lang[];
  /** The catalogue of the chosen language. */
  prompts: readonly StudioPrompt[];
  /** decide: whether the take was saved (the shell saves it when 1 is pressed, then asks here). */
  saved?: boolean;
  maxTakeSeconds: number;
  inputTimeoutSeconds: number;
}

export type StudioEvent = 'not_staff' | 'pin_refused' | 'pin_locked' | 'pin_accepted' | 'take_saved' | 'take_not_saved';

export interface StudioResult {
  actions: VoiceAction<StudioState>[];
  /** decide with 1 pressed: the shell saves this take, then asks again with `saved`. */
  save?: { lang: Lang; number: number; take: string };
  event?: StudioEvent;
}

/** A language's name as the studio line's Russian voice says it. */
const langName = (lang: Lang) => t('ru', `escalation.language.${lang}`);
const STATUS_WORDS: Record<StudioPrompt['status'], string> = {
  missing: 'не записана',
  stale: 'текст изменился, нужна новая запись',
  current: 'записана',
  approved: 'записана и одобрена',
};

const LOCKED = 'Слишком много неверных PIN-кодов. Попробуйте через час.';

const say = (...texts: string[]): Segment[] => texts.map((text) => ({ kind: 'text', text, lang: 'ru' }) as const);
const hangup = (text: string): StudioResult['actions'] => [{ kind: 'say', segments: say(text) }, { kind: 'hangup' }];

/** The next prompt still to record (missing or stale) after `after`, wrapping round; undefined when none is. */
export function nextToRecord(prompts: readonly StudioPrompt[], after = 0): StudioPrompt | undefined {
  const open = prompts.filter((p) => p.status === 'missing' || p.status === 'stale');
  return open.find((p) => p.number > after) ?? open[0];
}

export function studioStep(request: StudioRequest): StudioResult {
  const { state, digits = '', langs, prompts, inputTimeoutSeconds } = request;
  const gather = (segments: Segment[], next: StudioState, finishOnKey?: '#'): VoiceAction<StudioState> => ({
    kind: 'gather',
    segments,
    next,
    timeoutSeconds: inputTimeoutSeconds,
    ...(finishOnKey ? { finishOnKey } : { numDigits: 1 }),
  });
  /** `after`: the prompt just saved, so that the hint names the one after it. */
  const chooseQuestion = (lang: Lang, before: string[] = [], tries = 0, after = 0): StudioResult => {
    const next = nextToRecord(prompts.filter((p) => p.number !== after), after);
    const hint = next ? `Следующая незаписанная фраза — номер ${next.number}; для неё нажмите ноль и решётку.` : 'Все фразы этого языка записаны.';
    return { actions: [gather(say(...before, 'Введите номер фразы и нажмите решётку.', hint), { step: 'choose', tries, lang, ...(after ? { prompt: after } : {}) }, '#')] };
  };
  const recordPrompt = (lang: Lang, prompt: StudioPrompt, before: string[] = []): StudioResult => ({
    actions: [
      {
        kind: 'record',
        segments: [
          ...say(...before, `Фраза ${prompt.number}, ${STATUS_WORDS[prompt.status]}. Текст:`),
          { kind: 'text', text: prompt.text, lang },
          ...say('Прочтите её после сигнала и нажмите решётку.'),
        ],
        next: { step: 'review', tries: 0, lang, prompt: prompt.number },
        maxSeconds: request.maxTakeSeconds,
      },
    ],
  });
  const reviewQuestion = (lang: Lang, number: number, take: string, before: string[] = []): StudioResult => ({
    actions: [
      gather(
        [...say(...before, 'Вы записали:'), { kind: 'audio', url: take }, ...say('Сохранить — нажмите 1. Записать заново — 2. Другая фраза — 3.')],
        { step: 'decide', tries: 0, lang, prompt: number, take },
      ),
    ],
  });

  if (state.step === 'start') {
    if (!request.staffName) return { actions: hangup('Этот номер только для сотрудников. До свидания.'), event: 'not_staff' };
    if ((request.pinFailures ?? 0) >= MAX_PIN_FAILURES_PER_HOUR) return { actions: hangup(LOCKED), event: 'pin_locked' };
    return { actions: [gather(say(`Студия записи SafeJob. ${request.staffName}, введите PIN-код и нажмите решётку.`), { step: 'pin', tries: 0 }, '#')] };
  }
  // Every later step is reached only through a callback URL this line rendered after the PIN.
  if (state.step === 'pin') {
    // Locked: not even the right PIN opens the line until the hour is over.
    if ((request.pinFailures ?? 0) >= MAX_PIN_FAILURES_PER_HOUR) return { actions: hangup(LOCKED), event: 'pin_locked' };
    if (!request.pinMatches) {
      const tries = state.tries + 1;
      if (tries >= MAX_PIN_ATTEMPTS) return { actions: hangup('Неверный PIN-код. До свидания.'), event: 'pin_refused' };
      return { actions: [gather(say('Неверный PIN-код. Попробуйте ещё раз и нажмите решётку.'), { step: 'pin', tries }, '#')], event: 'pin_refused' };
    }
    const menu = langs.map((lang, i) => `${langName(lang)} — ${i + 1}`).join(', ');
    return { actions: [gather(say(`Выберите язык записи: ${menu}.`), { step: 'lang', tries: 0 })], event: 'pin_accepted' };
  }
  if (state.step === 'lang') {
    const lang = langs[Number(digits) - 1];
    if (!lang) {
      const menu = langs.map((l, i) => `${langName(l)} — ${i + 1}`).join(', ');
      if (state.tries >= 2) return { actions: hangup('До свидания.') };
      return { actions: [gather(say(`Выберите язык записи: ${menu}.`), { step: 'lang', tries: state.tries + 1 })] };
    }
    return chooseQuestion(lang);
  }
  const lang = state.lang;
  if (!lang) return { actions: hangup('До свидания.') };
  const chosen = prompts.find((p) => p.number === state.prompt);

  switch (state.step) {
    case 'choose': {
      if (digits === '') return state.tries >= 2 ? { actions: hangup('До свидания.') } : chooseQuestion(lang, [], state.tries + 1, state.prompt);
      // 0: the next one still to record, after the one just saved.
      const prompt = digits === '0' ? nextToRecord(prompts.filter((p) => p.number !== state.prompt), state.prompt) : prompts.find((p) => p.number === Number(digits));
      if (!prompt) return chooseQuestion(lang, [digits === '0' ? 'Все фразы записаны.' : `Фразы с номером ${digits} нет.`]);
      return recordPrompt(lang, prompt);
    }
    case 'review':
      if (!chosen) return chooseQuestion(lang);
      if (!request.recordingUrl) return recordPrompt(lang, chosen, ['Ничего не записано.']);
      return reviewQuestion(lang, chosen.number, request.recordingUrl);
    case 'decide': {
      if (!chosen || !state.take) return chooseQuestion(lang);
      if (digits === '1') {
        if (request.saved === undefined) return { actions: [], save: { lang, number: chosen.number, take: state.take } };
        if (!request.saved) return { ...reviewQuestion(lang, chosen.number, state.take, ['Не удалось сохранить запись.']), event: 'take_not_saved' };
        return { ...chooseQuestion(lang, [`Фраза ${chosen.number} сохранена.`], 0, chosen.number), event: 'take_saved' };
      }
      if (digits === '2') return recordPrompt(lang, chosen);
      if (digits === '3') return chooseQuestion(lang);
      return reviewQuestion(lang, chosen.number, state.take);
    }
  }
}
