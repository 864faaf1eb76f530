/**
 * The voice line's step: a callback's answer, from the state it carries and what the caller did.
 */
import { LANGUAGES } from '../prompts';
import { ADVICE_TOPICS } from '../advice';
import type { VoiceAction, VoiceRequest, VoiceResult, VoiceState } from './call-state';
import { ask, at, type Context, pressedKeys, prompt, retry, say } from './questions';
import { licenceAnswer, phoneAnswer, phoneFromKeypad } from './checks';
import { afterDial, recorded, urgentHelp } from './reports';
import { answerCohort, answerEnd, answerQuestion } from './quiz';
import { answerDestination, answerMonth, answerTopics, offerSubscription } from './subscribe';

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
        case '6':
          return ask(ctx, at(state, 'quizCohort'));
        case '7':
          return offerSubscription(ctx, state, lang);
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
      const phone = phoneFromKeypad(keys);
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
      return ask(ctx, at(state, 'sharing', { callback: keys === '1' }));
    case 'sharing':
      if (!keys) return none();
      if (keys !== '1' && keys !== '2') return invalid();
      return ask(ctx, at(state, 'report', { ...(state.callback !== undefined ? { callback: state.callback } : {}), share: keys === '1' }));
    case 'advice': {
      if (!keys) return none();
      if (keys === '0' || keys === '*') return ask(ctx, at(state, 'main'));
      const topic = /^[1-9]$/.test(keys) ? ADVICE_TOPICS[Number(keys) - 1] : undefined;
      if (!topic) return invalid();
      return [say(prompt(lang, `advice.${topic}.text`)), ...ask(ctx, at(state, 'advice'))];
    }
    case 'report':
    case 'urgent':
      return recorded(ctx, state, lang);
    case 'dial':
      return afterDial(ctx, state, lang);
    case 'quizCohort':
      return answerCohort(ctx, state);
    case 'quiz':
      return answerQuestion(ctx, state, lang);
    case 'quizEnd':
      return answerEnd(ctx, state);
    case 'subscribe':
      return answerTopics(ctx, state, lang);
    case 'subscribeDestination':
      return answerDestination(ctx, state);
    case 'subscribeMonth':
      return answerMonth(ctx, state, lang);
  }
}
