/**
 * The studio line's calls (the pure step: shared/domain/studio/line.ts): who is calling (a staff number in
 * STUDIO_STAFF), the PIN compared in constant time, the catalogue of the chosen language, and saving a take: fetched
 * from the provider, normalised and kept by the prompt studio (shared/studio/service.ts).
 */
import { fetchProviderRecording } from '../channels/provider-recording';
import { normalisePhone } from '../domain/phone';
import { studioStep, type StudioRequest, type StudioResult, type StudioState } from '../domain/studio/line';
import { promptByNumber, STUDIO_LANGUAGES } from '../studio/catalogue';
import { secretsEqual } from '../privacy';
import type { Services } from '../runtime';
import type { StudioServices } from '../studio/service';
import { callerReachable, type VoiceProvider } from './call';

export interface StudioCall {
  provider: VoiceProvider;
  callId: string;
  caller: string;
  state: StudioState;
  digits?: string;
  recordingUrl?: string;
}

export async function answerStudioCall(deps: Services & StudioServices, call: StudioCall, inputTimeoutSeconds: number): Promise<StudioResult> {
  const { studio: config } = deps.config;
  const callerKey = deps.callerKey(call.caller);
  // No PIN configured: the studio line is closed to everyone.
  const staffName = config.pin && callerReachable(call.caller) ? config.staff.get(normalisePhone(call.caller)) : undefined;
  // The catalogue of the language being recorded, or being chosen now.
  const lang = call.state.lang ?? (call.state.step === 'lang' ? STUDIO_LANGUAGES[Number(call.digits) - 1] : undefined);
  const prompts = lang
    ? (await deps.studio.catalogue()).filter((e) => e.lang === lang).map(({ number, text, status }) => ({ number, text, status }))
    : [];
  const asksPin = !!staffName && (call.state.step === 'start' || call.state.step === 'pin');
  const pinFailures = asksPin ? await deps.studio.pinFailures(callerKey) : 0;
  const pinMatches = call.state.step === 'pin' && !!config.pin && secretsEqual(call.digits ?? '', config.pin);
  const request: StudioRequest = {
    state: call.state,
    ...(call.digits !== undefined ? { digits: call.digits } : {}),
    ...(call.recordingUrl ? { recordingUrl: call.recordingUrl } : {}),
    ...(staffName ? { staffName } : {}),
    ...(call.state.step === 'pin' ? { pinMatches } : {}),
    pinFailures,
    langs: STUDIO_LANGUAGES,
    prompts,
    maxTakeSeconds: config.maxTakeSeconds,
    inputTimeoutSeconds,
  };
  let result = studioStep(request);
  if (result.event === 'pin_refused') await deps.studio.countPinFailure(callerKey);
  if (result.save) {
    const saved = await saveTake(deps, call, result.save);
    result = studioStep({ ...request, saved });
  }
  if (result.event) deps.log.info('studio line', { provider: call.provider, callId: call.callId, callerKey, event: result.event, step: call.state.step });
  return result;
}

async function saveTake(deps: Services & StudioServices, call: StudioCall, save: NonNullable<StudioResult['save']>): Promise<boolean> {
  const key = promptByNumber(save.number);
  const by = deps.config.studio.staff.get(normalisePhone(call.caller));
  if (!key || !by) return false;
  const { twilio } = deps.config;
  const fetched = await fetchProviderRecording({
    provider: call.provider,
    url: save.take,
    ...(twilio.sending ? { twilio: { accountSid: twilio.sending.accountSid, authToken: twilio.sending.authToken } } : {}),
  });
  if (!fetched.ok) {
    deps.log.error('studio take could not be fetched from the provider', { provider: call.provider, callId: call.callId, reason: fetched.reason });
    return false;
  }
  const outcome = await deps.studio.saveTake({ key, lang: save.lang, audio: fetched.bytes, by, via: 'phone' });
  if (!outcome.ok) deps.log.error('studio take refused', { provider: call.provider, callId: call.callId, key, problem: outcome.problem, detail: outcome.detail });
  return outcome.ok;
}
