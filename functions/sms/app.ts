import type { Context } from 'hono';
// The preset with PatternRouter: 6 KB less to load, and no router to compile at a container's first request (docs/decisions.md).
import { Hono } from 'hono/tiny';
import {
  atDeliveryReportSchema,
  atDeliveryStatus,
  atSmsSchema,
  requireAtToken,
} from '../../shared/channels/africastalking';
import {
  EMPTY_TWIML,
  requireTwilioSignature,
  twilioDeliveryStatus,
  twilioSmsSchema,
  twilioStatusSchema,
} from '../../shared/channels/twilio';
import {
  kannelDeliveryReportSchema,
  kannelDeliveryStatus,
  kannelParams,
  parseKannelSms,
} from '../../shared/channels/kannel';
import type { SmsProviderName } from '../../shared/config';
import { parseForm, requireQueryToken, webhookBodyLimit, webhookStoreBudget } from '../../shared/http';
import type { OutboundStatus } from '../../shared/ports';
import type { Provider, SmsServices } from '../../shared/runtime';
import { handleInboundSms } from '../../shared/sms/service';

/** The SMS webhooks of both providers: inbound messages (shared/sms/service.ts) and delivery reports. */
export function createSmsApp(getDeps: Provider<SmsServices>): Hono {
  const app = new Hono();
  // Before any guard or parser: a signature check reads the body too.
  app.use('/sms/*', webhookBodyLimit);
  app.use('/sms/*', webhookStoreBudget(async () => (await getDeps()).config.webhookStoreBudgetMs));
  const atGuard = requireAtToken(async () => (await getDeps()).config.atWebhookToken);
  const twilioGuard = requireTwilioSignature(async () => {
    const { config } = await getDeps();
    return { authToken: config.twilio.authToken, publicBaseUrl: config.publicBaseUrl };
  });
  const kannelGuard = requireQueryToken(async () => (await getDeps()).config.kannel.webhookToken);
  // A store outage: 503 asks the provider to try again later; nothing was half done.
  const unavailable = (c: Context) => c.text('Service unavailable, try again later', 503, { 'Retry-After': '60' });

  /** `id` is the provider's message id, or with `ownId` the outbox's (Kannel's dlr-url carries ours). */
  async function applyReport(provider: SmsProviderName, id: string, status: OutboundStatus | undefined, error?: string, ownId = false) {
    const deps = await getDeps();
    if (!status) return true;
    const applied = ownId
      ? deps.messages.applyDeliveryReportToMessage(id, status, error)
      : deps.messages.applyDeliveryReport(provider, id, status, error);
    return applied.then(
      () => true,
      (failure: unknown) => {
        deps.log.error('delivery report not applied', { provider, providerMessageId: id, error: failure });
        return false;
      },
    );
  }

  app.post('/sms/africastalking', atGuard, async (c) => {
    const parsed = await parseForm(c, atSmsSchema);
    if (!parsed.ok) return parsed.response;
    const { id, from, text } = parsed.data;
    const handled = await handleInboundSms(await getDeps(), { provider: 'africastalking', providerMessageId: id, from, text });
    return handled ? c.text('OK') : unavailable(c);
  });

  app.post('/sms/africastalking/delivery', atGuard, async (c) => {
    const parsed = await parseForm(c, atDeliveryReportSchema);
    if (!parsed.ok) return parsed.response;
    const { id, status, failureReason } = parsed.data;
    return (await applyReport('africastalking', id, atDeliveryStatus(status), failureReason)) ? c.text('OK') : unavailable(c);
  });

  // Kannel's sms-service (`get-url`, or `post-url`): the reply leaves through the outbox, so the answer is empty
  // (the sample kannel.conf sets max-messages = 0); `%I` makes Kannel's retry of one message a duplicate.
  app.on(['GET', 'POST'], '/sms/kannel', kannelGuard, async (c) => {
    const parsed = parseKannelSms(await kannelParams(c.req.raw));
    if (!parsed.ok) return c.text(`Bad request: ${parsed.reason}`, 400);
    const { id, from, text } = parsed.data;
    const handled = await handleInboundSms(await getDeps(), { provider: 'kannel', providerMessageId: id, from, text });
    return handled ? c.body(null, 200) : unavailable(c);
  });

  // The dlr-url of every SMS sent through Kannel: `id` is the outbox's message id, `type` Kannel's `%d`.
  app.on(['GET', 'POST'], '/sms/kannel/delivery', kannelGuard, async (c) => {
    const params = Object.fromEntries([...(await kannelParams(c.req.raw))].map(([name, value]) => [name, value.toString('utf8')]));
    const parsed = kannelDeliveryReportSchema.safeParse(params);
    if (!parsed.success) return c.text('Bad request: id and type (%d) are required', 400);
    const { id, type } = parsed.data;
    const status = kannelDeliveryStatus(Number(type));
    const applied = await applyReport('kannel', id, status, status === 'failed' ? `Kannel DLR type ${type}` : undefined, true);
    return applied ? c.body(null, 200) : unavailable(c);
  });

  app.post('/sms/twilio', twilioGuard, async (c) => {
    const parsed = await parseForm(c, twilioSmsSchema);
    if (!parsed.ok) return parsed.response;
    const { MessageSid, From, Body, OptOutType } = parsed.data;
    const optOut = OptOutType === 'STOP' ? 'stop' : OptOutType === 'START' ? 'start' : undefined;
    const handled = await handleInboundSms(await getDeps(), {
      provider: 'twilio',
      providerMessageId: MessageSid,
      from: From,
      text: Body,
      ...(optOut ? { optOut } : {}),
    });
    return handled ? c.body(EMPTY_TWIML, 200, { 'Content-Type': 'text/xml' }) : unavailable(c);
  });

  app.post('/sms/twilio/status', twilioGuard, async (c) => {
    const parsed = await parseForm(c, twilioStatusSchema);
    if (!parsed.ok) return parsed.response;
    const { MessageSid, MessageStatus, ErrorCode } = parsed.data;
    const applied = await applyReport('twilio', MessageSid, twilioDeliveryStatus(MessageStatus), ErrorCode && `Twilio error ${ErrorCode}`);
    return applied ? c.body(EMPTY_TWIML, 200, { 'Content-Type': 'text/xml' }) : unavailable(c);
  });

  return app;
}
