import type { SmsProviderName } from '../config';

/** Where an outbound SMS stands: queued → sent (a provider took it) → delivered, or failed. */
export type OutboundStatus = 'queued' | 'sent' | 'delivered' | 'failed';

/** An outbound SMS as it travels through the queue (SQS on AWS, in-process locally). */
export interface QueuedSms {
  id: string;
  to: string;
  text: string;
  createdAt: string;
}

export type SendResult =
  | { ok: true; providerMessageId: string }
  /** `retryable`: worth another attempt later (throttled, provider down), as opposed to a refused recipient. */
  | { ok: false; retryable: boolean; reason: string };

/** One way out: a provider's SDK, or the local outbox when no provider is configured. */
export interface SmsSender {
  provider: SmsProviderName | 'local';
  send(to: string, text: string): Promise<SendResult>;
}

/** The queue half of the outbox: hands a message to whatever sends it, now or after a retry. */
export interface OutboxQueue {
  enqueue(message: QueuedSms): Promise<void>;
}

/**
 * How long one provider call may take. A hanging provider would otherwise hold the outbox function until Lambda
 * kills the whole batch (and SQS resends it); well inside the function's 30 s.
 */
export const PROVIDER_TIMEOUT_MS = 8000;
