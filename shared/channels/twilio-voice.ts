/**
 * Twilio voice: its callbacks as neutral input, and the voice line's actions as TwiML built with the twilio
 * package's VoiceResponse (which escapes text and attributes). Signatures are checked by requireTwilioSignature
 * (shared/channels/twilio.ts) over PUBLIC_BASE_URL + path + query: every action URL rendered here is absolute under
 * PUBLIC_BASE_URL and carries the call's state in its query, so the state is covered by Twilio's signature.
 * VoiceResponse escapes but does not drop what XML cannot carry (it throws on it in text, and writes it into
 * attributes): every value from outside passes through xmlChars (./xml.ts) first.
 */
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse';
import * as z from 'zod';
import type { Lang } from '../domain/prompts';
import type { VoiceAction, VoiceInput, VoiceState } from '../domain/voice';
import { planSpeech, type Fallback, type RecordingResolver, type Speech } from './voice-speech';
import { xmlChars } from './xml';

/** Twilio adds parameters over time; the signature covers whatever arrives, and unknown ones pass. */
export const twilioVoiceSchema = z
  .object({
    CallSid: z.string().min(1).max(64),
    From: z.string().max(64).default(''),
    To: z.string().max(64).default(''),
    CallStatus: z.string().max(30).optional(),
    Digits: z.string().max(64).optional(),
    RecordingUrl: z.string().max(2000).optional(),
    RecordingDuration: z.string().max(10).optional(),
    DialCallStatus: z.string().max(30).optional(),
  })
  .passthrough();
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
  const dial = request.DialCallStatus;
  return {
    ...(request.Digits !== undefined ? { digits: request.Digits } : {}),
    ...(recording ? { recording } : {}),
    // `completed`/`answered`: an officer took the call; `no-answer`, `busy`, `failed`, `canceled`: nobody did.
    ...(dial ? { dialAnswered: dial === 'completed' || dial === 'answered' } : {}),
  };
}

export interface VoiceRenderOptions<S = VoiceState> {
  /** The absolute callback URL that carries `state`. */
  actionUrl(state: S): string;
  recordings: RecordingResolver;
  /** The number the officers see ringing: the hotline's own, never the caller's (docs/escalation.md). */
  callerId?: string;
}

export interface Rendered {
  body: string;
  fallbacks: Fallback[];
}

type Speaker = { say(attributes: object, text: string): unknown; play(url: string): unknown };

export function renderTwilioVoice<S = VoiceState>(actions: readonly VoiceAction<S>[], options: VoiceRenderOptions<S>): Rendered {
  const response = new VoiceResponse();
  const fallbacks: Fallback[] = [];
  const speak = (target: Speaker, segments: Parameters<typeof planSpeech>[0]) => {
    const planned = planSpeech(segments, { tts: TWILIO_TTS, recordings: options.recordings });
    fallbacks.push(...planned.fallbacks);
    for (const item of planned.speech) sayOrPlay(target, item);
  };
  for (const action of actions) {
    switch (action.kind) {
      case 'say':
        speak(response as unknown as Speaker, action.segments);
        break;
      case 'gather': {
        const url = options.actionUrl(action.next);
        const gather = response.gather({
          input: ['dtmf'],
          action: url,
          method: 'POST',
          timeout: action.timeoutSeconds,
          ...(action.numDigits ? { numDigits: action.numDigits } : {}),
          finishOnKey: action.finishOnKey ?? '',
        });
        speak(gather as unknown as Speaker, action.segments);
        // No key: Gather falls through to here; the same URL without Digits is "no input".
        response.redirect({ method: 'POST' }, url);
        break;
      }
      case 'record': {
        const url = options.actionUrl(action.next);
        speak(response as unknown as Speaker, action.segments);
        response.record({ action: url, method: 'POST', maxLength: action.maxSeconds, finishOnKey: '#', playBeep: true, timeout: 10, trim: 'trim-silence' });
        // Nothing recorded: Twilio goes on to the next verb; the same URL without a recording is "no input".
        response.redirect({ method: 'POST' }, url);
        break;
      }
      case 'dial': {
        const dial = response.dial({
          action: options.actionUrl(action.next),
          method: 'POST',
          timeout: action.timeoutSeconds,
          answerOnBridge: true,
          ...(options.callerId ? { callerId: xmlChars(options.callerId) } : {}),
        });
        for (const number of action.numbers) dial.number(xmlChars(number));
        break;
      }
      case 'hangup':
        response.hangup();
        break;
    }
  }
  return { body: response.toString(), fallbacks };
}

function sayOrPlay(target: Speaker, item: Speech) {
  if (item.kind === 'play') target.play(xmlChars(item.url));
  else target.say(VOICES[item.lang === 'en' ? 'en' : 'ru'], xmlChars(item.text));
}
