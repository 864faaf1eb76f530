import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod';
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

/** A provider's form-encoded webhook body, validated: the data, or a 400 response with a short reason. */
export async function parseForm<S extends z.ZodType>(
  c: Context,
  schema: S,
): Promise<{ ok: true; data: z.output<S> } | { ok: false; response: Response }> {
  let body: Record<string, unknown>;
  try {
    body = await c.req.parseBody();
  } catch {
    return { ok: false, response: c.text('Bad request: the body is not a form', 400) };
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, data: parsed.data };
  const reason = parsed.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
    .join('; ');
  return { ok: false, response: c.text(`Bad request: ${reason}`, 400) };
}

/** No provider's webhook comes near this; a bigger body is refused before anything reads or parses it. */
export const MAX_WEBHOOK_BODY_BYTES = 64 * 1024;

/** 413 for a webhook body over MAX_WEBHOOK_BODY_BYTES, counted as it streams in (a lying Content-Length too). */
export const webhookBodyLimit: MiddlewareHandler = bodyLimit({
  maxSize: MAX_WEBHOOK_BODY_BYTES,
  onError: (c) => c.text('Payload too large', 413),
});
