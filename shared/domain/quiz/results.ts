/**
 * What the quiz records and reports: an attempt as the channels hand it over, how recording it fared, and the
 * figures trainers and analysts see (counts only: never who answered what).
 */
import { t, type Lang } from '../prompts';
import { PASS_SCORE, type QuizScore } from './scoring';
import { QUIZ_QUESTIONS, type QuizQuestionId } from './questions';

export type QuizChannel = 'ussd' | 'sms' | 'voice';

/** A finished taking, as a channel asks for it to be recorded. */
export interface QuizFinish {
  answers: string;
  lang: Lang;
  /** The group code the taker entered at the start, if any (check digit valid). */
  cohort?: string;
}

/** How recording a taking fared; `code` on a pass (the same one for a retry of the same request). */
export type QuizRecorded = { saved: true; passed: boolean; code?: string } | { saved: false };

/** A completion code as VERIFY finds it: when it was earned and in which language. Nothing else is kept with it. */
export interface CompletionRecord {
  code: string;
  earnedAt: string;
  lang: Lang;
}

/** Per question, across takers: how often each choice was taken and how often the answer was wrong. */
export interface QuestionStatistics {
  id: QuizQuestionId;
  answered: number;
  missed: number;
  /** Takings that chose each choice, from choice 1. */
  chosen: number[];
}

export interface QuizStatistics {
  attempts: number;
  passes: number;
  questions: QuestionStatistics[];
}

export interface CohortFigures {
  code: string;
  name: string;
  /** The class size the trainer gave, if any. */
  size?: number;
  /** Distinct participants who finished the quiz at least once, and who passed it at least once. */
  takers: number;
  passers: number;
  /** Wrong answers per question over the group's takings. */
  missed: Partial<Record<QuizQuestionId, number>>;
}

const percent = (part: number, whole: number) => (whole > 0 ? Math.round((100 * part) / whole) : 0);

/** The result of a taking as one line: passed (with the code when there is one), or the topics to revisit. */
export function resultText(lang: Lang, score: QuizScore, recorded: QuizRecorded | undefined): string {
  const vars = { score: score.score, count: score.count, pass: PASS_SCORE };
  if (!recorded?.saved) return t(lang, 'quiz.unsaved');
  if (!score.passed) return t(lang, 'quiz.failed', { ...vars, topics: topicList(lang, score.missed) });
  return recorded.code ? t(lang, 'quiz.passed', { ...vars, code: recorded.code }) : t(lang, 'quiz.passedNoCode', vars);
}

export const topicList = (lang: Lang, missed: readonly QuizQuestionId[]) => missed.map((id) => t(lang, `quiz.topic.${id}`)).join(', ');

/** VERIFY's answer: valid (when, which language) or not valid; nothing about the person. */
export function verifyText(lang: Lang, typed: string, record: CompletionRecord | null): string {
  if (!record) return t(lang, 'quiz.verify.invalid', { code: typed.slice(0, 12) });
  return t(lang, 'quiz.verify.valid', {
    code: record.code,
    date: record.earnedAt.slice(0, 10),
    language: t(lang, `quiz.lang.${record.lang}`),
  });
}

/** How many of the most-missed questions a trainer's figures name. */
export const MOST_MISSED_SHOWN = 3;

/** A group's figures for its trainer: completion (when the size is known), pass rate, the most-missed topics. */
export function cohortFiguresText(lang: Lang, figures: CohortFigures): string {
  const missed = QUIZ_QUESTIONS.map((q, order) => ({ id: q.id, order, count: figures.missed[q.id] ?? 0 }))
    .filter((m) => m.count > 0)
    .sort((a, b) => b.count - a.count || a.order - b.order)
    .slice(0, MOST_MISSED_SHOWN)
    .map((m) => `${t(lang, `quiz.topic.${m.id}`)} (${m.count})`);
  return t(lang, 'quiz.cohort.figures', {
    code: figures.code,
    name: figures.name,
    takers: figures.takers,
    ofSize: figures.size ? t(lang, 'quiz.cohort.ofSize', { size: figures.size, completion: percent(figures.takers, figures.size) }) : '',
    passers: figures.passers,
    passRate: percent(figures.passers, figures.takers),
    missed: missed.length > 0 ? missed.join(', ') : t(lang, 'quiz.cohort.noneMissed'),
  });
}
