/**
 * The throughput limit per provider for bulk messages: a token bucket of SMS segments per second. Replies are not
 * throttled here (a provider's own limit answers them with a retryable refusal); broadcasts wait their turn.
 */
import type { SmsProviderName } from '../config';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

export class SegmentThrottle {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** `rates`: segments per second per provider; a provider without one is not throttled. */
  constructor(
    private readonly rates: Partial<Record<SmsProviderName | 'local', number>>,
    private readonly clock: Clock = realClock,
  ) {}

  /** Waits until `segments` may go out through `provider`, then takes them. */
  async take(provider: SmsProviderName | 'local', segments: number): Promise<void> {
    const rate = this.rates[provider];
    if (!rate) return;
    for (;;) {
      const now = this.clock.now();
      const bucket = this.buckets.get(provider) ?? { tokens: rate, at: now };
      // At most one second's worth saved up: a quiet minute does not become a burst.
      bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.at) / 1000) * rate);
      bucket.at = now;
      this.buckets.set(provider, bucket);
      if (bucket.tokens >= Math.min(segments, rate)) {
        bucket.tokens -= segments;
        return;
      }
      await this.clock.sleep(Math.ceil(((Math.min(segments, rate) - bucket.tokens) / rate) * 1000));
    }
  }
}
