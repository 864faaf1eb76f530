import type { SmsProviderName } from '../config';
import { OPTED_OUT_REASON } from '../domain/outreach/broadcast';
import { smsParts } from '../domain/screen';
import type { Logger } from '../log';
import { metrics } from '../metrics';
import type { MessageRepository } from '../store/messages';
import { providersFor, type SmsRoute } from './routing';
import type { QueuedSms, SmsSender } from '../ports';
import type { SegmentThrottle } from './throttle';

export interface DeliveryContext {
  /** Configured provider senders; when there are none, `fallback` (the local outbox) takes every message. */
  senders: Partial<Record<SmsProviderName, SmsSender>>;
  fallback?: SmsSender;
  routes: SmsRoute[];
  messages: MessageRepository;
  maxAttempts: number;
  log: Logger;
  /** Bulk messages go only to numbers still subscribed (a STOP ends a broadcast already queued). */
  subscribers?: { isActive(key: string): Promise<boolean> };
  /** Segments per second per provider and per operator, for bulk messages. */
  throttle?: SegmentThrottle;
}

/** Long enough for every provider to be tried once (each call times out after PROVIDER_TIMEOUT_MS). */
const SEND_LEASE_SECONDS = 60;

/**
 * sent: a provider took it. retry: try again later. failed: given up, marked failed (dead-letter it). cancelled: a
 * broadcast message to someone who has since sent STOP, marked failed as opted out (nothing to dead-letter).
 */
export type DeliveryOutcome = 'sent' | 'retry' | 'failed' | 'cancelled';

/** One attempt at sending a queued SMS: the routed provider first, then the others. */
export async function deliver(ctx: DeliveryContext, message: QueuedSms, attempt: number): Promise<DeliveryOutcome> {
  // A queue may hand the same message over twice (at-least-once delivery, a reply queued again): only the attempt
  // holding the lease sends it.
  if (!(await ctx.messages.takeSendLease(message.id, SEND_LEASE_SECONDS))) {
    const record = await ctx.messages.get(message.id);
    ctx.log.info('sms already handled', { messageId: message.id, status: record?.status });
    // Still queued: another attempt holds the lease and may die with it, so this one comes back later.
    return record?.status === 'failed' ? 'failed' : record?.status === 'queued' ? 'retry' : 'sent';
  }
  const bulk = message.priority === 'bulk';
  if (bulk && message.toKey && ctx.subscribers && !(await ctx.subscribers.isActive(message.toKey))) {
    await ctx.messages.recordAttemptFailed(message.id, attempt, OPTED_OUT_REASON, true);
    ctx.log.info('broadcast message cancelled: the recipient opted out', { messageId: message.id });
    return 'cancelled';
  }
  const available = Object.keys(ctx.senders) as SmsProviderName[];
  const senders: SmsSender[] =
    available.length > 0
      ? providersFor(message.to, ctx.routes, available).map((p) => ctx.senders[p]!)
      : ctx.fallback
        ? [ctx.fallback]
        : [];
  const errors: string[] = [];
  let retryable = senders.length === 0;
  for (const sender of senders) {
    if (bulk) await ctx.throttle?.take(sender.provider, smsParts(message.text), message.to);
    const result = await sender.send(message.to, message.text, message.id).catch((error: unknown) => ({
      ok: false as const,
      retryable: true,
      reason: error instanceof Error ? error.message : String(error),
    }));
    metrics.countSms(sender.provider, result.ok);
    if (result.ok) {
      // The provider has the message: a failed status write must not make us send it twice.
      await ctx.messages
        .recordSent(message.id, sender.provider, result.providerMessageId, attempt)
        .catch((error: unknown) => ctx.log.error('could not record a sent SMS', { messageId: message.id, error }));
      ctx.log.info('sms sent', { messageId: message.id, provider: sender.provider, attempt });
      return 'sent';
    }
    errors.push(`${sender.provider}: ${result.reason}`);
    retryable ||= result.retryable;
  }
  if (senders.length === 0) errors.push('no SMS provider is configured');
  const final = !retryable || attempt >= ctx.maxAttempts;
  ctx.log.warn('sms not sent', { messageId: message.id, attempt, final, errors });
  await ctx.messages.recordAttemptFailed(message.id, attempt, errors.join('; '), final);
  return final ? 'failed' : 'retry';
}
