/**
 * The voice line (IVR) as a pure function, one definition for every provider. A call is a series of provider
 * callbacks; each carries the question it answers (its state: step, language, tries… travelling in the callback
 * URL, see `stateToQuery`) and what the caller did (keys pressed, a recording, whether a dialled officer answered).
 * `voiceStep` returns what to play next as provider-neutral actions (shared/channels/twilio-voice.ts and
 * africastalking-voice.ts render them), the effects the runner runs (remember the language, submit the report) and
 * the look-ups it needs first. Nothing of a call is held in memory between callbacks.
 *
 * What callers hear is made of segments: prompts (texts in prompts/*.json, played from a recording where the
 * provider has no text-to-speech for the language — Tajik everywhere) and dynamic parts (a registry name, a count,
 * a reference read character by character) that only speech can say.
 */
export {
  VOICE_PROMPT_KEYS,
  SPOKEN_PROMPT_KEYS,
  spokenText,
  type VoicePromptKey,
  type SpokenKey,
  type Segment,
} from './spoken';
export {
  VOICE_STEPS,
  START,
  stateToQuery,
  stateFromQuery,
  type VoiceStep,
  type VoiceState,
  type Recording,
  type VoiceInput,
  type VoiceAction,
  type VoiceEffect,
  type VoiceNeed,
  type OnCallDirectory,
  type VoiceData,
  type VoiceSettings,
  type VoiceRequest,
  type VoiceEvent,
  type VoiceResult,
} from './call-state';
export { pressedKeys } from './questions';
export { phoneFromKeypad } from './checks';
export { keypadDigits, buildKeypadLicenceIndex } from './keypad';
export { reportFromVoice } from './reports';
export { voiceStep } from './flow';
