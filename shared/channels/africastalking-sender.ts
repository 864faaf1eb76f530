/**
 * Sending SMS through Africa's Talking with its SDK. HTTP 201 does not mean success: each recipient carries its
 * own statusCode (100 Processed, 101 Sent, 102 Queued are accepted; 401–409 and 5xx are failures).
 * Kept apart from the webhook adapter so that only the outbox function bundles the SDK.
 */
import AfricasTalking from 'africastalking';
import axios from 'axios';
import { PROVIDER_TIMEOUT_MS, type SendResult, type SmsSender } from '../ports';

export interface AfricasTalkingCredentials {
  username: string;
  apiKey: string;
  senderId?: string;
}

interface AtRecipient {
  statusCode: number;
  status: string;
  messageId?: string;
}

// The SDK calls the shared axios instance, which has no timeout by default. package.json pins axios to the exact
// version the SDK pins, so that npm installs one copy and this is the instance the SDK uses.
axios.defaults.timeout ||= PROVIDER_TIMEOUT_MS;

const ACCEPTED = new Set([100, 101, 102]);
// Worth retrying later with the same provider: its own errors, not a verdict on the recipient.
const TRANSIENT = new Set([500, 501, 502]);

function describeError(error: unknown): { retryable: boolean; reason: string } {
  const response = (error as { response?: { status?: number; data?: unknown } })?.response;
  if (response?.status) {
    return { retryable: response.status >= 500 || response.status === 429, reason: `HTTP ${response.status}` };
  }
  return { retryable: true, reason: error instanceof Error ? error.message : String(error) };
}

/**
 * The SDK's request, abandoned after `ms`: axios's own timeout does not always fire (a response that starts but
 * never ends), and a hanging provider must not hold the outbox. The message may still arrive; a retry may then send
 * it twice, which is better than a batch that times out whole and is resent.
 */
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function africasTalkingSender(credentials: AfricasTalkingCredentials): SmsSender {
  const sms = AfricasTalking({ username: credentials.username, apiKey: credentials.apiKey }).SMS;
  return {
    provider: 'africastalking',
    async send(to: string, text: string): Promise<SendResult> {
      let data: { SMSMessageData?: { Message?: string; Recipients?: AtRecipient[] } };
      try {
        data = await withTimeout(
          sms.send({ to: [to], message: text, ...(credentials.senderId ? { from: credentials.senderId } : {}) }),
          PROVIDER_TIMEOUT_MS,
        );
      } catch (error) {
        return { ok: false, ...describeError(error) };
      }
      const recipient = data?.SMSMessageData?.Recipients?.[0];
      if (!recipient) return { ok: false, retryable: true, reason: `no recipient in reply: ${data?.SMSMessageData?.Message ?? 'empty'}` };
      if (ACCEPTED.has(recipient.statusCode) && recipient.messageId) {
        return { ok: true, providerMessageId: recipient.messageId };
      }
      return {
        ok: false,
        retryable: TRANSIENT.has(recipient.statusCode),
        reason: `recipient ${recipient.statusCode} ${recipient.status}`,
      };
    },
  };
}
