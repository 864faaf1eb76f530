/**
 * Answers and their score. A taker's answers travel as a string of choice numbers, one digit per question in order
 * (`"2213"`): in the USSD path, the voice callback URL and the SMS state alike.
 */
import { QUIZ_LENGTH, QUIZ_QUESTIONS, type QuizQuestionId } from './questions';

/** The share of right answers that passes. */
export const PASS_MARK = 0.75;

/** Right answers needed to pass (7 of 9). */
export const PASS_SCORE = Math.ceil(PASS_MARK * QUIZ_LENGTH);

/** Whether `answers` is a valid prefix of a taking: one valid choice per question, no more than the quiz has. */
export function isAnswers(answers: string): boolean {
  if (answers.length > QUIZ_LENGTH) return false;
  return [...answers].every((digit, i) => /^[1-9]$/.test(digit) && Number(digit) <= QUIZ_QUESTIONS[i]!.choices);
}

/** Whether the choice is a valid answer to the next question after `answers`. */
export function acceptsChoice(answers: string, choice: string): boolean {
  return answers.length < QUIZ_LENGTH && isAnswers(answers + choice) && choice.length === 1;
}

export function isRight(index: number, choice: string): boolean {
  return QUIZ_QUESTIONS[index]?.correct === Number(choice);
}

export interface QuizScore {
  score: number;
  count: number;
  passed: boolean;
  /** The questions answered wrong, in quiz order. */
  missed: QuizQuestionId[];
}

/** The score of a complete taking. */
export function scoreQuiz(answers: string): QuizScore {
  if (answers.length !== QUIZ_LENGTH || !isAnswers(answers)) throw new Error('an incomplete or invalid taking');
  const missed = QUIZ_QUESTIONS.filter((q, i) => !isRight(i, answers[i]!)).map((q) => q.id);
  const score = QUIZ_LENGTH - missed.length;
  return { score, count: QUIZ_LENGTH, passed: score >= PASS_SCORE, missed };
}
