/**
 * Asking a question of the call (again): the prompts, the keys gathered, a recording, ringing a level of
 * officers, and the polite retries.
 */
import { LANGUAGES, type Lang } from '../prompts';
import type { Segment, SpokenKey, VoicePromptKey } from './spoken';
import { QUIZ_QUESTIONS } from '../quiz';
import type { VoiceAction, VoiceEffect, VoiceEvent, VoiceNeed, VoiceRequest, VoiceState, VoiceStep } from './call-state';
import { languageOrder } from '../language-choice';

export interface Context {
  request: VoiceRequest;
  effects: VoiceEffect[];
  needs: VoiceNeed[];
  event?: VoiceEvent;
}

export const prompt = (lang: Lang, key: SpokenKey): Segment => ({ kind: 'prompt', key, lang });

export const say = (...segments: Segment[]): VoiceAction => ({ kind: 'say', segments });

export const HANGUP: VoiceAction = { kind: 'hangup' };

/** The keys a caller pressed: digits, `*` and `#` only (Twilio sends `hangup` after a Record cut short). */
export function pressedKeys(raw: string | undefined): string {
  return raw && /^[\d*#]+$/.test(raw) ? raw.replace(/#+$/, '') : '';
}

/** The question of `state`, asked (again). */
export function ask(ctx: Context, state: VoiceState): VoiceAction[] {
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
      // Heard in every language, each saying its own key, the caller's country's first.
      return keys(languageOrder(ctx.request.homeLang).map((l) => prompt(l, 'voice.lang.choose')));
    case 'main':
      return keys([prompt(lang, 'voice.menu')]);
    case 'phone':
      return keys([prompt(lang, 'voice.phone.prompt')], true);
    case 'licence':
      return keys([prompt(lang, 'voice.licence.prompt')], true);
    case 'consent':
      return keys([prompt(lang, 'voice.report.consent')]);
    case 'sharing':
      return keys([prompt(lang, 'voice.report.sharing')]);
    case 'advice':
      return keys([prompt(lang, 'voice.advice.menu')]);
    case 'report':
      return [{ kind: 'record', segments: [prompt(lang, 'voice.report.prompt')], next: state, maxSeconds: settings.maxRecordingSeconds }];
    case 'urgent':
      return [{ kind: 'record', segments: [prompt(lang, 'voice.urgent.message')], next: state, maxSeconds: settings.maxRecordingSeconds }];
    case 'dial':
      return ringLevel(ctx, lang, state.level ?? 1);
    case 'quizCohort':
      return keys([prompt(lang, 'voice.quiz.cohort')], true);
    case 'quiz':
      return keys(questionSegments(lang, state.answers?.length ?? 0));
    case 'quizEnd':
      return keys([prompt(lang, 'voice.quiz.again')]);
    case 'subscribe':
      return keys([prompt(lang, 'voice.subscribe.menu')]);
    case 'subscribeDestination':
      return keys([prompt(lang, 'voice.subscribe.destination')]);
    case 'subscribeMonth':
      return keys([prompt(lang, 'voice.subscribe.month')], true);
  }
}

/**
 * No input or a wrong key: the question again, headed by `notice`, until it has been asked `maxRetries` times
 * more; then a polite goodbye.
 */
export function retry(ctx: Context, state: VoiceState, notice: VoicePromptKey): VoiceAction[] {
  const lang = state.lang;
  if (state.tries + 1 > ctx.request.settings.maxRetries) {
    ctx.event = 'gave_up';
    const langs = lang ? [lang] : [...LANGUAGES];
    return [say(...langs.flatMap((l) => [prompt(l, 'voice.giveUp'), prompt(l, 'voice.goodbye')])), HANGUP];
  }
  const heading = lang ? [prompt(lang, notice)] : LANGUAGES.map((l) => prompt(l, notice));
  return [say(...heading), ...ask(ctx, { ...state, tries: state.tries + 1 })];
}

export const at = (state: VoiceState, step: VoiceStep, extra: Partial<VoiceState> = {}): VoiceState => ({
  step,
  ...(state.lang ? { lang: state.lang } : {}),
  tries: 0,
  ...extra,
});

export function ringLevel(ctx: Context, lang: Lang, level: number): VoiceAction[] {
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

/** The question the state is at, read with its numbered choices. */
export function questionSegments(lang: Lang, index: number): Segment[] {
  const question = QUIZ_QUESTIONS[index]!;
  const key = (part: string) => `quiz.q.${question.id}.${part}` as SpokenKey;
  return [
    { kind: 'chars', chars: String(index + 1), lang },
    prompt(lang, key('text')),
    ...Array.from({ length: question.choices }, (_, i): Segment[] => [{ kind: 'chars', chars: String(i + 1), lang }, prompt(lang, key(`c${i + 1}`))]).flat(),
    prompt(lang, 'voice.quiz.choose'),
  ];
}
