/**
 * Sending SMS through Twilio with its SDK (`messages.create`), asking for status callbacks to
 * `/sms/twilio/status`. Kept apart from the webhook adapter so that only the outbox function bundles the SDK.
 */
import twilio from 'twilio';
import { PROVIDER_TIMEOUT_MS, type SendResult, type SmsSender } from '../ports';

export interface TwilioSending {
  accountSid: string;
  authToken: string;
  /** A +number, or an MG… messaging service SID. */
  from: string;
}

export function twilioSender(sending: TwilioSending, publicBaseUrl: string): SmsSender {
  // No keep-alive: a socket kept across a frozen Lambda container is often dead on thaw (ECONNRESET), and the
  // SDK does not retry; one TLS handshake per SMS is cheap beside that.
  const client = twilio(sending.accountSid, sending.authToken, {
    httpClient: new twilio.RequestClient({ keepAlive: false, timeout: PROVIDER_TIMEOUT_MS }),
  });
  const from = sending.from.startsWith('MG') ? { messagingServiceSid: sending.from } : { from: sending.from };
  return {
    provider: 'twilio',
    async send(to: string, text: string): Promise<SendResult> {
      try {
        const message = await client.messages.create({
          to,
          body: text,
          ...from,
          statusCallback: `${publicBaseUrl}/sms/twilio/status`,
        });
        return { ok: true, providerMessageId: message.sid };
      } catch (error) {
        const status = (error as { status?: number }).status;
        const code = (error as { code?: number }).code;
        return {
          ok: false,
          // Throttling and Twilio's own errors pass; a 4xx (invalid number, opted out) will not.
          retryable: status === undefined || status === 429 || status >= 500,
          reason: `${status ?? 'network'}${code ? ` (${code})` : ''}: ${(error as Error).message}`,
        };
      }
    },
  };
}
