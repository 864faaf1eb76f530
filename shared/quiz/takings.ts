/**
 * Records finished quiz takings for every channel (the runner's QuizRecorder): scored, stored once per request,
 * and on a pass a completion code drawn from a CSPRNG here in the shell, texted through the outbox by the request
 * that created it (a retry of the same request sends nothing more).
 */
import { randomInt } from 'node:crypto';
import type { QuizRecorder, QuizTaking } from '../conversation/runner';
import { t } from '../domain/prompts';
import { generateCohortCode, generateCompletionCode, scoreQuiz, type QuizRecorded } from '../domain/quiz';
import type { Logger } from '../log';
import type { Outbox } from '../outbox/outbox';
import type { QuizRepository } from '../store/quiz';

/** Uniform random integers from the operating system's CSPRNG. */
export const secureRandomIndex = (bound: number) => randomInt(bound);

export const newCompletionCode = () => generateCompletionCode(secureRandomIndex);
export const newCohortCode = () => generateCohortCode(secureRandomIndex);

export interface QuizTakingDeps {
  quiz: QuizRepository;
  outbox: Pick<Outbox, 'send'>;
  log: Logger;
  now(): number;
}

export class QuizTakings implements QuizRecorder {
  constructor(private readonly deps: QuizTakingDeps) {}

  async record(taking: QuizTaking): Promise<QuizRecorded> {
    const { deps } = this;
    const { finish, caller } = taking;
    const score = scoreQuiz(finish.answers);
    try {
      const outcome = await deps.quiz.record(
        {
          attemptId: taking.attemptId,
          channel: taking.channel,
          lang: finish.lang,
          answers: finish.answers,
          passed: score.passed,
          missed: score.missed,
          callerKey: caller.key,
          ...(finish.cohort ? { cohort: finish.cohort } : {}),
          at: new Date(deps.now()).toISOString(),
        },
        newCompletionCode,
      );
      deps.log.info('quiz taking recorded', { channel: taking.channel, passed: outcome.passed, created: outcome.created, cohort: finish.cohort });
      if (outcome.created && outcome.code && taking.canText) {
        // The code is already stored: a failed SMS costs the participant the text, not the pass (the screen shows it).
        await deps.outbox
          .send(caller.phone, t(finish.lang, 'quiz.codeSms', { code: outcome.code }), { replyTo: `quiz:${taking.attemptId}` })
          .catch((error: unknown) => deps.log.error('quiz code SMS not queued', { callerKey: caller.key, error }));
      }
      return { saved: true, passed: outcome.passed, ...(outcome.code ? { code: outcome.code } : {}) };
    } catch (error) {
      deps.log.error('quiz taking not recorded', { channel: taking.channel, callerKey: caller.key, error });
      return { saved: false };
    }
  }
}
