/**
 * Africa's Talking: parsing and authenticating its webhooks, rendering its replies (docs/providers.md).
 * Africa's Talking signs nothing, so when a token is configured every one of its routes requires it as `?token=`.
 */
import * as z from 'zod';
import { requireQueryToken } from '../http';
import { senderPhoneField } from '../domain/phone';
import type { UssdReply } from '../domain/ussd';
import type { OutboundStatus } from '../ports';

export const atUssdRequestSchema = z.object({
  sessionId: z.string().min(1).max(200),
  serviceCode: z.string().min(1).max(50),
  phoneNumber: z.string().min(3).max(32),
  networkCode: z.string().max(20).optional(),
  text: z.string().max(4000).default(''),
});
export type AtUssdRequest = z.infer<typeof atUssdRequestSchema>;

/** The end-of-session notification. */
export const atUssdEventSchema = z.object({
  sessionId: z.string().min(1).max(200),
  serviceCode: z.string().max(50).optional(),
  phoneNumber: z.string().max(32).optional(),
  networkCode: z.string().max(20).optional(),
  status: z.string().max(50).optional(),
  durationInMillis: z.coerce.number().nonnegative().optional(),
  hopsCount: z.coerce.number().int().nonnegative().optional(),
  input: z.string().max(4000).optional(),
  lastAppResponse: z.string().max(4000).optional(),
  errorMessage: z.string().max(4000).optional(),
  cost: z.string().max(50).optional(),
  date: z.string().max(50).optional(),
});

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
export const atSmsSchema = z.object({
  from: senderPhoneField,
  to: z.string().min(1).max(32),
  /** Required, as in RapidPro's courier: a message without it is not one Africa's Talking sent. */
  text: z.string().max(2000),
  date: z.string().max(50).optional(),
  id: z.string().min(1).max(200),
  linkId: z.string().max(200).optional(),
  networkCode: z.string().max(20).optional(),
});

export const atDeliveryReportSchema = z.object({
  id: z.string().min(1).max(200),
  status: z.string().min(1).max(50),
  phoneNumber: z.string().max(32).optional(),
  networkCode: z.string().max(20).optional(),
  failureReason: z.string().max(200).optional(),
  retryCount: z.string().max(10).optional(),
});

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
