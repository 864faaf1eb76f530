/**
 * The quiz's content as data: each scenario's id (its prompts are `quiz.q.<id>.*` in prompts/*.json, its topic
 * `quiz.topic.<id>`), how many choices it offers and which one is right. Written from real recruitment-fraud
 * patterns for UK seasonal work and Russia; the last two show what the genuine process looks like.
 */
import { t, type Lang, type PromptKey } from '../prompts';

export interface QuizQuestion {
  id: string;
  /** How many choices the scenario offers (`quiz.q.<id>.c1` … `cN`). */
  choices: 2 | 3;
  /** The right choice, from 1. */
  correct: number;
}

export const QUIZ_QUESTIONS = [
  { id: 'telegramFee', choices: 2, correct: 2 },
  { id: 'guaranteedVisa', choices: 3, correct: 2 },
  { id: 'sponsorship', choices: 2, correct: 2 },
  { id: 'personalCard', choices: 2, correct: 1 },
  { id: 'fakeWebsite', choices: 2, correct: 2 },
  { id: 'payToday', choices: 2, correct: 2 },
  { id: 'passport', choices: 2, correct: 1 },
  { id: 'realProcess', choices: 3, correct: 3 },
  { id: 'realOperator', choices: 2, correct: 2 },
] as const satisfies readonly QuizQuestion[];

export type QuizQuestionId = (typeof QUIZ_QUESTIONS)[number]['id'];

export const QUIZ_LENGTH = QUIZ_QUESTIONS.length;

/** A scenario as a caller reads or hears it, in `lang`. */
export interface QuizQuestionText {
  id: QuizQuestionId;
  text: string;
  choices: string[];
  why: string;
  topic: string;
}

const key = (id: string, part: string) => `quiz.q.${id}.${part}` as PromptKey;

export function quizQuestionText(lang: Lang, index: number): QuizQuestionText {
  const question = QUIZ_QUESTIONS[index];
  if (!question) throw new Error(`no quiz question ${index}`);
  const { id } = question;
  return {
    id,
    text: t(lang, key(id, 'text')),
    choices: Array.from({ length: question.choices }, (_, i) => t(lang, key(id, `c${i + 1}`))),
    why: t(lang, key(id, 'why')),
    topic: t(lang, `quiz.topic.${id}` as PromptKey),
  };
}
