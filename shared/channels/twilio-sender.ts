/**
 * Sending SMS through Twilio's Messages resource (twilio-rest.ts), asking for status callbacks to
 * `/sms/twilio/status`.
 */
import { createTwilioResource, type TwilioAccount } from './twilio-rest';
import type { SendResult, SmsSender } from '../ports';

export interface TwilioSending extends TwilioAccount {
  /** A +number, or an MG… messaging service SID. */
  from: string;
}

export function twilioSender(sending: TwilioSending, publicBaseUrl: string): SmsSender {
  const from: Record<string, string> = sending.from.startsWith('MG') ? { MessagingServiceSid: sending.from } : { From: sending.from };
  return {
    provider: 'twilio',
    async send(to: string, text: string): Promise<SendResult> {
      const answer = await createTwilioResource(sending, 'Messages', {
        To: to,
        Body: text,
        ...from,
        StatusCallback: `${publicBaseUrl}/sms/twilio/status`,
      });
      if (answer.ok) return { ok: true, providerMessageId: answer.sid };
      // Throttling, Twilio's own errors and no answer pass; a 4xx (invalid number, opted out) will not.
      const { status } = answer;
      return { ok: false, retryable: status === undefined || status === 429 || status >= 500, reason: answer.reason };
    },
  };
}
