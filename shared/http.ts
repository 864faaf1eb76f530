import { withinBudget } from './store/deadline';
import type { Context, MiddlewareHandler } from 'hono';
import type * as z from './domain/zod';
import { secretsEqual } from './privacy';

/**
 * 403 unless the request carries the configured `?token=` (compared in constant time), for gateways that sign
 * nothing; passes everything when none is configured (local).
 */
export function requireQueryToken(getToken: () => Promise<string | undefined>): MiddlewareHandler {
  return async (c, next) => {
    const expected = await getToken();
    if (expected !== undefined && !secretsEqual(c.req.query('token') ?? '', expected)) {
      return c.text('Forbidden', 403);
    }
    await next();
  };
}

/** Every provider posts its webhooks as this, and nothing else. */
const FORM_TYPE = 'application/x-www-form-urlencoded';

/**
 * A webhook's form, as the name-value pairs in the order they arrived (repeats kept), or a 415 for any other body
 * (multipart above all: no provider sends it, and a second parser is a second reading of what was signed). The one
 * parser of webhook forms: the Twilio signature check and parseForm see the same pairs.
 */
export async function readForm(c: Context): Promise<{ ok: true; pairs: [string, string][] } | { ok: false; response: Response }> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== FORM_TYPE) return { ok: false, response: c.text(`Unsupported media type: send ${FORM_TYPE}`, 415) };
  return { ok: true, pairs: [...new URLSearchParams(await c.req.text())] };
}

/**
 * A provider's form-encoded webhook body, validated: the data, or a response (415 for another media type, 400 with a
 * short reason). A repeated name is refused: which of its values would count is a guess, and no provider repeats one.
 */
export async function parseForm<S extends z.ZodMiniType>(
  c: Context,
  schema: S,
): Promise<{ ok: true; data: z.output<S> } | { ok: false; response: Response }> {
  const form = await readForm(c);
  if (!form.ok) return form;
  const body = new Map<string, string>();
  for (const [name, value] of form.pairs) {
    if (body.has(name)) return { ok: false, response: c.text(`Bad request: ${name.slice(0, 40)} is repeated`, 400) };
    body.set(name, value);
  }
  const parsed = schema.safeParse(Object.fromEntries(body));
  if (parsed.success) return { ok: true, data: parsed.data };
  const reason = parsed.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
    .join('; ');
  return { ok: false, response: c.text(`Bad request: ${reason}`, 400) };
}

/** No provider's webhook comes near this; a bigger body is refused before anything parses it. */
export const MAX_WEBHOOK_BODY_BYTES = 64 * 1024;

/**
 * 413 for a webhook body over MAX_WEBHOOK_BODY_BYTES, counted as it streams in (a lying Content-Length does not
 * help). The rest of an oversized body is read and dropped, never kept, so that the sender gets its 413 instead of a
 * connection closed under it.
 */
export const webhookBodyLimit: MiddlewareHandler = async (c, next) => {
  const body = c.req.raw.body;
  if (!body) return next();
  const kept: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      size += chunk.value.byteLength;
      if (size <= MAX_WEBHOOK_BODY_BYTES) kept.push(chunk.value);
    }
  } catch {
    // A body cut short or badly chunked: nothing to parse.
    return c.text('Bad request: the body could not be read', 400);
  }
  if (size > MAX_WEBHOOK_BODY_BYTES) return c.text('Payload too large', 413);
  c.req.raw = new Request(c.req.raw, { body: Buffer.concat(kept) });
  await next();
};

/**
 * Every store call of a webhook request within one budget (shared/store/deadline.ts), so that several slow calls
 * in a row cannot keep the caller past the gateway's deadline: each channel then gives its polite answer.
 */
export function webhookStoreBudget(budgetMs: () => Promise<number>): MiddlewareHandler {
  return async (_c, next) => withinBudget(await budgetMs(), next);
}
