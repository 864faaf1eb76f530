// @ts-check
// What the page knows: the hotline's settings (from /dev/sim/config) and the phones' state, shared by the modules.

/**
 * What `/dev/sim/config` answers (infra/simulator.ts).
 * @typedef {object} SimulatorConfig
 * @property {string} ussdServiceCode
 * @property {string | null} atWebhookToken
 * @property {string} atShortCode
 * @property {string} twilioNumber
 * @property {boolean} twilioSigning
 * @property {Record<Provider, string>} voiceNumbers
 * @property {string} publicBaseUrl
 * @property {number} recordingMaxBytes
 * @property {string} networkCode
 * @property {string} callerNumber
 * @property {string} officerNumber
 * @property {{alphabet: string, length: number}} reference
 */

/** @typedef {'africastalking' | 'twilio'} Provider */

/**
 * A USSD session in progress, as the gateway keeps it: the whole path typed so far is sent with every request.
 * @typedef {object} UssdSession
 * @property {string} id
 * @property {string} text
 * @property {number} hops
 * @property {number} startedAt
 * @property {string} lastResponse
 * @property {number} timer
 */

/**
 * A message a phone sent to the hotline.
 * @typedef {{id: string, from: string, text: string, at: string, provider: Provider, status: string, ok: boolean}} SentSms
 */

/**
 * A message the outbox queued (`/dev/outbox`).
 * @typedef {{id: string, to: string, text: string, createdAt: string, status: string, provider?: string}} OutboxMessage
 */

/**
 * @typedef {object} Microphone
 * @property {MediaRecorder} recorder
 * @property {MediaStream} stream
 * @property {Blob[]} chunks
 * @property {number} startedAt
 * @property {number} timer
 */

/**
 * What the voice line waits for: keys, the caller's message, officers ringing, or an officer talking.
 * @typedef {{kind: 'keys', url: string, numDigits: number, finishOnKey: string, timeout: number}} KeysWait
 * @typedef {{kind: 'record', url: string, maxLength: number, finishOnKey: string, mic: Microphone | null}} RecordWait
 * @typedef {{kind: 'dial', numbers: string[], action: string | null, whisper: string | null, startedAt: number}} DialWait
 * @typedef {{kind: 'connected', action: string | null}} ConnectedWait
 * @typedef {KeysWait | RecordWait | DialWait | ConnectedWait} Wait
 */

/**
 * A voice call in progress (voice-call.js).
 * @typedef {object} Call
 * @property {Provider} provider
 * @property {string} to
 * @property {string} from
 * @property {string} id
 * @property {number} startedAt
 * @property {number} endedAt
 * @property {Element[]} verbs The answer being played: its verbs, and the next one to play.
 * @property {number} index
 * @property {string} documentPath The URL of the answer being played: a Twilio verb without an action URL calls it back.
 * @property {number} automatic Callbacks since the caller last did something.
 * @property {string} keys
 * @property {Wait | null} wait
 * @property {{url: string, path: string, seconds: number} | null} recording The caller's message once recorded.
 * @property {{number: string, startedAt: number, legSid?: string} | null} officer An officer who answered (on Twilio, the
 *   CallSid of their leg, under which the hotline recorded that they pressed 1 to accept).
 * @property {string[]} heard What the caller heard since they last did something, for the handset's display.
 * @property {boolean} busy
 * @property {number} clock
 */

const STORAGE_KEY = 'safejob-simulator';
export const POLL_MS = 1000;
/** Africa's Talking gives up on a response after roughly 10–15 s; sessions last about 180 s (docs/providers.md). */
export const RESPONSE_TIMEOUT_MS = 15_000;
export const SESSION_TIMEOUT_MS = 180_000;

/** Filled once by main.js from `/dev/sim/config`, before anything else runs. */
export const config = /** @type {SimulatorConfig} */ ({});

export const state = {
  callerNumber: '',
  officerNumber: '',
  /** @type {Provider} */
  provider: 'africastalking',
  /** The provider voice calls go through. @type {Provider} */
  voiceProvider: 'africastalking',
  /** The voice call in progress (see placeCall). @type {Call | null} */
  call: null,
  /** @type {UssdSession | null} */
  session: null,
  /** The last screen was an END (or an error): the next Call/Send with nothing typed goes back to the home screen. */
  closedScreenShown: false,
  busy: false,
  /** Messages the phones sent. @type {SentSms[]} */
  sent: [],
  /** Everything the outbox has queued, by id. @type {Map<string, OutboxMessage>} */
  outbox: new Map(),
  pollFailed: false,
};

/** @typedef {{callerNumber?: unknown, officerNumber?: unknown, provider?: unknown, voiceProvider?: unknown}} SavedSettings */

export function save() {
  const { callerNumber, officerNumber, provider, voiceProvider } = state;
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ callerNumber, officerNumber, provider, voiceProvider }));
  } catch {
    // Private windows may refuse storage; the simulator works without it.
  }
}

/** @returns {SavedSettings} */
export function load() {
  try {
    return JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') ?? {};
  } catch {
    return {};
  }
}
