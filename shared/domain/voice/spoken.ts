/**
 * What the voice line can say: its prompt keys (prompts/*.json) and the segments an answer is made of.
 */
import { PROMPTS, type Lang } from '../prompts';
import type { Standing } from '../registry';
import { QUIZ_QUESTIONS, type QuizQuestionId } from '../quiz';
import { ADVICE_TOPICS } from '../advice';

/** The voice line's own prompts (prompts/*.json, `voice.` keys). */
export const VOICE_PROMPT_KEYS = [
  'voice.lang.choose',
  'voice.welcome',
  'voice.menu',
  'voice.invalid',
  'voice.noInput',
  'voice.giveUp',
  'voice.goodbye',
  'voice.unavailable',
  'voice.phone.prompt',
  'voice.phone.invalid',
  'voice.phone.typed',
  'voice.phone.official',
  'voice.phone.officialWarning',
  'voice.phone.confirmed',
  'voice.phone.reported',
  'voice.phone.reportedAdvice',
  'voice.phone.reportedOnce',
  'voice.phone.none',
  'voice.status',
  'voice.licence.prompt',
  'voice.licence.invalid',
  'voice.licence.found',
  'voice.licence.several',
  'voice.licence.licensedAdvice',
  'voice.licence.warning',
  'voice.licence.none',
  'voice.report.consent',
  'voice.report.sharing',
  'voice.report.prompt',
  'voice.report.empty',
  'voice.report.received',
  'voice.report.repeat',
  'voice.report.sms',
  'voice.report.failed',
  'voice.report.kept',
  'voice.report.keptSms',
  'voice.urgent.connecting',
  'voice.urgent.next',
  'voice.urgent.message',
  'voice.urgent.received',
  'voice.urgent.danger',
  'voice.urgent.ended',
  'voice.advice.menu',
  'voice.quiz.cohort',
  'voice.quiz.choose',
  'voice.quiz.passed',
  'voice.quiz.codeSms',
  'voice.quiz.failed',
  'voice.quiz.again',
  'voice.subscribe.menu',
  'voice.subscribe.destination',
  'voice.subscribe.month',
  'voice.subscribe.done',
  'voice.subscribe.stopped',
  'voice.subscribe.noSms',
  'voice.digit.0',
  'voice.digit.1',
  'voice.digit.2',
  'voice.digit.3',
  'voice.digit.4',
  'voice.digit.5',
  'voice.digit.6',
  'voice.digit.7',
  'voice.digit.8',
  'voice.digit.9',
] as const;

export type VoicePromptKey = (typeof VOICE_PROMPT_KEYS)[number];

const STANDINGS = ['licensed', 'suspended', 'revoked', 'expired'] as const satisfies readonly Standing[];

/** The quiz's texts the voice line reads out: the same as USSD and SMS. */
type QuizSpokenKey =
  | 'quiz.right'
  | 'quiz.wrong'
  | `quiz.q.${QuizQuestionId}.${'text' | 'why' | 'c1' | 'c2' | 'c3'}`
  | `quiz.topic.${QuizQuestionId}`;

/** Every prompt the voice line can speak: its own, and the advice, status and quiz words it shares with USSD and SMS. */
export type SpokenKey = VoicePromptKey | `advice.${(typeof ADVICE_TOPICS)[number]}.text` | `status.${Standing}` | QuizSpokenKey;

export const SPOKEN_PROMPT_KEYS: readonly SpokenKey[] = /* @__PURE__ */ (() => [
  ...VOICE_PROMPT_KEYS,
  ...ADVICE_TOPICS.map((topic) => `advice.${topic}.text` as const),
  ...STANDINGS.map((s) => `status.${s}` as const),
  'quiz.right',
  'quiz.wrong',
  ...QUIZ_QUESTIONS.flatMap((q) => [
    `quiz.q.${q.id}.text` as const,
    ...Array.from({ length: q.choices }, (_, i) => `quiz.q.${q.id}.c${i + 1}` as `quiz.q.${QuizQuestionId}.c1`),
    `quiz.q.${q.id}.why` as const,
    `quiz.topic.${q.id}` as const,
  ]),
])();

/** The text of a spoken prompt (prompts/<lang>.json). */
export function spokenText(lang: Lang, key: SpokenKey): string {
  const text = (PROMPTS[lang] as Record<string, string | undefined>)[key];
  if (text === undefined) throw new Error(`prompts/${lang}.json has no "${key}"`);
  return text;
}

export type Segment =
  /** A text of prompts/*.json: recordable. */
  | { kind: 'prompt'; key: SpokenKey; lang: Lang }
  /** Words only speech can say (a registry name). */
  | { kind: 'text'; text: string; lang: Lang }
  /** A count. */
  | { kind: 'number'; value: number; lang: Lang }
  /** Read one character at a time: a reference, the digits a caller typed. */
  | { kind: 'chars'; chars: string; lang: Lang }
  /** A recording heard as it is (the studio line plays a take back). */
  | { kind: 'audio'; url: string };
