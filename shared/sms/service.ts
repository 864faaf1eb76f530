/**
 * The inbound SMS service, provider-neutral: each message handled exactly once (claimed by its provider id before
 * any effect), an officer's command or the migrant flow (the flood limit, then the keyword's step through the
 * conversation runner; the quiz's commands and answers first, shared/quiz/sms.ts), the answer through the outbox.
 */
import type { SmsProviderName } from '../config';
import { converse, readRegistry } from '../conversation/runner';
import { t } from '../domain/prompts';
import { homeLanguage } from '../domain/language-choice';
import {
  floodDecision,
  readSms,
  replyLanguage,
  reportFromSms,
  reportTextForKey,
  smsStep,
  type HeldReport,
  type SmsCommand,
  type SmsStepEffect,
} from '../domain/sms';
import type { RegistryIndex } from '../domain/registry';
import type { StoredLanguage } from '../domain/ussd';
import { dushanbeToday } from '../domain/verify';
import { handleOfficerSms, isOfficer } from '../escalation/service';
import { submitReport } from '../intake';
import { reportTextKey } from '../privacy';
import { handleAlertSms, subscribe, unsubscribe } from '../outreach/service';
import type { SmsServices } from '../runtime';
import { answerQuizSms } from '../quiz/sms';

/** An inbound SMS in provider-neutral form. */
export interface InboundSms {
  provider: SmsProviderName;
  providerMessageId: string;
  from: string;
  text: string;
  /**
   * The provider handled an opt-out keyword itself (Twilio's Advanced Opt-Out sends `OptOutType`) and has answered
   * it: the subscription follows, silently.
   */
  optOut?: 'stop' | 'start';
}

/**
 * Handles one inbound SMS exactly once: claim its provider id before any effect, answer through the outbox, then
 * mark it done. Returns false when it could not be handled now (the claim is given back, or left to go stale, so
 * that the provider's retry handles it).
 */
export async function handleInboundSms(deps: SmsServices, sms: InboundSms): Promise<boolean> {
  const callerKey = deps.callerKey(sms.from);
  // The reads an answer needs (and the flood count) go beside the claim, not after it: none of them is an effect.
  const ahead = readAhead(deps, sms, callerKey);
  // A failure of these reads is met where they are awaited; when the claim fails first nobody awaits them.
  ahead.catch(() => undefined);
  try {
    const claim = await deps.inbound.claim(sms.provider, sms.providerMessageId);
    if (claim !== 'claimed') {
      deps.log.info('sms retry', { provider: sms.provider, providerMessageId: sms.providerMessageId, claim });
      await giveCountBack(deps, callerKey, ahead);
      // Still being handled by another attempt (or left by one that died): ask the provider to come back.
      return claim === 'handled';
    }
    await answerSms(deps, sms, callerKey, await ahead);
  } catch (error) {
    deps.log.error('sms not handled', { provider: sms.provider, callerKey, error });
    // Whether or not the claim was written (a lost response leaves it unknown), give it back; if that fails too,
    // the claim goes stale and a later retry takes it over.
    await deps.inbound.release(sms.provider, sms.providerMessageId).catch(() => undefined);
    // The provider's retry counts the message again.
    await giveCountBack(deps, callerKey, ahead);
    await keepReport(deps, sms, callerKey);
    return false;
  }
  // Answered: a failure to mark it done only risks answering a late retry twice, never losing it.
  await deps.inbound.done(sms.provider, sms.providerMessageId).catch((error: unknown) => {
    deps.log.warn('sms not marked done', { provider: sms.provider, callerKey, error });
  });
  return true;
}

/** What the answer to one SMS reads before its step, all at once. */
interface ReadAhead {
  command: SmsCommand;
  stored: StoredLanguage | undefined;
  /** This message's count in its hour; none for a provider's opt-out, which no flood limit holds back. */
  counted: { count: number; hour: string } | undefined;
  registry: RegistryIndex | null;
  /** For a YES or a further story: the story held so far. */
  heldReport: HeldReport | null | undefined;
}

function readAhead(deps: SmsServices, sms: InboundSms, callerKey: string): Promise<ReadAhead> {
  // A keyword, or free text read as the check, report or help it amounts to.
  const command = readSms(sms.text, homeLanguage(sms.from));
  return Promise.all([
    deps.languages.get(callerKey),
    sms.optOut ? undefined : deps.inbound.countThisHour(callerKey),
    readRegistry(deps),
    command.name === 'confirm' || command.name === 'offer' ? deps.pendingReports.get(callerKey).then((held) => held ?? null) : undefined,
  ]).then(([stored, counted, registry, heldReport]) => ({ command, stored, counted, registry, heldReport }));
}

/**
 * A message already claimed, or not handled, was counted beside its claim: a retry is no new message (or counts it
 * itself), so the count goes back.
 */
async function giveCountBack(deps: SmsServices, callerKey: string, ahead: Promise<ReadAhead>): Promise<void> {
  try {
    const { counted } = await ahead;
    if (counted) await deps.inbound.uncount(callerKey, counted.hour);
  } catch (error) {
    deps.log.warn('sms retry count not given back', { callerKey, error });
  }
}

/** The answer to one claimed SMS: an officer's command, or the migrant flow (flood limit, keywords, reports). */
async function answerSms(deps: SmsServices, sms: InboundSms, callerKey: string, ahead: ReadAhead): Promise<void> {
  const { command, stored, counted, registry, heldReport } = ahead;
  // A message handled again (its first attempt failed after answering) is not answered twice.
  const replyTo = `${sms.provider}:${sms.providerMessageId}`;
  if (sms.optOut) {
    const caller = { phone: sms.from, key: callerKey };
    const lang = stored?.lang ?? replyLanguage(command, undefined);
    if (sms.optOut === 'stop') await unsubscribe(deps.campaigns, callerKey, lang, 'provider');
    else await subscribe(deps.campaigns, caller, undefined, lang, 'provider');
    return;
  }
  // An officer's command (ACK, DONE, WHO…; SCAM, APPROVE) from a number on the rota; anything else is the migrant flow.
  if (await handleOfficerSms(deps.escalation, sms.from, sms.text)) return;
  if (await handleAlertSms(deps.campaigns, sms.from, sms.text)) return;
  // A STOP is never held back by the flood limit: it must end the broadcasts at once.
  const byCount = command.name === 'stop' || !counted ? 'answer' : floodDecision(counted.count, deps.config.sms.rateLimitPerHour);
  // Officers are exempt: on a bad night they text a lot. The rota is read only for a number over the limit.
  const decision = byCount !== 'answer' && (await isOfficer(deps.escalation, sms.from)) ? 'answer' : byCount;
  deps.log.info('sms received', { provider: sms.provider, callerKey, command: command.name, decision });
  if (decision === 'silence') return;
  if (decision === 'notice') {
    await deps.outbox.send(sms.from, t(replyLanguage(command, stored?.lang), 'sms.flood'));
    return;
  }
  const quizReply = await answerQuizSms(deps, {
    from: sms.from,
    callerKey,
    text: sms.text,
    command,
    storedLang: stored?.lang,
    attemptId: `sms:${sms.provider}:${sms.providerMessageId}`,
  });
  if (quizReply !== undefined) {
    await deps.outbox.send(sms.from, quizReply, { replyTo });
    return;
  }
  await converse(deps, {
    caller: { phone: sms.from, key: callerKey },
    channel: 'sms',
    data: { registry, today: dushanbeToday(deps.now()), cardHash: deps.cardHash, reported: new Map() },
    step: (data) =>
      smsStep({ command, storedLang: stored?.lang, callerKey, ussdServiceCode: deps.config.ussdServiceCode, heldReport, data }),
    filing: {
      reportOf: (effect: SmsStepEffect) =>
        effect.type === 'submitReport' ? reportFromSms(effect.text, effect.lang, sms.from, deps.cardHash) : undefined,
      idempotencyKey: reportKey(callerKey, command, heldReport?.text, `${sms.provider}:${sms.providerMessageId}`),
      // The reply to REPORT is the confirmation.
      confirmBySms: false,
      reachableBySms: true,
    },
    rememberLanguage: (lang) => deps.languages.put(callerKey, { lang }),
    // A failed read fails the message: the provider's retry answers it whole.
    strictLookups: true,
    answer: async ({ result, submitted }) => {
      // Held before the offer goes out, so that however fast the YES comes it finds the story.
      for (const effect of result.effects) {
        if (effect.type === 'holdReport') await deps.pendingReports.hold(callerKey, { text: effect.text, lang: effect.lang });
        if (effect.type === 'shareReport') await deps.intake.reports.recordSharingConsent(effect.reference, true, new Date(deps.now()).toISOString());
      }
      // Kept until stored: a YES sent again after a failure files it then (the same report, by its key).
      if (command.name === 'confirm' && submitted?.outcome.saved) await deps.pendingReports.clear(callerKey);
      // An empty reply is silence: a STOP from someone with nothing to stop is not answered (STOP is confirmed once).
      if (result.reply.text) await deps.outbox.send(sms.from, result.reply.text, { replyTo });
    },
  });
}

/**
 * A REPORT that could not be handled (the store is down) is filed anyway, so that intake journals it: kept even
 * if the provider gives up retrying. Its key is the one a retry files it under, so the retry and the replay make
 * one report. A YES or a story held for an offer is in the store and cannot be filed now; the retry files it.
 */
async function keepReport(deps: SmsServices, sms: InboundSms, callerKey: string): Promise<void> {
  const command = readSms(sms.text, homeLanguage(sms.from));
  const { effects } = smsStep({
    command,
    storedLang: undefined,
    callerKey,
    ussdServiceCode: deps.config.ussdServiceCode,
    heldReport: undefined,
    data: { registry: undefined, today: dushanbeToday(deps.now()), cardHash: deps.cardHash, reported: new Map() },
  });
  const filed = effects.find((effect) => effect.type === 'submitReport');
  if (!filed) return;
  await submitReport(
    deps.intake,
    { ...reportFromSms(filed.text, filed.lang, sms.from, deps.cardHash), reporterPhone: sms.from },
    reportKey(callerKey, command, undefined, `${sms.provider}:${sms.providerMessageId}`),
    // The provider may give up retrying: then the replay texts the reference.
    { confirmBySms: false, reachableBySms: true },
  ).catch((error: unknown) => deps.log.error('sms report not kept', { provider: sms.provider, callerKey, error }));
}

/**
 * The idempotency key of the report an SMS may file. The same text from the same number is one report, however it
 * came (a provider's retry, a REPORT sent twice, a story confirmed with YES twice): the sender's key and a keyed
 * hash of the normalised text, never the text. A message that files nothing keeps its provider id.
 */
function reportKey(callerKey: string, command: SmsCommand, heldText: string | undefined, messageId: string): string {
  const text = command.name === 'report' ? command.argument : command.name === 'confirm' ? heldText : undefined;
  return text?.trim() ? `sms:${callerKey}:${reportTextKey(callerKey, reportTextForKey(text))}` : `sms:${messageId}`;
}
