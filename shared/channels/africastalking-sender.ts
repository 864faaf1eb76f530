/**
 * Sending SMS through Africa's Talking's messaging API (africastalking-rest.ts). HTTP 201 does not mean success:
 * each recipient carries its own statusCode (100 Processed, 101 Sent, 102 Queued are accepted; 401–409 and 5xx are
 * failures).
 */
import { africasTalkingUrls, postToAfricasTalking, type AfricasTalkingAccount } from './africastalking-rest';
import type { SendResult, SmsSender } from '../ports';

export interface AfricasTalkingCredentials extends AfricasTalkingAccount {
  senderId?: string;
}

interface AtRecipient {
  statusCode: number;
  status: string;
  messageId?: string;
}

const ACCEPTED = new Set([100, 101, 102]);
// Worth retrying later with the same provider: its own errors, not a verdict on the recipient.
const TRANSIENT = new Set([500, 501, 502]);

export function africasTalkingSender(credentials: AfricasTalkingCredentials): SmsSender {
  const { messaging } = africasTalkingUrls(credentials);
  return {
    provider: 'africastalking',
    async send(to: string, text: string): Promise<SendResult> {
      // bulkSMSMode=1: the bulk (not premium) messaging the SDK's send() asked for.
      const answer = await postToAfricasTalking(credentials, messaging, {
        to,
        message: text,
        ...(credentials.senderId ? { from: credentials.senderId } : {}),
        bulkSMSMode: '1',
      });
      // No answer (the message may still arrive; a retry may then send it twice, better than a held outbox).
      if (!answer.answered) return { ok: false, retryable: true, reason: answer.reason };
      if (answer.status !== 201) {
        return { ok: false, retryable: answer.status >= 500 || answer.status === 429, reason: `HTTP ${answer.status}` };
      }
      const data = answer.body as { SMSMessageData?: { Message?: string; Recipients?: AtRecipient[] } } | undefined;
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
