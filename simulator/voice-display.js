// @ts-check
// What the page shows of a voice call: its log (what the caller hears, what was sent), its phase, the handset's
// display during the call, and the raw requests and answers.

import { $, button, inputField, selectField } from './dom.js';
import { clearCount, input, phase, screen } from './handset.js';
import { PROVIDER_NAMES } from './providers.js';
import { state } from './state.js';
import { callClock } from './time.js';

export const voiceLog = () => $('voice-log');
export const voiceActions = () => $('voice-actions');
let voiceHops = 0;

/** A new call: the request counter starts again. */
export function resetHops() {
  voiceHops = 0;
}

export function countHop() {
  voiceHops += 1;
}

/**
 * The call's phase (`data-phase` on the voice panel: idle, busy, keys, record, dial, connected, ended) and status.
 * @param {string} name
 * @param {string} [status]
 */
export function voicePhase(name, status) {
  $('voice').dataset.phase = name;
  if (status !== undefined) $('voice-status').textContent = status;
  const inCall = Boolean(state.call);
  button('voice-call').disabled = inCall;
  button('voice-hangup').disabled = !inCall;
  selectField('voice-provider').disabled = inCall;
  inputField('voice-number').disabled = inCall;
  $('caller-handset').classList.toggle('listening', name === 'keys');
  renderCallScreen();
}

/**
 * The handset's display during a call: the number called, what the line waits for, and what the caller heard since
 * they last did something (a phone shows none of it, but on a small screen the keypad and the log are far apart).
 * The call's clock is on the status bar, outside the display's live region, so it is not read out every second;
 * the voice log announces what is heard, so the display is quiet during a call.
 */
export function renderCallScreen() {
  const call = state.call;
  if (!call) return;
  const wait = call.wait;
  const waiting = {
    keys: `Waiting for keys${call.keys ? `: ${call.keys}` : ''}`,
    record: wait?.kind === 'record' && wait.mic ? 'Recording…' : 'Beep: leave a message',
    dial: 'Ringing the officers…',
    connected: 'Talking with an officer',
  };
  const heard = call.heard.length ? `\n\n${call.heard.join(' ')}` : '';
  const text = `${PROVIDER_NAMES[call.provider]} · ${call.to}\n▸ ${wait ? waiting[wait.kind] : 'Listening…'}${heard}`;
  const display = screen();
  display.classList.remove('home', 'closed');
  display.setAttribute('aria-live', 'off');
  if (display.textContent !== text) {
    display.textContent = text;
    display.scrollTop = 0;
  }
  clearCount();
  input().placeholder = 'In a call: keys are tones';
  phase('call', `In call ${callClock(Date.now() - call.startedAt)}`);
}

/** @param {import('./state.js').Call} call */
export function showCallEnded(call) {
  const display = screen();
  display.classList.remove('home');
  display.classList.add('closed');
  display.setAttribute('aria-live', 'polite');
  display.textContent = `Call ended\n${call.to}\n${callClock(call.endedAt - call.startedAt)}`;
  state.closedScreenShown = true;
  input().placeholder = 'Call/Send or End to close';
  phase('ended', 'Call ended');
}

/**
 * A line of the call's log; `kind` styles it (heard, caller, hop, wait, end, error).
 * @param {string} kind
 * @param {string} label
 * @param {string} [text]
 */
export function logItem(kind, label, text = '') {
  const li = document.createElement('li');
  li.className = `vline ${kind}`;
  if (label) {
    const who = document.createElement('span');
    who.className = 'who';
    who.textContent = label;
    li.append(who);
  }
  if (text) {
    const body = document.createElement('p');
    body.className = 'body';
    body.textContent = text;
    li.append(body);
  }
  voiceLog().append(li);
  voiceLog().scrollTop = voiceLog().scrollHeight;
  return li;
}

/** A request path as shown: the Africa's Talking token is on the wire, but need not be on screen. @param {string} path */
export const shownPath = (path) => path.replace(/([?&]token=)[^&]*/, '$1…');

/**
 * @param {import('./state.js').Call | null} call
 * @param {string} [request]
 * @param {string} [response]
 */
export function showVoiceWire(call, request, response) {
  $('vwire-session').textContent = call ? `${call.id} (${PROVIDER_NAMES[call.provider]})` : '—';
  $('vwire-hops').textContent = String(voiceHops);
  if (request !== undefined) $('vwire-request').textContent = request;
  if (response !== undefined) $('vwire-response').textContent = response;
}

/** The interesting fields of a request, for its log line. @param {Record<string, string>} fields */
export function summarise(fields) {
  const shown = ['Digits', 'FinishedOnKey', 'dtmfDigits', 'RecordingDuration', 'DialCallStatus', 'callSessionState', 'CallStatus', 'isActive', 'durationInSeconds'];
  const parts = shown.filter((name) => fields[name] !== undefined && fields[name] !== '' && !(name === 'CallStatus' && fields[name] === 'in-progress') && !(name === 'isActive' && fields[name] === '1'));
  const recording = fields.RecordingUrl ?? fields.recordingUrl;
  return `${parts.length ? ` · ${parts.map((name) => `${name}=${fields[name]}`).join(' ')}` : ''}${recording ? ` · recording ${new URL(recording).pathname}` : ''}`;
}
