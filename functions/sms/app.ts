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
import {
  checkTarget,
  floodDecision,
  parseSmsCommand,
  replyLanguage,
  reportFromSms,
  smsReply,
  type SmsCommand,
  type SmsContext,
} from '../../shared/domain/sms';
import type { Lang } from '../../shared/domain/prompts';
import { identifierValue, normaliseReference } from '../../shared/domain/report';
import { handleOfficerSms, isOfficer } from '../../shared/escalation/service';
import { submitReport } from '../../shared/intake';
import { metrics } from '../../shared/metrics';
import { dushanbeToday } from '../../shared/domain/verify';
import { t } from '../../shared/domain/prompts';
import { parseForm } from '../../shared/http';
import type { OutboundStatus } from '../../shared/outbox/types';
import type { Provider, ChannelDeps } from '../../shared/runtime';

/** An inbound SMS in provider-neutral form. */
export interface InboundSms {
  provider: SmsProviderName;
  providerMessageId: string;
  from: string;
  text: string;
}

/**
 * Handles one inbound SMS exactly once: claim its provider id before any effect, answer through the outbox, then
 * mark it done. Returns false when it could not be handled now (the claim is given back, or left to go stale, so
 * that the provider's retry handles it).
 */
export async function handleInboundSms(deps: ChannelDeps, sms: InboundSms): Promise<boolean> {
  const callerKey = deps.callerKey(sms.from);
  try {
    const claim = await deps.inbound.claim(sms.provider, sms.providerMessageId);
    if (claim !== 'claimed') {
      deps.log.info('sms retry', { provider: sms.provider, providerMessageId: sms.providerMessageId, claim });
      // Still being handled by another attempt (or left by one that died): ask the provider to come back.
      return claim === 'handled';
    }
    await answerSms(deps, sms, callerKey);
  } catch (error) {
    deps.log.error('sms not handled', { provider: sms.provider, callerKey, error });
    // Whether or not the claim was written (a lost response leaves it unknown), give it back; if that fails too,
    // the claim goes stale and a later retry takes it over.
    await deps.inbound.release(sms.provider, sms.providerMessageId).catch(() => undefined);
    return false;
  }
  // Answered: a failure to mark it done only risks answering a late retry twice, never losing it.
  await deps.inbound.done(sms.provider, sms.providerMessageId).catch((error: unknown) => {
    deps.log.warn('sms not marked done', { provider: sms.provider, callerKey, error });
  });
  return true;
}

/** The answer to one claimed SMS: an officer's command, or the migrant flow (flood limit, keywords, reports). */
async function answerSms(deps: ChannelDeps, sms: InboundSms, callerKey: string): Promise<void> {
  // A message handled again (its first attempt failed after answering) is not answered twice.
  const replyTo = `${sms.provider}:${sms.providerMessageId}`;
  // An officer's command (ACK, DONE, WHO…) from a number on the rota; anything else is the migrant flow.
  if (await handleOfficerSms(deps.escalation, sms.from, sms.text)) return;
  const command = parseSmsCommand(sms.text);
  const target = command.name === 'check' ? checkTarget(command.argument, deps.cardHash) : undefined;
  const identifier = target && 'identifier' in target ? target.identifier : undefined;
  // Independent reads side by side: the sender's language, the flood counter, the registry (memory) and, for a
  // CHECK of a number or account, what reports say of it.
  const [stored, countThisHour, officer, registry, reported] = await Promise.all([
    deps.languages.get(callerKey),
    deps.inbound.countThisHour(callerKey),
    isOfficer(deps.escalation, sms.from),
    deps.registry.get().catch((error: unknown) => {
      deps.log.error('registry unavailable', { error });
      return undefined;
    }),
    identifier ? deps.reports.getIdentifierSummary(identifier.kind, identifierValue(identifier)) : undefined,
  ]);
  // Officers are exempt from the flood limit: on a bad night they text a lot.
  const decision = officer ? 'answer' : floodDecision(countThisHour, deps.config.sms.rateLimitPerHour);
  deps.log.info('sms received', { provider: sms.provider, callerKey, command: command.name, decision });
  if (decision === 'silence') return;
  if (decision === 'notice') {
    await deps.outbox.send(sms.from, t(replyLanguage(command, stored?.lang), 'sms.flood'));
    return;
  }
  const lang = replyLanguage(command, stored?.lang);
  if (target) metrics.countVerification(identifier ? identifier.kind : 'name');
  const reply = smsReply(command, {
    ...(await reportOrStatus(deps, sms, command, lang)),
    callerKey,
    storedLang: stored?.lang,
    ussdServiceCode: deps.config.ussdServiceCode,
    registry,
    today: dushanbeToday(),
    cardHash: deps.cardHash,
    reported: reported ? { reporters: reported.reporters, lastSeen: reported.lastSeen } : null,
  });
  for (const effect of reply.effects) await deps.languages.put(callerKey, { lang: effect.lang });
  await deps.outbox.send(sms.from, reply.text, { replyTo });
}

/** What REPORT and STATUS need from the store: the report submitted, or the report looked up. */
async function reportOrStatus(deps: ChannelDeps, sms: InboundSms, command: SmsCommand, lang: Lang): Promise<Partial<SmsContext>> {
  if (command.name === 'report' && command.argument.trim()) {
    const outcome = await submitReport(
      deps.intake,
      { ...reportFromSms(command.argument, lang, sms.from, deps.cardHash), reporterPhone: sms.from },
      // A provider's retry or a double submission of one message: the same report.
      `sms:${sms.provider}:${sms.providerMessageId}`,
    );
    return { submitted: outcome.saved ? { saved: true, report: outcome.report } : { saved: false } };
  }
  const reference = command.name === 'status' ? normaliseReference(command.argument) : undefined;
  if (reference) return { statusReport: (await deps.reports.getByReference(reference)) ?? null };
  return {};
}

/** The SMS webhooks of both providers: inbound messages and delivery reports. */
export function createSmsApp(getDeps: Provider<ChannelDeps>): Hono {
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
