/**
 * The quiz's SMS commands (the pure wording: shared/domain/quiz/): QUIZ / САВОЛ / ТЕСТ starts a taking (with an
 * optional group code), a bare number answers while one is in progress (its state kept per sender, expiring),
 * VERIFY <code> tells whether a completion code is valid, and a registered trainer's COHORT opens a group or reads
 * its figures. Anything else is not the quiz's: undefined, and the ordinary keywords answer it.
 */
import { normalisePhone } from '../domain/phone';
import { t, type Lang } from '../domain/prompts';
import {
  cohortFiguresText,
  normaliseCompletionCode,
  parseCohortCommand,
  smsQuizChoice,
  smsQuizStep,
  verifyText,
  type SmsQuizInput,
  type SmsQuizState,
} from '../domain/quiz';
import { replyLanguage, type SmsCommand } from '../domain/sms';
import type { SmsServices } from '../runtime';
import { newCohortCode } from './takings';

/** What the quiz's SMS reads and writes: its section of the configuration, its store and the takings' recorder. */
type QuizSmsServices = Pick<SmsServices, 'config' | 'quiz' | 'quizTakings' | 'now' | 'log'>;

/** How long an SMS taking waits for its next answer before it is forgotten. */
export const SMS_QUIZ_STATE_HOURS = 24;

export interface QuizSms {
  from: string;
  callerKey: string;
  text: string;
  command: SmsCommand;
  storedLang: Lang | undefined;
  /** The inbound message's provider and id: a retry of the message records the same taking. */
  attemptId: string;
}

export function isTrainer(deps: QuizSmsServices, phone: string): boolean {
  return deps.config.quiz.trainerPhones.has(normalisePhone(phone));
}

/** The quiz's answer to an SMS, or undefined when the SMS is not the quiz's. Store failures throw (the provider retries). */
export async function answerQuizSms(deps: QuizSmsServices, sms: QuizSms): Promise<string | undefined> {
  const { command } = sms;
  const lang = replyLanguage(command, sms.storedLang);
  switch (command.name) {
    case 'quiz':
      return take(deps, sms, { kind: 'start', argument: command.argument, lang });
    case 'verify': {
      const code = normaliseCompletionCode(command.argument);
      if (!code) return t(lang, 'quiz.verify.usage');
      return verifyText(lang, code, await deps.quiz.completion(code));
    }
    case 'cohort':
      return isTrainer(deps, sms.from) ? trainerCommand(deps, sms, lang) : undefined;
    case 'unknown': {
      const choice = smsQuizChoice(sms.text);
      if (!choice) return undefined;
      const state = await deps.quiz.smsState(sms.callerKey, deps.now());
      return state ? take(deps, sms, { kind: 'answer', choice, state }) : undefined;
    }
    default:
      return undefined;
  }
}

async function take(deps: QuizSmsServices, sms: QuizSms, input: SmsQuizInput): Promise<string> {
  let turn = smsQuizStep(input);
  if (turn.finish) {
    const recorded = await deps.quizTakings.record({
      attemptId: sms.attemptId,
      channel: 'sms',
      caller: { phone: sms.from, key: sms.callerKey },
      canText: true,
      finish: turn.finish,
    });
    turn = smsQuizStep(input, recorded);
  }
  if (turn.state === null) await deps.quiz.clearSmsState(sms.callerKey);
  else if (turn.state) await deps.quiz.putSmsState(sms.callerKey, turn.state as SmsQuizState, expiry(deps));
  return turn.text;
}

const expiry = (deps: QuizSmsServices) => Math.floor(deps.now() / 1000) + SMS_QUIZ_STATE_HOURS * 3600;

async function trainerCommand(deps: QuizSmsServices, sms: QuizSms, lang: Lang): Promise<string> {
  const command = parseCohortCommand(sms.command.argument);
  if (command.kind === 'usage') return t(lang, 'quiz.cohort.usage');
  if (command.kind === 'figures') {
    const figures = await deps.quiz.cohort(command.code);
    return figures ? cohortFiguresText(lang, figures) : t(lang, 'quiz.cohort.unknown', { code: command.code });
  }
  const code = await deps.quiz.openCohort(
    { name: command.name, ...(command.size ? { size: command.size } : {}), trainerKey: sms.callerKey, at: new Date(deps.now()).toISOString() },
    newCohortCode,
  );
  deps.log.info('quiz group opened', { code, trainerKey: sms.callerKey });
  return t(lang, 'quiz.cohort.opened', { code, name: command.name });
}
