/**
 * Africa's Talking voice: its callbacks as neutral input, and the voice line's actions as its XML (docs/providers.md).
 * Its SDK builds no XML and escapes nothing, so every text and attribute is escaped here. Africa's Talking signs
 * nothing: every callback URL rendered here carries the route's `?token=` (requireAtToken) with the call's state.
 *
 * - GetDigits calls its callbackUrl with `dtmfDigits`; with no key pressed the next action runs, a Redirect to the
 *   same URL without digits ("no input").
 * - Record (partial recording) calls its callbackUrl with `recordingUrl`; the call goes on with the answer.
 * - Dial has no ring timeout and no action URL: it ends the script when someone picks up, else the next action
 *   runs, a Redirect that says "nobody answered this level".
 * - Speech is English only: Tajik and Russian are played from recordings.
 * - The final callback (`isActive=0`, after hang-up) carries `recordingUrl` and `durationInSeconds`; its answer is
 *   ignored.
 */
import * as z from '../domain/zod';
import { BRIDGE_LANG, t, type Lang } from '../domain/prompts';
import type { Segment, VoiceAction, VoiceInput, VoiceState } from '../domain/voice';
import type { Rendered, VoiceRenderOptions } from './twilio-voice';
import { planSpeech, type Fallback, type Speech } from './voice-speech';
import { escapeXml, xmlElement, xmlResponse } from './xml';

export const atVoiceSchema = z.looseObject({
  isActive: z.enum(['0', '1']),
  sessionId: z.string().check(z.minLength(1), z.maxLength(200)),
  direction: z.optional(z.string().check(z.maxLength(20))),
  callerNumber: z._default(z.string().check(z.maxLength(64)), ''),
  destinationNumber: z.optional(z.string().check(z.maxLength(64))),
  dtmfDigits: z.optional(z.string().check(z.maxLength(64))),
  recordingUrl: z.optional(z.string().check(z.maxLength(2000))),
  durationInSeconds: z.optional(z.string().check(z.maxLength(10))),
  /** Ours, on an outbound call (`direction=Outbound`): the CALL bridge's request id (africastalking-call-bridge.ts). */
  clientRequestId: z.optional(z.string().check(z.maxLength(200))),
});
export type AtVoiceRequest = z.infer<typeof atVoiceSchema>;

/** Africa's Talking speaks English only. */
export const AT_TTS: readonly Lang[] = ['en'];
const SAY_VOICE = 'woman';

const httpUrl = z.url({ protocol: /^https?$/ });

/**
 * The recording of the final callback comes with `durationInSeconds`, the length of the whole call: the only
 * duration Africa's Talking gives, kept as the recording's upper bound.
 */
export function atVoiceInput(request: AtVoiceRequest): VoiceInput {
  const duration = Number(request.durationInSeconds);
  const recording =
    request.recordingUrl && httpUrl.safeParse(request.recordingUrl).success
      ? { url: request.recordingUrl, ...(request.durationInSeconds && Number.isInteger(duration) && duration >= 0 ? { durationSeconds: duration } : {}) }
      : undefined;
  return {
    ...(request.dtmfDigits !== undefined ? { digits: request.dtmfDigits } : {}),
    ...(recording ? { recording } : {}),
  };
}

export function renderAtVoice<S = VoiceState>(actions: readonly VoiceAction<S>[], options: VoiceRenderOptions<S>): Rendered {
  const fallbacks: Fallback[] = [];
  const speak = (segments: readonly Segment[]) => {
    const planned = planSpeech(segments, { tts: AT_TTS, recordings: options.recordings });
    fallbacks.push(...planned.fallbacks);
    return planned.speech.map(speechXml).join('');
  };
  const parts: string[] = [];
  for (const action of actions) {
    switch (action.kind) {
      case 'say':
        parts.push(speak(action.segments));
        break;
      case 'gather': {
        const url = options.actionUrl(action.next);
        const attributes = {
          timeout: action.timeoutSeconds,
          numDigits: action.numDigits,
          finishOnKey: action.finishOnKey,
          callbackUrl: url,
        };
        parts.push(xmlElement('GetDigits', attributes, speak(action.segments)), xmlElement('Redirect', {}, escapeXml(url)));
        break;
      }
      case 'record': {
        const url = options.actionUrl(action.next);
        const attributes = { finishOnKey: '#', maxLength: action.maxSeconds, trimSilence: true, playBeep: true, callbackUrl: url };
        parts.push(xmlElement('Record', attributes, speak(action.segments)), xmlElement('Redirect', {}, escapeXml(url)));
        break;
      }
      case 'dial':
        // One level rings at once (the first to pick up takes the call); the Redirect moves on to the next level.
        parts.push(
          xmlElement('Dial', { phoneNumbers: action.numbers.join(','), sequential: false, callerId: options.callerId }),
          xmlElement('Redirect', {}, escapeXml(options.actionUrl(action.next))),
        );
        break;
      case 'hangup':
        // The call ends when the script does.
        break;
    }
  }
  return { body: xmlResponse(parts), fallbacks };
}

function speechXml(item: Speech): string {
  return item.kind === 'play' ? xmlElement('Play', { url: item.url }) : xmlElement('Say', { voice: SAY_VOICE }, escapeXml(item.text));
}

/**
 * The answer to an officer picking up a CALL bridge (an outbound call): which case it is, then the reporter, with
 * the hotline's number as caller ID. Only Africa's Talking hears the reporter's number.
 */
export function renderAtBridge(reporterPhone: string, reference: string, callerId?: string): string {
  const say = xmlElement('Say', { voice: SAY_VOICE }, escapeXml(t(BRIDGE_LANG, 'bridge.connecting', { ref: reference.split('').join(' ') })));
  const dial = xmlElement('Dial', { phoneNumbers: reporterPhone, callerId });
  return xmlResponse([say, dial]);
}

/** The answer to an outbound call the hotline no longer knows (expired, or not ours): an apology, then the end. */
export const atBridgeUnavailable = () => xmlResponse([xmlElement('Say', { voice: SAY_VOICE }, escapeXml(t(BRIDGE_LANG, 'bridge.expired')))]);

/** The answer to a final (`isActive=0`) callback, which Africa's Talking ignores. */
export const AT_EMPTY_RESPONSE = xmlResponse([]);
