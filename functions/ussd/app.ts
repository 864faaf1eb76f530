import type { Context } from 'hono';
// The preset with PatternRouter: 6 KB less to load, and no router to compile at a container's first request (docs/decisions.md).
import { Hono } from 'hono/tiny';
import {
  atUssdEventSchema,
  atUssdRequestSchema,
  renderUssd,
  requireAtToken,
  ussdPath,
} from '../../shared/channels/africastalking';
import {
  KANNEL_USSD_LIMITS,
  kannelParams,
  kannelUssdResponse,
  parseKannelUssd,
  ussdSessionEvent,
  ussdSessionInfoOf,
  ussdSessionNumber,
} from '../../shared/channels/kannel';
import { unavailableReply, type UssdReply } from '../../shared/domain/ussd';
import { deepHealth } from '../../shared/health';
import { parseForm, requireQueryToken, webhookBodyLimit, webhookStoreBudget } from '../../shared/http';
import type { Provider, UssdServices } from '../../shared/runtime';
import { answerUssd, answerUssdInput } from '../../shared/ussd/service';

function kannelScreen(c: Context, reply: UssdReply, sessionInfo: Buffer): Response {
  const { body, headers } = kannelUssdResponse(reply, sessionInfo);
  return c.body(body, 200, headers);
}

/** The USSD webhooks: parse, authenticate, answer (shared/ussd/service.ts), render. */
export function createUssdApp(getDeps: Provider<UssdServices>): Hono {
  const app = new Hono();
  // Before any guard or parser: a signature check reads the body too.
  app.use('/ussd/*', webhookBodyLimit);
  app.use('/ussd/*', webhookStoreBudget(async () => (await getDeps()).config.webhookStoreBudgetMs));
  const guard = requireAtToken(async () => (await getDeps()).config.atWebhookToken);
  const kannelGuard = requireQueryToken(async () => (await getDeps()).config.kannel.webhookToken);

  app.get('/health', (c) => c.json({ status: 'ok' }));
  // For operators and alarms: 503 with what is wrong (shared/health.ts), also when the services cannot start.
  app.get('/health/deep', async (c) => {
    const deps = await getDeps().catch(() => undefined);
    if (!deps) return c.json({ status: 'failing', problem: 'configuration or secrets could not be loaded' }, 503);
    const health = await deepHealth(deps);
    return c.json(health, health.status === 'ok' ? 200 : 503);
  });
  // A gateway ends the session on any non-200 answer; a caller hit by a bug still gets a polite last screen.
  app.onError(async (error, c) => {
    (await getDeps().catch(() => undefined))?.log.error('unexpected error', { path: c.req.path, error });
    if (c.req.path.startsWith('/ussd/kannel')) return kannelScreen(c, unavailableReply(undefined), ussdSessionInfoOf(c.req.url));
    return c.text(renderUssd(unavailableReply(undefined)));
  });

  app.post('/ussd/africastalking', guard, async (c) => {
    const parsed = await parseForm(c, atUssdRequestSchema);
    if (!parsed.ok) return parsed.response;
    const { sessionId, phoneNumber, text } = parsed.data;
    const reply = await answerUssd(await getDeps(), { sessionId, phone: phoneNumber, path: ussdPath(text) });
    return c.text(renderUssd(reply));
  });

  // SMPP USSD through Kannel: one input per message, the session's path kept in the store (docs/kannel.md); the
  // screen goes back in this answer, with its coding and TLVs in X-Kannel headers.
  app.on(['GET', 'POST'], '/ussd/kannel', kannelGuard, async (c) => {
    const parsed = parseKannelUssd(await kannelParams(c.req.raw));
    if (!parsed.ok) return c.text(`Bad request: ${parsed.reason}`, 400);
    const message = parsed.data;
    const reply = await answerUssdInput(await getDeps(), {
      phone: message.from,
      session: ussdSessionNumber(message.sessionInfo),
      event: ussdSessionEvent(message),
      maxLimits: KANNEL_USSD_LIMITS,
    });
    return kannelScreen(c, reply, message.sessionInfo);
  });

  app.post('/ussd/africastalking/events', guard, async (c) => {
    const parsed = await parseForm(c, atUssdEventSchema);
    if (!parsed.ok) return parsed.response;
    const { sessionId, status, durationInMillis, hopsCount, errorMessage } = parsed.data;
    (await getDeps()).log.info('ussd session ended', { sessionId, status, durationInMillis, hopsCount, errorMessage });
    return c.text('OK');
  });

  return app;
}
