/**
 * Africa's Talking: parsing and authenticating its webhooks, rendering its replies (docs/providers.md).
 * Africa's Talking signs nothing, so when a token is configured every one of its routes requires it as `?token=`.
 */
import * as z from '../domain/zod';
import { requireQueryToken } from '../http';
import { senderPhoneField } from '../domain/phone';
import type { UssdReply } from '../domain/ussd';
import type { OutboundStatus } from '../ports';

export const atUssdRequestSchema = z.object({
  sessionId: z.string().check(z.minLength(1), z.maxLength(200)),
  serviceCode: z.string().check(z.minLength(1), z.maxLength(50)),
  phoneNumber: z.string().check(z.minLength(3), z.maxLength(32)),
  networkCode: z.optional(z.string().check(z.maxLength(20))),
  text: z._default(z.string().check(z.maxLength(4000)), ''),
});
export type AtUssdRequest = z.infer<typeof atUssdRequestSchema>;

/** The end-of-session notification. */
export const atUssdEventSchema = z.lazy(() => z.object({
  sessionId: z.string().check(z.minLength(1), z.maxLength(200)),
  serviceCode: z.optional(z.string().check(z.maxLength(50))),
  phoneNumber: z.optional(z.string().check(z.maxLength(32))),
  networkCode: z.optional(z.string().check(z.maxLength(20))),
  status: z.optional(z.string().check(z.maxLength(50))),
  durationInMillis: z.optional(z.coerce.number().check(z.nonnegative())),
  hopsCount: z.optional(z.coerce.number().check(z.int(), z.nonnegative())),
  input: z.optional(z.string().check(z.maxLength(4000))),
  lastAppResponse: z.optional(z.string().check(z.maxLength(4000))),
  errorMessage: z.optional(z.string().check(z.maxLength(4000))),
  cost: z.optional(z.string().check(z.maxLength(50))),
  date: z.optional(z.string().check(z.maxLength(50))),
}));

/** The session's inputs, oldest first: `""` is none, `1*2` is two. */
export function ussdPath(text: string): string[] {
  return text === '' ? [] : text.split('*');
}

export function renderUssd(reply: UssdReply): string {
  return `${reply.end ? 'END' : 'CON'} ${reply.text}`;
}

/** 403 unless the request carries the configured token; passes everything when none is configured (local). */
export const requireAtToken = requireQueryToken;

/** An inbound SMS. `date` comes as `2026-11-20 09:20:11` or in ISO form; both are kept as given. */
export const atSmsSchema = z.lazy(() => z.object({
  from: senderPhoneField,
  to: z.string().check(z.minLength(1), z.maxLength(32)),
  /** Required, as in RapidPro's courier: a message without it is not one Africa's Talking sent. */
  text: z.string().check(z.maxLength(2000)),
  date: z.optional(z.string().check(z.maxLength(50))),
  id: z.string().check(z.minLength(1), z.maxLength(200)),
  linkId: z.optional(z.string().check(z.maxLength(200))),
  networkCode: z.optional(z.string().check(z.maxLength(20))),
}));

export const atDeliveryReportSchema = z.lazy(() => z.object({
  id: z.string().check(z.minLength(1), z.maxLength(200)),
  status: z.string().check(z.minLength(1), z.maxLength(50)),
  phoneNumber: z.optional(z.string().check(z.maxLength(32))),
  networkCode: z.optional(z.string().check(z.maxLength(20))),
  failureReason: z.optional(z.string().check(z.maxLength(200))),
  retryCount: z.optional(z.string().check(z.maxLength(10))),
}));

/** Sent, Submitted and Buffered are on their way; Success is delivered; Failed, Rejected and Expired failed. */
export function atDeliveryStatus(status: string): OutboundStatus | undefined {
  switch (status) {
    case 'Sent':
    case 'Submitted':
    case 'Buffered':
      return 'sent';
    case 'Success':
      return 'delivered';
    case 'Failed':
    case 'Rejected':
    case 'Expired':
      return 'failed';
    default:
      return undefined;
  }
}
