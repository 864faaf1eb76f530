/**
 * Subscriptions to the hotline's outreach, pure: what a person agreed to receive (topics, and for timed tips their
 * destination and departure month), the consent record that proves it, and the words that ask for it by SMS.
 * Consent is never implied: a topic is received only once asked for, on a channel, in a language, at a time.
 */
import * as z from '../zod';
import { foldWord, promptWords } from '../keywords';
import { lazy } from '../lazy';
import { LANGUAGES, t, type Lang, type PromptKey } from '../prompts';
import { REPORT_CHANNELS, type ReportChannel } from '../report';

export const TOPICS = ['scam_alerts', 'departure_tips', 'uk_scheme'] as const;
export type Topic = (typeof TOPICS)[number];

export const DESTINATIONS = ['uk', 'russia', 'other'] as const;
export type Destination = (typeof DESTINATIONS)[number];

/** What a menu offers, in order (USSD and the voice line): scam alerts; with departure tips; with UK scheme news too. */
export const TOPIC_CHOICES = [
  ['scam_alerts'],
  ['scam_alerts', 'departure_tips'],
  ['scam_alerts', 'departure_tips', 'uk_scheme'],
] as const satisfies readonly (readonly Topic[])[];

/** `YYYY-MM`. */
export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** What a person asked for (the consent's "what"). */
const subscriptionChoiceObject = () =>
  z.object({
    topics: z.array(z.enum(TOPICS)).check(z.minLength(1)),
    destination: z.optional(z.enum(DESTINATIONS)),
    departureMonth: z.optional(z.string().check(z.regex(MONTH))),
  });
export type SubscriptionChoice = z.infer<ReturnType<typeof subscriptionChoiceObject>>;

/** The proof of one opt-in or opt-out: when, on which channel, to what, in which language. */
export const consentSchema = z.lazy(() =>
  z.object({
    at: z.iso.datetime(),
    channel: z.enum([...REPORT_CHANNELS, 'provider']),
    action: z.enum(['opt_in', 'opt_out']),
    topics: z.array(z.enum(TOPICS)),
    lang: z.enum(LANGUAGES),
  }),
);
export type Consent = z.infer<typeof consentSchema>;
export type ConsentChannel = ReportChannel | 'provider';

/**
 * A subscription as the fan-out sees it: no number (that is sealed beside it in the store). Builders, not schemas
 * built at import: the stored subscription extends it (shared/store/outreach.ts), and most requests read none.
 */
export const subscriptionObject = () =>
  z.extend(subscriptionChoiceObject(), {
    key: z.string().check(z.minLength(1)),
    lang: z.enum(LANGUAGES),
    status: z.enum(['active', 'stopped']),
    /** The opt-in that made it active (or, once stopped, the last one). */
    consent: consentSchema,
    stoppedAt: z.optional(z.iso.datetime()),
  });
const subscriptionSchema = z.lazy(subscriptionObject);
export type Subscription = z.infer<typeof subscriptionSchema>;

/** The words after JOIN: topics, a destination and a month (`JOIN TIPS UK 03.2027`), each optional. */
const TOPIC_WORDS = lazy(() => new Map<string, Topic>(TOPICS.flatMap((topic) => promptWords(`outreach.topicWords.${topic}`).map(({ word }) => [word, topic] as const))));
const DESTINATION_WORDS = lazy(
  () => new Map<string, Destination>(DESTINATIONS.flatMap((destination) => promptWords(`outreach.destinationWords.${destination}`).map(({ word }) => [word, destination] as const))),
);

/** A departure month as typed (`03.2027`, `3/2027`, `2027-03`), as `YYYY-MM`; undefined when it is not one. */
export function parseMonth(typed: string): string | undefined {
  const cleaned = typed.trim();
  const monthFirst = /^(\d{1,2})[./-](\d{4})$/.exec(cleaned);
  const yearFirst = /^(\d{4})[./-](\d{1,2})$/.exec(cleaned);
  const [year, month] = monthFirst ? [monthFirst[2]!, monthFirst[1]!] : yearFirst ? [yearFirst[1]!, yearFirst[2]!] : [];
  if (!year || !month) return undefined;
  const value = `${year}-${month.padStart(2, '0')}`;
  return MONTH.test(value) ? value : undefined;
}

/** What a JOIN asks for: the topics named (scam alerts when none is), a destination and a month when given. */
export function joinChoice(argument: string): SubscriptionChoice {
  const topics = new Set<Topic>();
  let destination: Destination | undefined;
  let departureMonth: string | undefined;
  for (const word of argument.split(/[\s,;]+/).filter(Boolean)) {
    const folded = foldWord(word.replace(/^[\p{P}]+|[\p{P}]+$/gu, ''));
    const topic = TOPIC_WORDS().get(folded);
    if (topic) topics.add(topic);
    destination ??= DESTINATION_WORDS().get(folded);
    departureMonth ??= parseMonth(word);
  }
  if (topics.size === 0) topics.add('scam_alerts');
  // Tips are timed by the departure month: a month given asks for them.
  if (departureMonth) topics.add('departure_tips');
  return {
    topics: TOPICS.filter((topic) => topics.has(topic)),
    ...(destination ? { destination } : {}),
    ...(departureMonth ? { departureMonth } : {}),
  };
}

/** The topics as a caller reads them back. */
export function topicsText(lang: Lang, topics: readonly Topic[]): string {
  return topics.map((topic) => t(lang, `outreach.topic.${topic}` as PromptKey)).join(', ');
}

/** The effects a channel's step asks the runner for: an opt-in (or a resumption), an opt-out. */
export type SubscriptionEffect =
  | { type: 'subscribe'; choice?: SubscriptionChoice; lang: Lang }
  | { type: 'unsubscribe'; lang: Lang };

/** The subscription an opt-in makes, from what was stored before (a resumption keeps the earlier choice). */
export function optIn(
  before: Subscription | undefined,
  key: string,
  choice: SubscriptionChoice | undefined,
  lang: Lang,
  channel: ConsentChannel,
  at: string,
): Subscription {
  const chosen = choice ?? (before ? { topics: before.topics, destination: before.destination, departureMonth: before.departureMonth } : { topics: ['scam_alerts' as const] });
  const consent: Consent = { at, channel, action: 'opt_in', topics: chosen.topics, lang };
  return subscriptionSchema.parse({
    key,
    lang,
    status: 'active',
    topics: chosen.topics,
    ...(chosen.destination ? { destination: chosen.destination } : {}),
    ...(chosen.departureMonth ? { departureMonth: chosen.departureMonth } : {}),
    consent,
  });
}

/** The opt-out's record: every topic ends at once. */
export function optOutConsent(before: Subscription, channel: ConsentChannel, at: string, lang: Lang): Consent {
  return { at, channel, action: 'opt_out', topics: before.topics, lang };
}
