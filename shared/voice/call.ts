/**
 * The voice line's calls, provider-neutral: one provider callback is one turn of the conversation runner (the
 * pure step: shared/domain/voice/); the entry point (functions/voice) parses the callback and renders the
 * actions for its provider. Also the calls that are not a caller's turn: Africa's Talking's final callback after
 * hang-up, and the officer's end of a CALL bridge.
 */
import { converse, readRegistry } from '../conversation/runner';
import type { Lang } from '../domain/prompts';
import { E164 } from '../domain/registry';
import { dushanbeToday } from '../domain/verify';
import {
  START,
  pressedKeys,
  reportFromVoice,
  voiceStep,
  type OnCallDirectory,
  type VoiceEffect,
  type VoiceInput,
  type VoiceResult,
  type VoiceSettings,
  type VoiceState,
} from '../domain/voice';
import { normalisePhone } from '../domain/phone';
import { homeLanguage } from '../domain/language-choice';
import type { VoiceServices } from '../runtime';

export type VoiceProvider = 'twilio' | 'africastalking';

/** One provider callback, provider-neutral. */
export interface VoiceCall {
  provider: VoiceProvider;
  callId: string;
  /** The caller's number as the provider gives it (possibly withheld). */
  caller: string;
  /** The hotline number called: the caller ID officers see when the urgent line rings them. */
  hotline?: string;
  state: VoiceState;
  input: VoiceInput;
}

/** Numbers Twilio uses for a withheld or unknown caller ID. */
const WITHHELD = new Set(['+266696687', '+86282452253', '+7378742833', '+2562533', '+8656696']);

/** Whether a caller's number can be texted and remembered: a real number, not a withheld one. */
export function callerReachable(raw: string): boolean {
  const phone = normalisePhone(raw);
  return E164.test(phone) && !WITHHELD.has(phone);
}

/** The language of the caller's country, when the number says (a withheld number does not). */
function homeLanguageOf(caller: string): { homeLang?: Lang } {
  const homeLang = homeLanguage(caller);
  return homeLang ? { homeLang } : {};
}

/** The line's settings, and who its urgent help rings when not the officers on duty in the table (tests). */
export interface VoiceLine {
  settings: VoiceSettings;
  onCall?: OnCallDirectory;
}

/** One callback of a caller's call: its turn through the runner, the language remembered, a log line. */
export async function answerCall(deps: VoiceServices, line: VoiceLine, call: VoiceCall): Promise<VoiceResult> {
  const callerKey = deps.callerKey(call.caller);
  const reachable = callerReachable(call.caller);
  const [storedLang, registry] = await Promise.all([
    call.state.lang === undefined && reachable ? storedLanguage(deps, callerKey) : undefined,
    readRegistry(deps),
  ]);
  const { result, submitted } = await converse(line.onCall ? { ...deps, onCall: line.onCall } : deps, {
    caller: { phone: call.caller, key: callerKey },
    channel: 'voice',
    data: { registry, today: dushanbeToday(deps.now()), cardHash: deps.cardHash, reported: new Map() },
    step: (data) =>
      voiceStep({
        state: call.state,
        input: call.input,
        ...(storedLang ? { storedLang } : {}),
        ...homeLanguageOf(call.caller),
        canText: reachable,
        settings: line.settings,
        data,
      }),
    filing: {
      reportOf: (effect: VoiceEffect) =>
        effect.type === 'submitReport' || effect.type === 'startEscalation' ? reportFromVoice(effect, reachable) : undefined,
      // One report per call: a provider's retry, or the final callback repeating the recording, finds the same one.
      idempotencyKey: `voice:${call.provider}:${call.callId}`,
      confirmBySms: reachable,
      reachableBySms: reachable,
    },
    // One taking per call and answers: a provider's retry of the last key records it once.
    quiz: { attemptId: `voice:${call.provider}:${call.callId}:${call.state.answers ?? ''}${pressedKeys(call.input.digits)}`, channel: 'voice', canText: reachable },
    rememberLanguage: async (lang) => {
      if (!reachable) return;
      await deps.languages
        .put(callerKey, { lang })
        .catch((error: unknown) => deps.log.error('language write failed', { callerKey, error }));
    },
  });
  if (submitted?.outcome.saved) {
    const { report, created } = submitted.outcome;
    deps.log.info('voice report taken', { provider: call.provider, callId: call.callId, reference: report.reference, urgent: report.urgency.urgent, created });
    if (submitted.by.type === 'startEscalation' && !report.urgency.urgent) {
      deps.log.error('urgent voice message not triaged urgent; no escalation', { reference: report.reference });
    }
  }
  deps.log.info('voice callback', {
    provider: call.provider,
    callId: call.callId,
    callerKey,
    step: call.state.step,
    tries: call.state.tries,
    ...(result.event ? { event: result.event } : {}),
  });
  return result;
}

function storedLanguage(deps: VoiceServices, callerKey: string): Promise<Lang | undefined> {
  return deps.languages.get(callerKey).then(
    (stored) => stored?.lang,
    (error: unknown) => {
      deps.log.error('language lookup failed', { callerKey, error });
      return undefined;
    },
  );
}

/**
 * Africa's Talking sends its last callback (after hang-up, with the recording of a caller who hung up while
 * speaking) to the number's own URL, without the state our callback URLs carry. A call that reached the urgent line
 * is remembered (best effort, for two hours) so that such a message still starts the escalation.
 */
const URGENT_CALL_MEMORY_SECONDS = 2 * 3600;

export async function rememberUrgentCall(deps: VoiceServices, call: VoiceCall): Promise<void> {
  const expiresAt = Math.floor(deps.now() / 1000) + URGENT_CALL_MEMORY_SECONDS;
  await deps.urgentCalls
    .remember(call.provider, call.callId, call.state.lang, expiresAt)
    .catch((error: unknown) => deps.log.warn('urgent call not remembered', { callId: call.callId, error }));
}

async function withUrgentState(deps: VoiceServices, call: VoiceCall): Promise<VoiceCall> {
  if (call.state.step !== 'start') return call;
  const lang = await deps.urgentCalls.languageOf(call.provider, call.callId, deps.now()).catch(() => undefined);
  return lang ? { ...call, state: { step: 'urgent', lang, tries: 0 } } : call;
}

/**
 * Africa's Talking's last callback, after hang-up: a recording in it is a report (the same one if the Record
 * callback already took it); anything else is only logged. Its answer is ignored.
 */
export async function finalCallback(deps: VoiceServices, line: VoiceLine, reported: VoiceCall, duration: string | undefined): Promise<void> {
  const call = await withUrgentState(deps, reported);
  const { state, input } = call;
  if (!input.recording) {
    deps.log.info('voice call ended', { provider: call.provider, callId: call.callId, step: state.step, durationInSeconds: duration });
    return;
  }
  const recordingState: VoiceState =
    state.step === 'urgent' || state.step === 'report'
      ? state
      : state.lang
        ? { step: 'report', lang: state.lang, tries: 0, callback: false }
        : START;
  await answerCall(deps, line, { ...call, state: recordingState });
}

/** What the officer's end of a CALL bridge connects to. */
export type BridgeAnswer = { kind: 'ended' } | { kind: 'unavailable' } | { kind: 'dial'; number: string; reference: string };

/**
 * Africa's Talking asks what to do when the officer picks up a CALL bridge (africastalking-call-bridge.ts): the
 * reporter's sealed number, kept under our request id, is opened to be dialled. Its final callback forgets the
 * bridge. Nothing here logs a number.
 */
export async function answerBridge(
  deps: VoiceServices,
  bridgeCall: { callId: string; requestId?: string; active: boolean; durationInSeconds?: string },
): Promise<BridgeAnswer> {
  const { requestId, callId } = bridgeCall;
  if (!bridgeCall.active) {
    deps.log.info('bridge call ended', { callId, requestId, durationInSeconds: bridgeCall.durationInSeconds });
    if (requestId) await deps.bridgeCalls.removeBridgeCall(requestId).catch((error: unknown) => deps.log.error('bridge call not forgotten', { requestId, error }));
    return { kind: 'ended' };
  }
  const bridge = requestId ? await deps.bridgeCalls.getBridgeCall(requestId, deps.now()) : undefined;
  if (!bridge) {
    deps.log.warn('outbound call with no bridge to connect', { callId, requestId });
    return { kind: 'unavailable' };
  }
  const number = await deps.vault.decrypt(bridge.sealedNumber).catch((error: unknown) => {
    deps.log.error('bridge number could not be opened', { reference: bridge.reference, requestId, error });
    return undefined;
  });
  if (!number) return { kind: 'unavailable' };
  deps.log.info('bridge call answered; dialling the reporter', { reference: bridge.reference, callId, requestId });
  return { kind: 'dial', number, reference: bridge.reference };
}

/** How long an officer's pressed 1 is kept: past any Dial's end, after which it is never asked for again. */
const ACCEPTANCE_MEMORY_SECONDS = 2 * 3600;

/** The whisper's answer: an officer's leg that pressed the accept key is recorded as having taken the call. */
export async function screenOfficer(deps: VoiceServices, provider: VoiceProvider, officerCallId: string, digits: string | undefined, acceptKey: string): Promise<boolean> {
  if (digits !== acceptKey) {
    deps.log.info('urgent call not accepted by the officer leg', { provider, officerCallId, pressed: digits !== undefined });
    return false;
  }
  await deps.urgentCalls.recordAccepted(provider, officerCallId, Math.floor(deps.now() / 1000) + ACCEPTANCE_MEMORY_SECONDS);
  deps.log.info('urgent call accepted by an officer', { provider, officerCallId });
  return true;
}

/**
 * Whether a Dial of the urgent line was answered: only if the officer's leg pressed the accept key (a voicemail or
 * an unanswered whisper "completes" a Dial too). An unreadable record counts as no answer: the next level rings.
 */
export async function screenedDial(deps: VoiceServices, provider: VoiceProvider, officerCallId: string | undefined): Promise<boolean> {
  if (!officerCallId) return false;
  return deps.urgentCalls.accepted(provider, officerCallId, deps.now()).catch((error: unknown) => {
    deps.log.error('officer acceptance not read; ringing on', { provider, officerCallId, error });
    return false;
  });
}
