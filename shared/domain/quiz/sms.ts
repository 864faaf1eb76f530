/**
 * The quiz by SMS, as a pure step. SMS has no path to carry the answers, so the shell keeps a small state per
 * sender (answers so far, language, group code) that expires; each answer by number gets right or wrong, why, and
 * the next question, and the last one the result. Trainers' group commands (COHORT) and VERIFY are worded here too.
 */
import { t, type Lang } from '../prompts';
import { parseCohortCode } from './codes';
import { QUIZ_LENGTH, quizQuestionText } from './questions';
import { resultText, type QuizFinish, type QuizRecorded } from './results';
import { acceptsChoice, isRight, scoreQuiz } from './scoring';

/** A sender's quiz in progress. */
export interface SmsQuizState {
  answers: string;
  lang: Lang;
  cohort?: string;
}

/** What the sender texted that the quiz answers: QUIZ (with an optional group code), or a bare number. */
export type SmsQuizInput = { kind: 'start'; argument: string; lang: Lang } | { kind: 'answer'; choice: string; state: SmsQuizState };

export interface SmsQuizTurn {
  text: string;
  /** The state to keep (undefined: unchanged; null: the taking is over, forget it). */
  state?: SmsQuizState | null;
  /** A finished taking to record; the step is asked again with how that fared. */
  finish?: QuizFinish;
}

/** A bare answer number, as people text it (`2`, ` 2.`, `2)`). */
export function smsQuizChoice(text: string): string | undefined {
  return /^\s*([1-9])\s*[.)]?\s*$/.exec(text)?.[1];
}

export function questionSms(lang: Lang, index: number): string {
  const q = quizQuestionText(lang, index);
  return [`${index + 1}/${QUIZ_LENGTH} ${q.text}`, ...q.choices.map((c, i) => `${i + 1}. ${c}`)].join('\n');
}

export function feedbackLine(lang: Lang, index: number, choice: string): string {
  return `${t(lang, isRight(index, choice) ? 'quiz.right' : 'quiz.wrong')} ${quizQuestionText(lang, index).why}`;
}

export function smsQuizStep(input: SmsQuizInput, recorded?: QuizRecorded): SmsQuizTurn {
  if (input.kind === 'start') {
    const typed = input.argument.trim();
    const cohort = typed ? parseCohortCode(typed) : undefined;
    const lang = input.lang;
    const head = typed && !cohort ? t(lang, 'quiz.sms.badCohort', { code: typed.slice(0, 12) }) : t(lang, 'quiz.sms.start', { count: QUIZ_LENGTH });
    return { text: `${head}\n${questionSms(lang, 0)}`, state: { answers: '', lang, ...(cohort ? { cohort } : {}) } };
  }
  const { state, choice } = input;
  const { lang } = state;
  const index = state.answers.length;
  if (!acceptsChoice(state.answers, choice)) {
    return { text: `${t(lang, 'quiz.sms.choose', { max: quizQuestionText(lang, index).choices.length })}\n${questionSms(lang, index)}` };
  }
  const answers = state.answers + choice;
  const feedback = feedbackLine(lang, index, choice);
  if (answers.length < QUIZ_LENGTH) return { text: `${feedback}\n${questionSms(lang, index + 1)}`, state: { ...state, answers } };
  const finish: QuizFinish = { answers, lang, ...(state.cohort ? { cohort: state.cohort } : {}) };
  if (!recorded) return { text: '', finish };
  const score = scoreQuiz(answers);
  const retry = recorded.saved && !score.passed ? ` ${t(lang, 'quiz.sms.retry')}` : '';
  // A result that could not be saved keeps the state: the same last answer again records it.
  // The code comes in an SMS of its own (easy to find and show a trainer), so the result does not repeat it.
  const result = resultText(lang, score, recorded.saved ? { saved: true, passed: recorded.passed } : recorded);
  return { text: `${feedback}\n${result}${retry}`, ...(recorded.saved ? { state: null } : {}), finish };
}
