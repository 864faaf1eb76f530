/**
 * Africa's Talking: parsing and authenticating its webhooks, rendering its replies (DESIGN.md §6).
 * Africa's Talking signs nothing, so when a token is configured every one of its routes requires it as `?token=`.
 */
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { secretsEqual } from '../privacy';
import type { UssdReply } from '../domain/ussd';

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
export function requireAtToken(getToken: () => Promise<string | undefined>): MiddlewareHandler {
  return async (c, next) => {
    const expected = await getToken();
    if (expected !== undefined && !secretsEqual(c.req.query('token') ?? '', expected)) {
      return c.text('Forbidden', 403);
    }
    await next();
  };
}
