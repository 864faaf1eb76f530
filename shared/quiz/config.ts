/**
 * The quiz's variables, a section of the configuration (shared/config.ts): the registered trainers, who may
 * open groups and read their figures by SMS. A short list in configuration rather than an imported rota: a
 * training centre has a handful of trainers, and their numbers change rarely (a deploy, or a restart locally).
 */
import * as z from '../domain/zod';
import { normalisePhone } from '../domain/phone';
import { E164 } from '../domain/registry';

export const quizEnvShape = {
  /** Trainers' phone numbers, comma-separated (international form): they may send COHORT commands. */
  QUIZ_TRAINER_PHONES: z.pipe(
    z._default(z.string(), ''),
    z.transform((list, ctx) => {
      const phones = list.split(',').map((raw) => raw.trim()).filter(Boolean).map(normalisePhone);
      for (const phone of phones) if (!E164.test(phone)) ctx.issues.push({ code: 'custom', input: ctx.value, message: `not a phone number: ${phone.slice(0, 20)}` });
      return phones;
    }),
  ),
};

type QuizEnv = z.output<z.ZodMiniObject<typeof quizEnvShape>>;

export function toQuizConfig(env: QuizEnv) {
  return { trainerPhones: new Set(env.QUIZ_TRAINER_PHONES) };
}

/** Its section of the configuration (shared/config.ts `loadConfig`): read only by the functions that name it. */
export const quizSection = { shape: quizEnvShape, read: toQuizConfig };
