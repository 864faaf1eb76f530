import { Hono, type Context } from 'hono';
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
import type { SmsProviderName } from '../../shared/config';
import { parseForm } from '../../shared/http';
import type { OutboundStatus } from '../../shared/ports';
import type { ChannelServices, Provider } from '../../shared/runtime';
import { handleInboundSms } from '../../shared/sms/service';

/** The SMS webhooks of both providers: inbound messages (shared/sms/service.ts) and delivery reports. */
export function createSmsApp(getDeps: Provider<ChannelServices>): Hono {
  const app = new Hono();
  const atGuard = requireAtToken(async () => (await getDeps()).config.atWebhookToken);
  const twilioGuard = requireTwilioSignature(async () => {
    const { config } = await getDeps();
    return { authToken: config.twilio.authToken, publicBaseUrl: config.publicBaseUrl };
  });
  // A store outage: 503 asks the provider to try again later; nothing was half done.
  const unavailable = (c: Context) => c.text('Service unavailable, try again later', 503, { 'Retry-After': '60' });

  async function applyReport(provider: SmsProviderName, id: string, status: OutboundStatus | undefined, error?: string) {
    const deps = await getDeps();
    if (!status) return true;
    return deps.messages.applyDeliveryReport(provider, id, status, error).then(
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

  app.post('/sms/twilio', twilioGuard, async (c) => {
    const parsed = await parseForm(c, twilioSmsSchema);
    if (!parsed.ok) return parsed.response;
    const { MessageSid, From, Body } = parsed.data;
    const handled = await handleInboundSms(await getDeps(), { provider: 'twilio', providerMessageId: MessageSid, from: From, text: Body });
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
