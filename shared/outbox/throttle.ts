/**
 * The throughput limits for bulk messages: token buckets of SMS segments per second, one per provider and one per
 * mobile operator (a Tajik, Uzbek or Kyrgyz number's operator, told by its prefix as the Kannel routing tells it:
 * shared/channels/mobile-operators.ts). A broadcast message waits until both its provider and its operator have room.
 * Replies are not throttled here (a provider's own limit answers them with a retryable refusal); broadcasts wait
 * their turn.
 */
import type { SmsProviderName } from '../config';
import { mobileOperatorOf, type MobileOperator } from '../channels/mobile-operators';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

export interface SegmentLimits {
  /** Segments per second per provider; a provider without one is not throttled. */
  perProvider: Partial<Record<SmsProviderName | 'local', number>>;
  /** Segments per second per operator, whichever provider carries them; one without is not throttled. */
  perOperator?: Partial<Record<MobileOperator, number>>;
}

/** Each limit's share when `parts` consumers drain the same queue at once (each throttles on its own). */
export function shareOf(limits: SegmentLimits, parts: number): SegmentLimits {
  const divide = <K extends string>(rates: Partial<Record<K, number>>) =>
    Object.fromEntries(Object.entries(rates).map(([name, rate]) => [name, (rate as number) / parts])) as Partial<Record<K, number>>;
  return { perProvider: divide(limits.perProvider), perOperator: divide(limits.perOperator ?? {}) };
}

export class SegmentThrottle {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limits: SegmentLimits,
    private readonly clock: Clock = realClock,
  ) {}

  /** Waits until `segments` to `to` may go out through `provider` (and to its operator), then takes them. */
  async take(provider: SmsProviderName | 'local', segments: number, to: string): Promise<void> {
    await this.takeFrom(`provider:${provider}`, this.limits.perProvider[provider], segments);
    const operator = mobileOperatorOf(to);
    if (operator) await this.takeFrom(`operator:${operator}`, this.limits.perOperator?.[operator], segments);
  }

  private async takeFrom(name: string, rate: number | undefined, segments: number): Promise<void> {
    if (!rate) return;
    for (;;) {
      const now = this.clock.now();
      const bucket = this.buckets.get(name) ?? { tokens: rate, at: now };
      // At most one second's worth saved up: a quiet minute does not become a burst.
      bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.at) / 1000) * rate);
      bucket.at = now;
      this.buckets.set(name, bucket);
      if (bucket.tokens >= Math.min(segments, rate)) {
        bucket.tokens -= segments;
        return;
      }
      await this.clock.sleep(Math.ceil(((Math.min(segments, rate) - bucket.tokens) / rate) * 1000));
    }
  }
}
