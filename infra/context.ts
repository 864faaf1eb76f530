import type { Construct } from 'constructs';

/**
 * Deploy-time choices, as CDK context (`npx cdk deploy -c audioBaseUrl=https://...`); all optional.
 * - `audioBaseUrl`: where the recorded voice prompts are served (AUDIO_BASE_URL); unset, the voice function serves them
 *   from the prompt audio bucket at PUBLIC_BASE_URL/audio.
 * - `alarmEmail`: an address subscribed to the alarm topic (it must confirm the subscription by e-mail).
 * - `lambdaConcurrencyLimit`: the account's Lambda concurrency quota; with room, USSD reserves some (see
 *   infra/constructs/concurrency.ts).
 * - `ussdReservedConcurrency`: exactly this much reserved for the USSD function, 0 for none (concurrency.ts).
 * - `quizTrainerPhones`: the quiz trainers' numbers, comma-separated (QUIZ_TRAINER_PHONES of the SMS function).
 * - `consoleEmailFrom`: the address partners are e-mailed from (an SES identity; see infra/constructs/console.ts).
 */
export interface HotlineContext {
  audioBaseUrl?: string;
  alarmEmail?: string;
  lambdaConcurrencyLimit?: number;
  ussdReservedConcurrency?: number;
  quizTrainerPhones?: string;
  consoleEmailFrom?: string;
}

/** The context values, checked: a value that would deploy a broken stack stops the synthesis with its name. */
export function contextOf(scope: Construct): HotlineContext {
  const value = (key: string): string | undefined => {
    const raw: unknown = scope.node.tryGetContext(key);
    return raw === undefined || raw === null || raw === '' ? undefined : String(raw);
  };
  const audioBaseUrl = value('audioBaseUrl');
  if (audioBaseUrl !== undefined && !/^https:\/\/[^\s]+$/.test(audioBaseUrl)) {
    throw new Error(`context audioBaseUrl must be an https:// URL, not "${audioBaseUrl}"`);
  }
  const alarmEmail = value('alarmEmail');
  if (alarmEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(alarmEmail)) {
    throw new Error(`context alarmEmail must be an e-mail address, not "${alarmEmail}"`);
  }
  const wholeNumber = (key: string, least: number): number | undefined => {
    const raw = value(key);
    const number = raw === undefined ? undefined : Number(raw);
    if (number !== undefined && !(Number.isInteger(number) && number >= least)) {
      throw new Error(`context ${key} must be a whole number of at least ${least}, not "${raw}"`);
    }
    return number;
  };
  const lambdaConcurrencyLimit = wholeNumber('lambdaConcurrencyLimit', 1);
  const ussdReservedConcurrency = wholeNumber('ussdReservedConcurrency', 0);
  const quizTrainerPhones = value('quizTrainerPhones');
  if (quizTrainerPhones !== undefined && !/^\+\d{7,15}(\s*,\s*\+\d{7,15})*$/.test(quizTrainerPhones.trim())) {
    throw new Error('context quizTrainerPhones must be +numbers separated by commas');
  }
  const consoleEmailFrom = value('consoleEmailFrom');
  if (consoleEmailFrom !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(consoleEmailFrom)) {
    throw new Error(`context consoleEmailFrom must be an e-mail address, not "${consoleEmailFrom}"`);
  }
  return { audioBaseUrl, alarmEmail, lambdaConcurrencyLimit, ussdReservedConcurrency, quizTrainerPhones, consoleEmailFrom };
}
