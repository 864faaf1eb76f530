// @ts-check
// The providers' wire formats, as the simulator sends them to the real webhook routes (docs/providers.md), and the
// two helpers every request needs: the Africa's Talking `?token=` and Twilio's signature, computed by the server.

import { config } from './state.js';
import { countryOf } from './phones.js';
import { atDate } from './time.js';

/** @typedef {Record<string, string>} Fields */

/** The providers' names, as the page shows them. @type {Record<import('./state.js').Provider, string>} */
export const PROVIDER_NAMES = { africastalking: "Africa's Talking", twilio: 'Twilio' };

/** Twilio's fields name an account: a fictional one, all zeros. */
const TWILIO_ACCOUNT = { AccountSid: `AC${'0'.repeat(32)}`, ApiVersion: '2010-04-01' };

/** @param {number} length */
export const randomHex = (length) => {
  const bytes = new Uint8Array(Math.ceil(length / 2));
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('').slice(0, length);
};

/** Ids in each provider's own shape. */
export const ids = {
  ussdSession: () => `ATUid_${randomHex(20)}`,
  atVoiceSession: () => `ATVId_${randomHex(20)}`,
  /** A Twilio call (the caller's, or the leg to an officer). */
  twilioCall: () => `CA${randomHex(32)}`,
  twilioRecording: () => `RE${randomHex(32)}`,
};

/** A path with the Africa's Talking token, as a configured gateway sends it. @param {string} path */
export const withToken = (path) => (config.atWebhookToken ? `${path}?token=${encodeURIComponent(config.atWebhookToken)}` : path);

/**
 * @param {string} path
 * @param {unknown} body
 * @returns {Promise<any>}
 */
export async function postJson(path, body) {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/**
 * @param {string} path
 * @param {Fields} fields
 * @param {Record<string, string>} [headers]
 * @param {AbortSignal} [signal]
 */
export const postForm = (path, fields, headers = {}, signal = undefined) =>
  fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields),
    signal,
  });

/**
 * The `X-Twilio-Signature` header for a request to `path`: the server signs PUBLIC_BASE_URL + path + query and
 * every field, so the auth token never reaches the page.
 * @param {string} path
 * @param {Fields} params
 * @returns {Promise<Record<string, string>>}
 */
export async function twilioSignature(path, params) {
  const { signature } = await postJson('/dev/sim/twilio-sign', { url: path, params });
  return { 'X-Twilio-Signature': signature };
}

/** The characters and SMS parts the server counts for a text (the hotline's own measure). @param {string} text */
export const measure = (text) =>
  /** @type {Promise<{length: number, limit: number, encoding: string, smsParts: number}>} */ (postJson('/dev/sim/measure', { text }));

// USSD (Africa's Talking) ---------------------------------------------------------------------------------------

/**
 * One request of a USSD session: the whole path so far in `text`.
 * @param {{id: string, text: string}} session
 * @param {string} phoneNumber
 * @returns {Fields}
 */
export const ussdFields = (session, phoneNumber) => ({
  sessionId: session.id,
  serviceCode: config.ussdServiceCode,
  phoneNumber,
  networkCode: config.networkCode,
  text: session.text,
});

/**
 * The end-of-session notification Africa's Talking sends to its separate URL.
 * @param {import('./state.js').UssdSession} session
 * @param {string} phoneNumber
 * @param {string} status
 * @param {string} errorMessage
 * @returns {Fields}
 */
export const ussdEndFields = (session, phoneNumber, status, errorMessage) => ({
  date: atDate(),
  sessionId: session.id,
  serviceCode: config.ussdServiceCode,
  networkCode: config.networkCode,
  phoneNumber,
  status,
  cost: 'TJS 0.0000',
  durationInMillis: String(Date.now() - session.startedAt),
  hopsCount: String(session.hops),
  input: session.text,
  lastAppResponse: session.lastResponse,
  errorMessage,
});

// SMS -----------------------------------------------------------------------------------------------------------

/**
 * An inbound SMS to the short code, as Africa's Talking posts it.
 * @param {string} from
 * @param {string} text
 */
export const sendAfricasTalkingSms = (from, text) =>
  postForm(withToken('/sms/africastalking'), {
    linkId: `SimLink${randomHex(8)}`,
    text,
    to: config.atShortCode,
    id: `ATXid_${randomHex(20)}`,
    date: atDate(),
    from,
    networkCode: config.networkCode,
  });

/**
 * An inbound SMS to the hotline's number, as Twilio posts it, signed.
 * @param {string} from
 * @param {string} text
 */
export async function sendTwilioSms(from, text) {
  const sid = `SM${randomHex(32)}`;
  const { smsParts } = await measure(text);
  const params = {
    ToCountry: countryOf(config.twilioNumber),
    ToState: '',
    SmsMessageSid: sid,
    NumMedia: '0',
    ToCity: '',
    FromZip: '',
    SmsSid: sid,
    FromState: '',
    SmsStatus: 'received',
    FromCity: '',
    Body: text,
    FromCountry: countryOf(from),
    To: config.twilioNumber,
    ToZip: '',
    NumSegments: String(smsParts),
    MessageSid: sid,
    AccountSid: TWILIO_ACCOUNT.AccountSid,
    From: from,
    ApiVersion: TWILIO_ACCOUNT.ApiVersion,
  };
  return postForm('/sms/twilio', params, await twilioSignature('/sms/twilio', params));
}

// Voice ---------------------------------------------------------------------------------------------------------

/** @typedef {{id: string, from: string, to: string}} CallParties */

/**
 * The fields every Twilio voice request carries.
 * @param {CallParties} call
 * @param {Fields} [extra]
 * @returns {Fields}
 */
export const twilioVoiceFields = (call, extra = {}) => ({
  ...TWILIO_ACCOUNT,
  CallSid: call.id,
  CallStatus: 'in-progress',
  Called: call.to,
  Caller: call.from,
  Direction: 'inbound',
  From: call.from,
  To: call.to,
  ...extra,
});

/**
 * The fields every Africa's Talking voice callback carries; `isActive` is 1 while the call is up.
 * @param {CallParties} call
 * @param {Fields} [extra]
 * @returns {Fields}
 */
export const atVoiceFields = (call, extra = {}) => ({
  isActive: '1',
  sessionId: call.id,
  direction: 'Inbound',
  callerNumber: call.from,
  destinationNumber: call.to,
  ...extra,
});

/**
 * The first request of a call, as each provider makes it.
 * @param {CallParties & {provider: import('./state.js').Provider}} call
 * @returns {{path: string, fields: Fields}}
 */
export const callStartRequest = (call) =>
  call.provider === 'twilio'
    ? {
        path: '/voice/twilio',
        fields: {
          ...twilioVoiceFields(call, { CallStatus: 'ringing' }),
          CallerCountry: countryOf(call.from),
          FromCountry: countryOf(call.from),
          ToCountry: countryOf(call.to),
        },
      }
    : { path: withToken('/voice/africastalking'), fields: atVoiceFields(call, { callSessionState: 'Ringing' }) };
