/**
 * A message left on the voice line: its report, and the urgent line's officers rung level by level.
 */
import type { Lang } from '../prompts';
import type { ReportDraft } from '../report';
import type { Segment } from './spoken';
import type { VoiceAction, VoiceEffect, VoiceState } from './call-state';
import { ask, type Context, HANGUP, prompt, retry, ringLevel, say } from './questions';

export function recorded(ctx: Context, state: VoiceState, lang: Lang): VoiceAction[] {
  const { input, data, canText } = ctx.request;
  const recording = input.recording;
  if (!recording) return retry(ctx, state, 'voice.report.empty');
  const urgent = state.step === 'urgent';
  if (!data.submitted) {
    ctx.effects.push(
      urgent
        ? { type: 'startEscalation', lang, recording }
        : {
            type: 'submitReport',
            lang,
            recording,
            callbackConsent: state.callback ?? false,
            ...(state.share !== undefined ? { sharingConsent: state.share } : {}),
          },
    );
    return [];
  }
  const closing = [...(urgent ? [prompt(lang, 'voice.urgent.danger')] : []), prompt(lang, 'voice.goodbye')];
  if (!data.submitted.saved) {
    // Kept for a replay: the caller must not call again to repeat it.
    if (!data.submitted.journaled) return [say(prompt(lang, 'voice.report.failed'), ...closing), HANGUP];
    const bySms = data.submitted.referenceBySms ? [prompt(lang, 'voice.report.keptSms')] : [];
    return [say(prompt(lang, 'voice.report.kept'), ...bySms, ...closing), HANGUP];
  }
  const reference: Segment = { kind: 'chars', chars: data.submitted.report.reference, lang };
  return [
    say(
      prompt(lang, urgent ? 'voice.urgent.received' : 'voice.report.received'),
      reference,
      prompt(lang, 'voice.report.repeat'),
      reference,
      ...(canText ? [prompt(lang, 'voice.report.sms')] : []),
      ...closing,
    ),
    HANGUP,
  ];
}

export function urgentHelp(ctx: Context, lang: Lang): VoiceAction[] {
  const onCall = ctx.request.data.onCall;
  if (!onCall) {
    ctx.needs.push({ type: 'onCall' });
    return [];
  }
  if (onCall.length === 0) {
    ctx.event = 'no_officer_on_call';
    return ask(ctx, { step: 'urgent', lang, tries: 0 });
  }
  return [say(prompt(lang, 'voice.urgent.connecting')), ...ringLevel(ctx, lang, 1)];
}

export function afterDial(ctx: Context, state: VoiceState, lang: Lang): VoiceAction[] {
  if (ctx.request.input.dialAnswered) {
    ctx.event = 'officer_answered';
    return [say(prompt(lang, 'voice.urgent.ended'), prompt(lang, 'voice.goodbye')), HANGUP];
  }
  const onCall = ctx.request.data.onCall;
  if (!onCall) {
    ctx.needs.push({ type: 'onCall' });
    return [];
  }
  const next = (state.level ?? 1) + 1;
  if (!onCall[next - 1]) {
    ctx.event = 'officers_unanswered';
    return ask(ctx, { step: 'urgent', lang, tries: 0 });
  }
  return [say(prompt(lang, 'voice.urgent.next')), ...ringLevel(ctx, lang, next)];
}

/**
 * The report a voice message makes: what happened is in the recording, for an officer to hear. An urgent message
 * is filed as "abroad and in trouble", which triage always finds urgent, and with consent to a call-back: the
 * caller was told before the beep that an officer would call back on this number. A caller whose number is withheld
 * (`canCallBack` false: the provider's placeholder, not a number) never consents: nothing is dialled or texted to a
 * placeholder.
 */
export function reportFromVoice(
  effect: Extract<VoiceEffect, { type: 'submitReport' | 'startEscalation' }>,
  canCallBack: boolean,
): Omit<ReportDraft, 'urgency' | 'createdAt' | 'reporterKey'> {
  const urgent = effect.type === 'startEscalation';
  const { url, durationSeconds } = effect.recording;
  return {
    channel: 'voice',
    lang: effect.lang,
    category: urgent ? 'abroad_in_trouble' : 'other',
    paid: 'unknown',
    identifiers: [],
    callbackConsent: canCallBack && (urgent || effect.callbackConsent),
    // Not asked before an urgent message: a caller in danger is not kept on the line for it (an officer asks).
    ...(effect.type === 'submitReport' && effect.sharingConsent !== undefined ? { sharingConsent: effect.sharingConsent } : {}),
    recordingUrl: url,
    ...(durationSeconds !== undefined ? { recordingDurationSeconds: durationSeconds } : {}),
  };
}
