/**
 * Broadcasts, pure: who a broadcast is for (a segment), when it may go out (quiet hours in the recipients' time),
 * what it costs (SMS segments × the price per destination), which timed tip is due for a departure month, and the
 * delivery report's shape.
 */
import * as z from '../zod';
import { LANGUAGES, t, type Lang, type PromptKey } from '../prompts';
import { smsParts } from '../screen';
import { DESTINATIONS, MONTH, TOPICS, type Destination, type Subscription } from './subscription';

/** Who a broadcast goes to: subscribers of `topic`, narrowed by the other fields when given. */
export const segmentSchema = z.lazy(() => z.object({
  topic: z.enum(TOPICS),
  langs: z.optional(z.array(z.enum(LANGUAGES)).check(z.minLength(1))),
  destinations: z.optional(z.array(z.enum(DESTINATIONS)).check(z.minLength(1))),
  departureMonths: z.optional(z.array(z.string().check(z.regex(MONTH))).check(z.minLength(1))),
}));
export type Segment = z.infer<typeof segmentSchema>;

export function inSegment(subscription: Subscription, segment: Segment): boolean {
  if (subscription.status !== 'active' || !subscription.topics.includes(segment.topic)) return false;
  if (segment.langs && !segment.langs.includes(subscription.lang)) return false;
  if (segment.destinations && !(subscription.destination && segment.destinations.includes(subscription.destination))) return false;
  if (segment.departureMonths && !(subscription.departureMonth && segment.departureMonths.includes(subscription.departureMonth))) return false;
  return true;
}

// ---- Quiet hours -------------------------------------------------------------------------------------------------

/** Hours of the day (local time) when nothing is broadcast: `from` up to `until`, wrapping past midnight. */
export interface QuietHours {
  from: number;
  until: number;
}

/** `22-08` → 22:00 to 08:00; empty → none. Throws on anything else (config validates with it). */
export function parseQuietHours(value: string): QuietHours | undefined {
  if (value.trim() === '') return undefined;
  const match = /^\s*(\d{1,2})\s*-\s*(\d{1,2})\s*$/.exec(value);
  const [from, until] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
  if (!(from >= 0 && from <= 23 && until >= 0 && until <= 23) || from === until) throw new Error(`"${value}" is not FROM-UNTIL hours (e.g. 22-08)`);
  return { from, until };
}

/** The callers' time zone, and the destinations' when a subscriber named one. */
export const HOME_TIME_ZONE = 'Asia/Dushanbe';
const DESTINATION_TIME_ZONES: Partial<Record<Destination, string>> = { uk: 'Europe/London', russia: 'Europe/Moscow' };

/** Where a subscriber's night is: their destination's time zone when they named one (UK, Russia), else home's. */
export function timeZoneOf(destination: Destination | undefined): string {
  return (destination && DESTINATION_TIME_ZONES[destination]) ?? HOME_TIME_ZONE;
}

/** Every zone a subscriber's quiet hours may be kept in. */
export const SUBSCRIBER_TIME_ZONES: readonly string[] = [HOME_TIME_ZONE, ...Object.values(DESTINATION_TIME_ZONES)];

function localHour(ms: number, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(new Date(ms)));
}

export function isQuiet(ms: number, quiet: QuietHours | undefined, timeZone = HOME_TIME_ZONE): boolean {
  if (!quiet) return false;
  const hour = localHour(ms, timeZone);
  return quiet.from < quiet.until ? hour >= quiet.from && hour < quiet.until : hour >= quiet.from || hour < quiet.until;
}

/** The first moment at or after `ms` outside the quiet hours (the top of the hour they end). */
export function nextSendingTime(ms: number, quiet: QuietHours | undefined, timeZone = HOME_TIME_ZONE): number {
  if (!isQuiet(ms, quiet, timeZone)) return ms;
  let at = Math.floor(ms / 3_600_000) * 3_600_000;
  // Whole hours in every zone the hotline serves (no half-hour offsets), so stepping by hours finds the end.
  for (let step = 0; step < 25 && isQuiet(at, quiet, timeZone); step++) at += 3_600_000;
  return at;
}

/**
 * When a broadcast next has someone to send to: the first moment at or after `ms` outside the quiet hours in at
 * least one of `zones` (`ms` itself when one is awake now).
 */
export function nextPassTime(ms: number, quiet: QuietHours | undefined, zones: readonly string[] = SUBSCRIBER_TIME_ZONES): number {
  return Math.min(...zones.map((zone) => nextSendingTime(ms, quiet, zone)));
}

// ---- Cost ----------------------------------------------------------------------------------------------------------

/** The price of one SMS segment to numbers starting with `prefix` (`*`: any other), in US dollars. */
export interface SegmentPrice {
  prefix: string;
  usd: number;
}

export function pricePerSegment(callingCode: string, prices: readonly SegmentPrice[]): number {
  const matching = prices
    .filter((price) => price.prefix === '*' || callingCode.startsWith(price.prefix))
    .sort((a, b) => (b.prefix === '*' ? 0 : b.prefix.length) - (a.prefix === '*' ? 0 : a.prefix.length));
  return matching[0]?.usd ?? 0;
}

export interface CostEstimate {
  recipients: number;
  segments: number;
  usd: number;
}

/** Segments × price, over the recipients a segment has now (by language and calling code). */
export function estimateCost(
  texts: Partial<Record<Lang, string>>,
  recipients: readonly { lang: Lang; callingCode?: string }[],
  prices: readonly SegmentPrice[],
): CostEstimate {
  let segments = 0;
  let usd = 0;
  for (const recipient of recipients) {
    const parts = smsParts(texts[recipient.lang] ?? texts.en ?? '');
    segments += parts;
    usd += parts * pricePerSegment(recipient.callingCode ?? '*', prices);
  }
  return { recipients: recipients.length, segments, usd: Math.round(usd * 100) / 100 };
}

// ---- Timed tips ------------------------------------------------------------------------------------------------------

/** The tips timed by the departure month (prompts/outreach `tips.*`): days before (negative) or after its first day. */
export const TIMED_TIPS = [
  { key: 'tips.before.60', day: -60 },
  { key: 'tips.before.14', day: -14 },
  { key: 'tips.before.3', day: -3 },
  { key: 'tips.after.7', day: 7 },
] as const satisfies readonly { key: PromptKey; day: number }[];
export type TimedTip = (typeof TIMED_TIPS)[number]['key'];

/** The tip due on `today` (`YYYY-MM-DD`, Dushanbe) for a subscriber leaving in `departureMonth`, if any. */
export function tipDue(departureMonth: string, today: string): TimedTip | undefined {
  const days = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${departureMonth}-01T00:00:00Z`)) / 86_400_000);
  return TIMED_TIPS.find((tip) => tip.day === days)?.key;
}

export function tipText(lang: Lang, tip: TimedTip, ussdCode: string): string {
  return t(lang, tip, { ussdCode });
}

// ---- Delivery report ---------------------------------------------------------------------------------------------

/**
 * Where a broadcast's messages stand, each counted once under its latest status (queued + sent + delivered + failed
 * + optedOutSince = total), counted as they move (store/messages.ts).
 */
export interface DeliveryReport {
  /** Every message fanned out. */
  total: number;
  /** Not yet taken by a provider. */
  queued: number;
  /** Taken by a provider, with no final delivery report yet. */
  sent: number;
  delivered: number;
  failed: number;
  failedByReason: Record<string, number>;
  /** Recipients who sent STOP after it was queued: their messages were not sent. */
  optedOutSince: number;
}

/** A failure's reason as a counter name: `Twilio error 30003` → `twilio_error_30003`. */
export function reasonSlug(reason: string): string {
  const slug = reason.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40);
  return slug || 'unknown';
}

/** The reason a broadcast message is not sent to someone who opted out after it was queued. */
export const OPTED_OUT_REASON = 'opted_out';
