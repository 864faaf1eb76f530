/**
 * Twilio webhooks: signature check, parsing, status mapping, and the empty TwiML answer (replies leave through
 * the outbox, like every other SMS).
 */
import type { MiddlewareHandler } from 'hono';
import { validateRequest } from 'twilio/lib/webhooks/webhooks';
import * as z from 'zod';
import { senderPhoneField } from '../domain/phone';
import type { OutboundStatus } from '../ports';

/** Twilio adds parameters over time; the signature covers whatever arrives, and unknown ones pass. */
export const twilioSmsSchema = z
  .object({
    MessageSid: z.string().min(1).max(64),
    From: senderPhoneField,
    To: z.string().min(1).max(64),
    Body: z.string().max(2000),
    NumMedia: z.string().max(3).optional(),
    /** Twilio's Advanced Opt-Out handled the keyword (and answered it): STOP, START or HELP. */
    OptOutType: z.string().max(20).optional(),
  })
  .passthrough();

export const twilioStatusSchema = z
  .object({
    MessageSid: z.string().min(1).max(64),
    MessageStatus: z.string().min(1).max(30),
    ErrorCode: z.string().max(10).optional(),
  })
  .passthrough();

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
 * 403 unless `X-Twilio-Signature` is valid for the public URL (`PUBLIC_BASE_URL` + path + query as received,
 * since API Gateway and proxies change the host) and every form parameter. No auth token configured: 403.
 */
export function requireTwilioSignature(
  getSettings: () => Promise<{ authToken: string | undefined; publicBaseUrl: string }>,
): MiddlewareHandler {
  return async (c, next) => {
    const { authToken, publicBaseUrl } = await getSettings();
    const signature = c.req.header('x-twilio-signature');
    const received = new URL(c.req.url);
    const url = `${publicBaseUrl}${received.pathname}${received.search}`;
    let params: Record<string, string> = {};
    try {
      params = Object.fromEntries(
        Object.entries(await c.req.parseBody()).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      );
    } catch {
      return c.text('Forbidden', 403);
    }
    if (!authToken || !signature || !validateRequest(authToken, signature, url, params)) return c.text('Forbidden', 403);
    await next();
  };
}
