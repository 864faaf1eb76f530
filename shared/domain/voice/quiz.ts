/**
 * The quiz on the keypad: an optional group code, then each question read with its numbered choices; after each
 * key, right or wrong and why; at the end the result (the completion code read out, and texted), then again or
 * the main menu. The answers so far travel in the callback URL's state.
 */
import type { Lang } from '../prompts';
import { QUIZ_LENGTH, QUIZ_QUESTIONS, acceptsChoice, isRight, parseCohortCode, scoreQuiz } from '../quiz';
import type { Segment } from './spoken';
import type { VoiceAction, VoiceState } from './call-state';
import { ask, at, type Context, pressedKeys, prompt, retry, say } from './questions';

/** The group code typed (or none, with `#` alone), then the first question. */
export function answerCohort(ctx: Context, state: VoiceState): VoiceAction[] {
  const keys = pressedKeys(ctx.request.input.digits);
  if (!keys) return ask(ctx, at(state, 'quiz', { answers: '' }));
  const cohort = parseCohortCode(keys);
  if (!cohort) return retry(ctx, state, 'voice.invalid');
  return ask(ctx, at(state, 'quiz', { answers: '', cohort }));
}

/** A key for the current question: the feedback, then the next question or the result. */
export function answerQuestion(ctx: Context, state: VoiceState, lang: Lang): VoiceAction[] {
  const keys = pressedKeys(ctx.request.input.digits);
  const answers = state.answers ?? '';
  if (!keys) return retry(ctx, state, 'voice.noInput');
  if (!acceptsChoice(answers, keys)) return retry(ctx, state, 'voice.invalid');
  const index = answers.length;
  const question = QUIZ_QUESTIONS[index]!;
  const feedback = say(prompt(lang, isRight(index, keys) ? 'quiz.right' : 'quiz.wrong'), prompt(lang, `quiz.q.${question.id}.why`));
  const all = answers + keys;
  const cohort = state.cohort ? { cohort: state.cohort } : {};
  if (all.length < QUIZ_LENGTH) return [feedback, ...ask(ctx, at(state, 'quiz', { answers: all, ...cohort }))];
  ctx.effects.push({ type: 'finishQuiz', finish: { answers: all, lang, ...cohort } });
  const recorded = ctx.request.data.quizRecorded;
  const score = scoreQuiz(all);
  const result: Segment[] = !recorded?.saved
    ? [prompt(lang, 'voice.unavailable')]
    : score.passed
      ? [
          prompt(lang, 'voice.quiz.passed'),
          ...(recorded.code ? [{ kind: 'chars' as const, chars: recorded.code, lang }] : []),
          ...(ctx.request.canText ? [prompt(lang, 'voice.quiz.codeSms')] : []),
        ]
      : [prompt(lang, 'voice.quiz.failed'), ...score.missed.map((id) => prompt(lang, `quiz.topic.${id}`))];
  return [feedback, say(...result), ...ask(ctx, at(state, 'quizEnd'))];
}

/** After the result: 1 again, 0 the main menu. */
export function answerEnd(ctx: Context, state: VoiceState): VoiceAction[] {
  const keys = pressedKeys(ctx.request.input.digits);
  if (keys === '1') return ask(ctx, at(state, 'quizCohort'));
  if (keys === '0' || keys === '*') return ask(ctx, at(state, 'main'));
  return retry(ctx, state, keys ? 'voice.invalid' : 'voice.noInput');
}
