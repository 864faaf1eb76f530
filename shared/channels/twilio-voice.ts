/**
 * Twilio voice: its callbacks as neutral input, and the voice line's actions as TwiML, built and escaped by
 * shared/channels/xml.ts. Signatures are checked by requireTwilioSignature
 * (shared/channels/twilio.ts) over PUBLIC_BASE_URL + path + query: every action URL rendered here is absolute under
 * PUBLIC_BASE_URL and carries the call's state in its query, so the state is covered by Twilio's signature.
 */
import * as z from '../domain/zod';
import { BRIDGE_LANG, t, type Lang } from '../domain/prompts';
import type { VoiceAction, VoiceInput, VoiceState } from '../domain/voice';
import { planSpeech, type Fallback, type RecordingResolver, type Speech } from './voice-speech';
import { numberTwiml } from './twilio-dial';
import { escapeXml, xmlElement, xmlResponse } from './xml';

/** Twilio adds parameters over time; the signature covers whatever arrives, and unknown ones pass. */
export const twilioVoiceSchema = z.looseObject({
  CallSid: z.string().check(z.minLength(1), z.maxLength(64)),
  From: z._default(z.string().check(z.maxLength(64)), ''),
  To: z._default(z.string().check(z.maxLength(64)), ''),
  CallStatus: z.optional(z.string().check(z.maxLength(30))),
  Digits: z.optional(z.string().check(z.maxLength(64))),
  RecordingUrl: z.optional(z.string().check(z.maxLength(2000))),
  RecordingDuration: z.optional(z.string().check(z.maxLength(10))),
  DialCallStatus: z.optional(z.string().check(z.maxLength(30))),
  /** The officer's leg of a Dial: its call sid, under which the whisper records a pressed 1. */
  DialCallSid: z.optional(z.string().check(z.maxLength(64))),
});
export type TwilioVoiceRequest = z.infer<typeof twilioVoiceSchema>;

/** The languages Twilio speaks for us (Amazon Polly voices); Tajik is played from recordings. */
export const TWILIO_TTS: readonly Lang[] = ['ru', 'en'];
const VOICES = {
  ru: { language: 'ru-RU', voice: 'Polly.Tatyana' },
  en: { language: 'en-GB', voice: 'Polly.Amy' },
} as const;

const httpUrl = z.url({ protocol: /^https?$/ });

export function twilioVoiceInput(request: TwilioVoiceRequest): VoiceInput {
  const duration = Number(request.RecordingDuration);
  const recording =
    request.RecordingUrl && httpUrl.safeParse(request.RecordingUrl).success
      ? { url: request.RecordingUrl, ...(Number.isInteger(duration) && duration >= 0 ? { durationSeconds: duration } : {}) }
      : undefined;
  // No `dialAnswered` from DialCallStatus: a voicemail "completes" the Dial too. Only the whisper's record of a
  // pressed 1 says an officer took the call (screenedDial in shared/voice/call.ts).
  return {
    ...(request.Digits !== undefined ? { digits: request.Digits } : {}),
    ...(recording ? { recording } : {}),
  };
}

/** The officer must press this to take an urgent call; anything else, or nothing, is no answer. */
export const ACCEPT_KEY = '1';

/**
 * Call screening: the TwiML an officer's leg runs before it is bridged (`<Number url>`). A pressed key comes back
 * to `acceptUrl`; with none, the leg hangs up and the Dial goes on as unanswered.
 */
export function whisperTwiml(acceptUrl: string, timeoutSeconds: number): string {
  const say = xmlElement('Say', twilioVoiceOf(BRIDGE_LANG), escapeXml(t(BRIDGE_LANG, 'bridge.screen')));
  return xmlResponse([xmlElement('Gather', { input: 'dtmf', numDigits: 1, action: acceptUrl, method: 'POST', timeout: timeoutSeconds }, say), xmlElement('Hangup')]);
}

export interface VoiceRenderOptions<S = VoiceState> {
  /** The absolute callback URL that carries `state`. */
  actionUrl(state: S): string;
  recordings: RecordingResolver;
  /** The number the officers see ringing: the hotline's own, never the caller's (docs/escalation.md). */
  callerId?: string;
  /** Twilio: the whisper URL each officer's leg runs before it is bridged (call screening). */
  screenUrl?: string;
}

export interface Rendered {
  body: string;
  fallbacks: Fallback[];
}

export function renderTwilioVoice<S = VoiceState>(actions: readonly VoiceAction<S>[], options: VoiceRenderOptions<S>): Rendered {
  const fallbacks: Fallback[] = [];
  const speak = (segments: Parameters<typeof planSpeech>[0]) => {
    const planned = planSpeech(segments, { tts: TWILIO_TTS, recordings: options.recordings });
    fallbacks.push(...planned.fallbacks);
    return planned.speech.map(speechTwiml).join('');
  };
  // No key or nothing recorded: Twilio goes on to the next verb, a redirect to the same URL without Digits or a
  // recording, which is "no input".
  const redirect = (url: string) => xmlElement('Redirect', { method: 'POST' }, escapeXml(url));
  const verbs: string[] = [];
  for (const action of actions) {
    switch (action.kind) {
      case 'say':
        verbs.push(speak(action.segments));
        break;
      case 'gather': {
        const url = options.actionUrl(action.next);
        const attributes = {
          input: 'dtmf',
          action: url,
          method: 'POST',
          timeout: action.timeoutSeconds,
          numDigits: action.numDigits || undefined,
          finishOnKey: action.finishOnKey ?? '',
        };
        verbs.push(xmlElement('Gather', attributes, speak(action.segments)), redirect(url));
        break;
      }
      case 'record': {
        const url = options.actionUrl(action.next);
        const attributes = { action: url, method: 'POST', maxLength: action.maxSeconds, finishOnKey: '#', playBeep: true, timeout: 10, trim: 'trim-silence' };
        verbs.push(speak(action.segments), xmlElement('Record', attributes), redirect(url));
        break;
      }
      case 'dial': {
        const attributes = {
          action: options.actionUrl(action.next),
          method: 'POST',
          timeout: action.timeoutSeconds,
          answerOnBridge: true,
          callerId: options.callerId || undefined,
        };
        verbs.push(xmlElement('Dial', attributes, action.numbers.map((phone) => numberTwiml(phone, options.screenUrl)).join('')));
        break;
      }
      case 'hangup':
        verbs.push(xmlElement('Hangup'));
        break;
    }
  }
  return { body: xmlResponse(verbs), fallbacks };
}

/** After the key: an empty answer ends the whisper and bridges the officer; a hang-up leaves the Dial unanswered. */
export const whisperAnswer = (accepted: boolean) => xmlResponse(accepted ? [] : [xmlElement('Hangup')]);

/** The Amazon Polly voice for a language Twilio speaks for us. */
export const twilioVoiceOf = (lang: Lang) => VOICES[lang === 'en' ? 'en' : 'ru'];

function speechTwiml(item: Speech): string {
  if (item.kind === 'play') return xmlElement('Play', {}, escapeXml(item.url));
  return xmlElement('Say', twilioVoiceOf(item.lang), escapeXml(item.text));
}
