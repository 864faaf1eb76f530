/**
 * Twilio webhooks: signature check, parsing, status mapping, and the empty TwiML answer (replies leave through
 * the outbox, like every other SMS).
 */
import { createHmac } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import * as z from '../domain/zod';
import { senderPhoneField } from '../domain/phone';
import { readForm } from '../http';
import { secretsEqual } from '../privacy';
import type { OutboundStatus } from '../ports';

/** Twilio adds parameters over time; the signature covers whatever arrives, and unknown ones pass. */
export const twilioSmsSchema = z.looseObject({
  MessageSid: z.string().check(z.minLength(1), z.maxLength(64)),
  From: senderPhoneField,
  To: z.string().check(z.minLength(1), z.maxLength(64)),
  Body: z.string().check(z.maxLength(2000)),
  NumMedia: z.optional(z.string().check(z.maxLength(3))),
  /** Twilio's Advanced Opt-Out handled the keyword (and answered it): STOP, START or HELP. */
  OptOutType: z.optional(z.string().check(z.maxLength(20))),
});

export const twilioStatusSchema = z.looseObject({
  MessageSid: z.string().check(z.minLength(1), z.maxLength(64)),
  MessageStatus: z.string().check(z.minLength(1), z.maxLength(30)),
  ErrorCode: z.optional(z.string().check(z.maxLength(10))),
});

export function twilioDeliveryStatus(status: string): OutboundStatus | undefined {
  switch (status) {
    case 'accepted':
    case 'scheduled':
    case 'queued':
    case 'sending':
    case 'sent':
      return 'sent';
    case 'delivered':
    case 'read':
      return 'delivered';
    case 'failed':
    case 'undelivered':
    case 'canceled':
      return 'failed';
    default:
      return undefined;
  }
}

export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/**
 * Twilio's request signature: HMAC-SHA1 under the auth token, base64, of the URL followed by every form parameter
 * sorted by name, as name + value. Every pair counts, a repeated name once per value in the order received (the
 * SDK's validator folds repeats into a sorted set, so that `Body=a&Body=a` and `Body=a` verify alike): a body passes
 * only as it was signed.
 */
export function twilioSignature(authToken: string, url: string, pairs: readonly (readonly [string, string])[]): string {
  const data = [...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).reduce((signed, [name, value]) => signed + name + value, url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/**
 * 403 unless `X-Twilio-Signature` is valid for the public URL (`PUBLIC_BASE_URL` + path + query as received,
 * since API Gateway and proxies change the host) and every form pair (shared/http.ts readForm, the same parser the
 * route reads its form with); 415 for a body that is not a form. No auth token configured: 403.
 */
export function requireTwilioSignature(
  getSettings: () => Promise<{ authToken: string | undefined; publicBaseUrl: string }>,
): MiddlewareHandler {
  return async (c, next) => {
    const { authToken, publicBaseUrl } = await getSettings();
    const signature = c.req.header('x-twilio-signature');
    if (!authToken || !signature) return c.text('Forbidden', 403);
    const form = await readForm(c);
    if (!form.ok) return form.response;
    const received = new URL(c.req.url);
    const url = `${publicBaseUrl}${received.pathname}${received.search}`;
    if (!secretsEqual(signature, twilioSignature(authToken, url, form.pairs))) return c.text('Forbidden', 403);
    await next();
  };
}
