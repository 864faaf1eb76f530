/**
 * The outreach's variables (subscriptions, alerts, broadcasts), a section of the configuration (shared/config.ts):
 * its fields go into the environment object, its output under `config.outreach`.
 */
import * as z from '../domain/zod';
import { parseQuietHours, type SegmentPrice } from '../domain/outreach/broadcast';
import { MOBILE_OPERATORS, isMobileOperator, type MobileOperator } from '../channels/mobile-operators';

/**
 * How many outbox invocations drain the bulk (broadcast) queue at once on AWS (SQS's least maximum concurrency),
 * against ten for the replies' queue; each takes this share of a provider's segments per second.
 */
export const BULK_CONCURRENCY = 2;

/**
 * The longest one run of the broadcast schedule may take (the broadcast function's timeout on AWS: one run fans out
 * up to 100,000 subscribers at ~2,000 a second, well inside it). Its run lease lasts a minute longer, so a run cut
 * off by the timeout is taken over by the next, never overlapped by it.
 */
export const BROADCAST_RUN_SECONDS = 5 * 60;
export const BROADCAST_RUN_LEASE_SECONDS = BROADCAST_RUN_SECONDS + 60;

const PROVIDER_NAMES = ['africastalking', 'twilio', 'local'] as const;

/** `africastalking=10,twilio=20`: bulk SMS segments per second per provider. */
const segmentRates = z.pipe(
  z._default(z.string(), 'africastalking=10,twilio=10,local=50'),
  z.transform((value, ctx) => {
    const rates: Partial<Record<(typeof PROVIDER_NAMES)[number], number>> = {};
    for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
      const [provider, rate] = part.split('=').map((p) => p.trim());
      const perSecond = Number(rate);
      if (!PROVIDER_NAMES.includes(provider as (typeof PROVIDER_NAMES)[number]) || !(perSecond > 0)) {
        ctx.issues.push({ code: 'custom', input: ctx.value, message: `"${part}" is not PROVIDER=SEGMENTS_PER_SECOND (e.g. africastalking=10)` });
        return z.NEVER;
      }
      rates[provider as (typeof PROVIDER_NAMES)[number]] = perSecond;
    }
    return rates;
  }),
);

/**
 * `tcell=20,megafon=20`: bulk SMS segments per second per operator (each operator's SMPP bind has its own
 * agreed rate, whichever provider carries the message); an operator not named is limited by its provider only.
 */
const operatorRates = z.pipe(
  z._default(z.string(), 'tcell=10,megafon=10,zet-mobile=10,babilon-m=10,o-mobile=10'),
  z.transform((value, ctx) => {
    const rates: Partial<Record<MobileOperator, number>> = {};
    for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
      const [operator = '', rate] = part.split('=').map((p) => p.trim());
      const perSecond = Number(rate);
      if (!isMobileOperator(operator) || !(perSecond > 0)) {
        ctx.issues.push({ code: 'custom', input: ctx.value, message: `"${part}" is not OPERATOR=SEGMENTS_PER_SECOND (operators: ${MOBILE_OPERATORS.join(', ')})` });
        return z.NEVER;
      }
      rates[operator] = perSecond;
    }
    return rates;
  }),
);

/** `+992=0.02,+44=0.04,*=0.05`: US dollars per SMS segment by destination prefix, for the cost estimate. */
const segmentPrices = z.pipe(
  z._default(z.string(), '+992=0.025,+7=0.04,+44=0.04,*=0.06'),
  z.transform((value, ctx) => {
    const prices: SegmentPrice[] = [];
    for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
      const [prefix = '', usd] = part.split('=').map((p) => p.trim());
      if (!/^(\*|\+\d{1,6})$/.test(prefix) || !(Number(usd) >= 0)) {
        ctx.issues.push({ code: 'custom', input: ctx.value, message: `"${part}" is not PREFIX=USD (e.g. +992=0.025)` });
        return z.NEVER;
      }
      prices.push({ prefix, usd: Number(usd) });
    }
    return prices;
  }),
);

export const outreachEnvShape = {
  /** Hours (Asia/Dushanbe) when no broadcast goes out, `FROM-UNTIL` (`22-08`); empty for none. */
  BROADCAST_QUIET_HOURS: z.pipe(
    z._default(z.string(), '22-08').check(
      z.refine((value) => {
        try {
          parseQuietHours(value);
          return true;
        } catch {
          return false;
        }
      }, 'FROM-UNTIL hours such as 22-08, or empty'),
    ),
    z.transform((value) => parseQuietHours(value)),
  ),
  BROADCAST_SEGMENTS_PER_SECOND: segmentRates,
  BROADCAST_OPERATOR_SEGMENTS_PER_SECOND: operatorRates,
  SMS_SEGMENT_PRICES_USD: segmentPrices,
  /** Subscribers fanned out per batch (recorded and queued together). */
  BROADCAST_BATCH_SIZE: z._default(z.coerce.number().check(z.int(), z.gte(10), z.lte(5000)), 500),
  /** AWS: the bulk lane of the outbox (broadcasts), drained after the replies' queue. */
  BROADCAST_QUEUE_URL: z.optional(z.url()),
};

type OutreachEnv = z.output<z.ZodMiniObject<typeof outreachEnvShape>>;

export function toOutreachConfig(env: OutreachEnv) {
  return {
    quietHours: env.BROADCAST_QUIET_HOURS,
    segmentLimits: { perProvider: env.BROADCAST_SEGMENTS_PER_SECOND, perOperator: env.BROADCAST_OPERATOR_SEGMENTS_PER_SECOND },
    prices: env.SMS_SEGMENT_PRICES_USD,
    batchSize: env.BROADCAST_BATCH_SIZE,
    bulkQueueUrl: env.BROADCAST_QUEUE_URL,
  };
}

/** Its section of the configuration (shared/config.ts `loadConfig`): read only by the functions that name it. */
export const outreachSection = { shape: outreachEnvShape, read: toOutreachConfig };

export type OutreachConfig = ReturnType<typeof toOutreachConfig>;
