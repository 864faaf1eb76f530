import { Hono } from 'hono';
import {
  atUssdEventSchema,
  atUssdRequestSchema,
  renderUssd,
  requireAtToken,
  ussdPath,
} from '../../shared/channels/africastalking';
import { unavailableReply } from '../../shared/domain/ussd';
import { parseForm } from '../../shared/http';
import type { ChannelServices, Provider } from '../../shared/runtime';
import { answerUssd } from '../../shared/ussd/service';

/** The USSD webhooks: parse, authenticate, answer (shared/ussd/service.ts), render. */
export function createUssdApp(getDeps: Provider<ChannelServices>): Hono {
  const app = new Hono();
  const guard = requireAtToken(async () => (await getDeps()).config.atWebhookToken);

  app.get('/health', (c) => c.json({ status: 'ok' }));
  // A gateway ends the session on any non-200 answer; a caller hit by a bug still gets a polite last screen.
  app.onError(async (error, c) => {
    (await getDeps().catch(() => undefined))?.log.error('unexpected error', { path: c.req.path, error });
    return c.text(renderUssd(unavailableReply(undefined)));
  });

  app.post('/ussd/africastalking', guard, async (c) => {
    const parsed = await parseForm(c, atUssdRequestSchema);
    if (!parsed.ok) return parsed.response;
    const { sessionId, phoneNumber, text } = parsed.data;
    const reply = await answerUssd(await getDeps(), { sessionId, phone: phoneNumber, path: ussdPath(text) });
    return c.text(renderUssd(reply));
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
