import type { Construct } from 'constructs';

/**
 * Deploy-time choices, as CDK context (`npx cdk deploy -c audioBaseUrl=https://...`); all optional.
 * - `audioBaseUrl`: where the recorded voice prompts are served (AUDIO_BASE_URL); unset, every prompt is spoken.
 * - `alarmEmail`: an address subscribed to the alarm topic (it must confirm the subscription by e-mail).
 * - `ussdReservedConcurrency`: concurrency reserved for the USSD function (see infra/constructs/channels.ts).
 * - `quizTrainerPhones`: the quiz trainers' numbers, comma-separated (QUIZ_TRAINER_PHONES of the SMS function).
 * - `consoleEmailFrom`: the address partners are e-mailed from (an SES identity; see infra/constructs/console.ts).
 */
export interface HotlineContext {
  audioBaseUrl?: string;
  alarmEmail?: string;
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
  const reserved = value('ussdReservedConcurrency');
  const ussdReservedConcurrency = reserved === undefined ? undefined : Number(reserved);
  if (ussdReservedConcurrency !== undefined && !(Number.isInteger(ussdReservedConcurrency) && ussdReservedConcurrency >= 1)) {
    throw new Error(`context ussdReservedConcurrency must be a whole number of at least 1, not "${reserved}"`);
  }
  const quizTrainerPhones = value('quizTrainerPhones');
  if (quizTrainerPhones !== undefined && !/^\+\d{7,15}(\s*,\s*\+\d{7,15})*$/.test(quizTrainerPhones.trim())) {
    throw new Error('context quizTrainerPhones must be +numbers separated by commas');
  }
  const consoleEmailFrom = value('consoleEmailFrom');
  if (consoleEmailFrom !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(consoleEmailFrom)) {
    throw new Error(`context consoleEmailFrom must be an e-mail address, not "${consoleEmailFrom}"`);
  }
  return { audioBaseUrl, alarmEmail, ussdReservedConcurrency, quizTrainerPhones, consoleEmailFrom };
}
