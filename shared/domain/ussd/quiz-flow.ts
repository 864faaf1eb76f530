/**
 * The quiz's screens. The answers so far travel in the screen (so in the session's input path, replayed on every
 * request): no write per screen. A quiz screen leaves no way back (the feedback shows the right answer), only `00`
 * home; the result is recorded once, when the last feedback's Next is chosen.
 */
import { t } from '../prompts';
import { QUIZ_LENGTH, isRight, parseCohortCode, quizQuestionText, resultText, scoreQuiz } from '../quiz';
import type { Context, Screen, View, Walk } from './walk';

export type QuizScreen = Extract<Screen, { name: 'quizIntro' | 'quizQuestion' | 'quizFeedback' | 'quizResult' }>;

export const isQuizScreen = (screen: Screen): screen is QuizScreen => screen.name.startsWith('quiz');

/** Onto a quiz screen with no way back. */
const enter = (walk: Walk, screen: Screen): Walk => ({ ...walk, history: [], at: { screen, page: 0 } });

export function quizView(walk: Walk, screen: QuizScreen, ctx: Context): View {
  const lang = walk.lang!;
  const group = (cohort: string | undefined) => (cohort ? { cohort } : {});
  switch (screen.name) {
    case 'quizIntro':
      return {
        kind: 'prompt',
        text: t(lang, 'quiz.intro', { count: QUIZ_LENGTH }),
        options: [{ label: t(lang, 'quiz.start'), choose: (w) => enter(w, { name: 'quizQuestion', answers: '' }) }],
        answer: (w, typed) => {
          const cohort = parseCohortCode(typed);
          return cohort ? enter(w, { name: 'quizQuestion', answers: '', cohort }) : { ...w, invalid: true };
        },
      };
    case 'quizQuestion': {
      const index = screen.answers.length;
      const question = quizQuestionText(lang, index);
      return {
        kind: 'text',
        text: `${index + 1}/${QUIZ_LENGTH} ${question.text}`,
        options: question.choices.map((label, i) => ({
          label,
          choose: (w: Walk) => enter(w, { name: 'quizFeedback', answers: screen.answers + String(i + 1), ...group(screen.cohort) }),
        })),
      };
    }
    case 'quizFeedback': {
      const index = screen.answers.length - 1;
      const last = screen.answers.length === QUIZ_LENGTH;
      return {
        kind: 'text',
        text: `${t(lang, isRight(index, screen.answers[index]!) ? 'quiz.right' : 'quiz.wrong')} ${quizQuestionText(lang, index).why}`,
        options: [
          {
            label: t(lang, 'quiz.next'),
            choose: (w) =>
              last
                ? {
                    ...enter(w, { name: 'quizResult', answers: screen.answers, ...group(screen.cohort) }),
                    effects: [{ type: 'finishQuiz', finish: { answers: screen.answers, lang, ...group(screen.cohort) } }],
                  }
                : enter(w, { name: 'quizQuestion', answers: screen.answers, ...group(screen.cohort) }),
          },
        ],
      };
    }
    case 'quizResult': {
      const score = scoreQuiz(screen.answers);
      const recorded = ctx.data.quizRecorded;
      const text = resultText(lang, score, recorded);
      if (!recorded?.saved || score.passed) return { kind: 'end', text };
      return {
        kind: 'text',
        text,
        options: [{ label: t(lang, 'quiz.retry'), choose: (w) => enter(w, { name: 'quizQuestion', answers: '', ...group(screen.cohort) }) }],
      };
    }
  }
}
