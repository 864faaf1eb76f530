// @ts-check
// A voice call to the hotline through the real voice webhook, in the chosen provider's format. The answer (TwiML or
// Africa's Talking's XML) is played as a script: what is said is shown, recordings get a player, and the script
// stops where the provider would wait for the caller (keys, a recording, officers ringing).

import { $, bindPhoneField, inputField, messageOf, selectField, showStatus } from './dom.js';
import { flash, input } from './handset.js';
import { samePhone, typedPhone, validPhone } from './phones.js';
import { atVoiceFields, callStartRequest, ids, postForm, PROVIDER_NAMES, twilioSignature, twilioVoiceFields, withToken } from './providers.js';
import { config, RESPONSE_TIMEOUT_MS, save, state } from './state.js';
import { atDate, callClock, secondsBetween } from './time.js';
import { closeSession } from './ussd-session.js';
import {
  countHop,
  logItem,
  renderCallScreen,
  resetHops,
  showCallEnded,
  showVoiceWire,
  shownPath,
  summarise,
  voiceActions,
  voiceLog,
  voicePhase,
} from './voice-display.js';
import { audioPlayer, canUseMicrophone, finishMicrophone, SAMPLE_SECONDS, sampleRecording, startRecorder, uploadRecording } from './voice-recording.js';

/** @typedef {import('./state.js').Call} Call */
/** @typedef {import('./state.js').RecordWait} RecordWait */
/** @typedef {import('./providers.js').Fields} Fields */

/** Callbacks the provider would make on its own (Redirects, fall-throughs) before the caller does anything. */
const MAX_AUTOMATIC_HOPS = 12;
/** @type {Record<string, string>} */
const TWILIO_LANGUAGES = { ru: 'Russian', en: 'English', tg: 'Tajik' };

/**
 * Where a callback or recording URL of the answer is on this server. The voice line writes absolute URLs under
 * PUBLIC_BASE_URL (the address the provider reaches it at); the page reaches the same routes at its own origin.
 * @param {string} raw
 */
function localTarget(raw) {
  let url;
  try {
    url = new URL(raw, config.publicBaseUrl);
  } catch {
    return null;
  }
  const base = new URL(config.publicBaseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  if (url.origin === base.origin && (basePath === '' || url.pathname.startsWith(`${basePath}/`))) {
    return { path: `${url.pathname.slice(basePath.length)}${url.search}`, href: url.href };
  }
  if (url.origin === location.origin) return { path: `${url.pathname}${url.search}`, href: url.href };
  return null;
}

/**
 * A callback's fields in the call's provider's format.
 * @param {Call} call
 * @param {Fields} twilioExtra
 * @param {Fields} atExtra
 */
const callFields = (call, twilioExtra, atExtra) => (call.provider === 'twilio' ? twilioVoiceFields(call, twilioExtra) : atVoiceFields(call, atExtra));

/** Calls the hotline (`number`, or the number in the voice panel). @param {string} [number] */
export async function placeCall(number) {
  if (state.call) return;
  const to = typedPhone(number ?? inputField('voice-number').value);
  if (!validPhone(to)) {
    showStatus('The hotline number is + and 7 to 15 digits, e.g. +254711082000.', true);
    return;
  }
  if (state.session) closeSession('Incomplete', 'a call was placed');
  input().value = '';
  const provider = state.voiceProvider;
  /** @type {Call} */
  const call = {
    provider,
    to,
    from: state.callerNumber,
    id: provider === 'twilio' ? ids.twilioCall() : ids.atVoiceSession(),
    startedAt: Date.now(),
    endedAt: 0,
    verbs: [],
    index: 0,
    documentPath: '',
    automatic: 0,
    keys: '',
    wait: null,
    recording: null,
    officer: null,
    heard: [],
    busy: false,
    clock: 0,
  };
  state.call = call;
  resetHops();
  delete $('voice').dataset.final;
  voiceLog().replaceChildren();
  voiceActions().replaceChildren();
  voiceActions().hidden = true;
  call.clock = window.setInterval(() => (state.call === call ? renderCallScreen() : clearInterval(call.clock)), 1000);
  logItem('hop', '', `Calling ${to} from ${call.from} through ${PROVIDER_NAMES[provider]}${provider === 'twilio' ? '' : ' (its speech is English only)'}…`);
  voicePhase('busy', `Calling ${to} through ${PROVIDER_NAMES[provider]}…`);
  const first = callStartRequest(call);
  await voiceRequest(call, first.path, first.fields);
}

/**
 * One request to the voice webhook, as the provider makes it (Twilio's signed by the server), then its answer
 * played. With `ignoreAnswer` (a request after the call ended, as providers send them) the answer is only shown.
 * @param {Call} call
 * @param {string} url
 * @param {Fields} fields
 * @param {{ignoreAnswer?: boolean}} [options]
 */
async function voiceRequest(call, url, fields, { ignoreAnswer = false } = {}) {
  const target = localTarget(url);
  if (!target) {
    logItem('error', 'Not followed', `The answer sends the call to ${url}, which is not this hotline (PUBLIC_BASE_URL is ${config.publicBaseUrl}).`);
    endCall(call, 'error');
    return;
  }
  countHop();
  call.busy = !ignoreAnswer;
  if (!ignoreAnswer) voicePhase('busy', 'The hotline is answering…');
  const hop = logItem('hop', '', `→ POST ${shownPath(target.path)}${summarise(fields)}`);
  showVoiceWire(call, `POST ${shownPath(target.path)}\n${new URLSearchParams(fields)}`, '…');
  let status = 0;
  let raw = '';
  const abort = new AbortController();
  const timeout = setTimeout(() => abort.abort(), RESPONSE_TIMEOUT_MS);
  try {
    const headers = call.provider === 'twilio' ? await twilioSignature(target.path, fields) : {};
    const response = await postForm(target.path, fields, headers, abort.signal);
    status = response.status;
    raw = await response.text();
  } catch (error) {
    raw = messageOf(error);
  } finally {
    clearTimeout(timeout);
    call.busy = false;
  }
  hop.querySelector('.body')?.append(` · ${status ? `HTTP ${status}` : 'no answer'}`);
  showVoiceWire(call, undefined, status ? `HTTP ${status}\n${raw}` : raw);
  if (ignoreAnswer || state.call !== call) return; // the call ended while the hotline answered
  call.documentPath = target.path;
  if (status !== 200) {
    logItem('error', `The hotline answered HTTP ${status || '—'}`, `${raw.slice(0, 200)}\nA provider plays its own error message and hangs up.`);
    endCall(call, 'error');
    return;
  }
  await playAnswer(call, raw);
}

/**
 * @param {Call} call
 * @param {string} xml
 */
async function playAnswer(call, xml) {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const root = doc.documentElement;
  if (doc.getElementsByTagName('parsererror').length > 0 || root.nodeName !== 'Response') {
    logItem('error', 'Not a voice answer', `${xml.slice(0, 200)}\nA provider cannot play this: it ends the call.`);
    endCall(call, 'error');
    return;
  }
  call.verbs = [...root.children];
  call.index = 0;
  await continueScript(call);
}

/** Plays the answer's verbs from where it stopped, up to the next one that waits for the caller. @param {Call} call */
async function continueScript(call) {
  while (state.call === call && call.index < call.verbs.length) {
    const verb = /** @type {Element} */ (call.verbs[call.index++]);
    switch (verb.nodeName) {
      case 'Say':
      case 'Play':
      case 'Pause':
        speak(call, verb);
        break;
      case 'GetDigits':
      case 'Gather':
        for (const child of verb.children) speak(call, child);
        waitForKeys(call, verb);
        return;
      case 'Record':
        for (const child of verb.children) speak(call, child);
        waitForRecording(call, verb);
        return;
      case 'Dial':
        ringOfficers(call, verb);
        return;
      case 'Redirect':
        await follow(call, verb);
        return;
      case 'Hangup':
      case 'Reject':
        logItem('end', '', 'The hotline hangs up.');
        endCall(call, 'hotline');
        return;
      default:
        logItem('error', `<${verb.nodeName}> is not simulated`, 'Skipped, as the simulator does not know what the provider would do.');
    }
  }
  if (state.call === call) {
    logItem('end', '', 'The answer ends here, so the provider ends the call.');
    endCall(call, 'hotline');
  }
}

/**
 * What the caller hears: text spoken by the provider, or a recording.
 * @param {Call} call
 * @param {Element} verb
 */
function speak(call, verb) {
  if (verb.nodeName === 'Say') {
    const text = (verb.textContent ?? '').trim();
    const li = logItem('heard', `Caller hears · ${voiceOf(call, verb)}`, text);
    call.heard.push(text);
    li.dataset.lang = verb.getAttribute('language') ?? 'en';
    readAloud(text, verb.getAttribute('language') ?? 'en-GB');
  } else if (verb.nodeName === 'Play') {
    playItem(verb.getAttribute('url') ?? (verb.textContent ?? '').trim());
    call.heard.push('(a recording)');
  } else if (verb.nodeName === 'Pause') {
    logItem('heard', 'Caller hears', `(silence, ${verb.getAttribute('length') ?? '1'} s)`);
  } else {
    logItem('error', `<${verb.nodeName}> is not simulated`, 'Skipped.');
  }
}

/**
 * The voice a Say is spoken in: Twilio's language and voice; Africa's Talking speaks English only.
 * @param {Call} call
 * @param {Element} verb
 */
function voiceOf(call, verb) {
  if (call.provider === 'twilio') {
    const language = verb.getAttribute('language') ?? 'en-US';
    const name = TWILIO_LANGUAGES[language.slice(0, 2)] ?? language;
    return `${name} speech (${language}${verb.getAttribute('voice') ? `, ${verb.getAttribute('voice')}` : ''})`;
  }
  return `English speech, ${verb.getAttribute('voice') ?? 'woman'}'s voice`;
}

/** A recording in the answer: a player, or why there is none (it is missing, or on another site). @param {string} url */
function playItem(url) {
  const li = logItem('heard play', 'Caller hears a recording');
  const note = document.createElement('p');
  note.className = 'body note';
  const target = localTarget(url);
  if (!target) {
    note.textContent = `${url} is on another site: not loaded, so that the simulator works offline.`;
    li.append(note);
    return;
  }
  const audio = audioPlayer(target.path, `Recording ${target.path.split('/').pop()}`);
  note.textContent = target.path;
  li.append(audio, note);
  // Locally a prompt without a recording is spoken instead, so a missing file is worth saying out loud.
  fetch(target.path, { method: 'HEAD', cache: 'no-store' })
    .then((response) => {
      if (response.ok) return;
      audio.remove();
      li.classList.add('missing');
      note.textContent = `Recording missing (HTTP ${response.status}): ${target.path}. A provider cannot play it: the caller hears nothing here.`;
    })
    .catch(() => undefined);
}

/**
 * Reads what the caller hears with the browser's own speech, when the box is ticked and the browser can.
 * @param {string} text
 * @param {string} language
 */
function readAloud(text, language) {
  if (!inputField('voice-speak').checked || !('speechSynthesis' in window)) return;
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = language;
  window.speechSynthesis.speak(utterance);
}

function stopSpeaking() {
  if ('speechSynthesis' in window) window.speechSynthesis.cancel();
}

/** The caller (or an officer) did something: what was heard before is history, and Redirects count afresh. @param {Call} call */
function callerActs(call) {
  call.automatic = 0;
  call.heard = [];
}

/**
 * @param {Call} call
 * @param {Element} verb
 */
async function follow(call, verb) {
  call.automatic += 1;
  if (call.automatic > MAX_AUTOMATIC_HOPS) {
    logItem('error', 'Redirect loop', `${MAX_AUTOMATIC_HOPS} callbacks without the caller doing anything: the simulator hangs up.`);
    endCall(call, 'error');
    return;
  }
  const url = (verb.textContent ?? '').trim();
  logItem('hop', '', `↪ Redirect${verb.getAttribute('method') === 'GET' ? ' (GET in the answer; sent as POST here)' : ''}`);
  await voiceRequest(call, url || call.documentPath, callFields(call, {}, {}));
}

/**
 * The URL a waiting verb reports to: Twilio's `action`, Africa's Talking's `callbackUrl`, else the answer's own.
 * @param {Call} call
 * @param {Element} verb
 */
const callbackOf = (call, verb) => (call.provider === 'twilio' ? verb.getAttribute('action') : verb.getAttribute('callbackUrl')) ?? call.documentPath;

// Keys ------------------------------------------------------------------------------------------------------------

/**
 * @param {Call} call
 * @param {Element} verb
 */
function waitForKeys(call, verb) {
  /** @type {import('./state.js').KeysWait} */
  const wait = {
    kind: 'keys',
    url: callbackOf(call, verb),
    numDigits: Number(verb.getAttribute('numDigits')) || 0,
    // Both providers finish on # unless told otherwise; the voice line sets "" for one-key questions on Twilio.
    finishOnKey: verb.getAttribute('finishOnKey') ?? '#',
    timeout: Number(verb.getAttribute('timeout')) || 5,
  };
  call.wait = wait;
  call.keys = '';
  const { numDigits, finishOnKey, timeout } = wait;
  const what = numDigits === 1 ? 'one key' : numDigits ? `${numDigits} keys` : `keys, then ${finishOnKey || 'a pause'}`;
  logItem('wait', '', `⌨ Waiting for ${what} (the provider waits ${timeout} s)`);
  voicePhase('keys', `Waiting for ${what}: press ${numDigits === 1 ? 'it' : 'them'} on the keypad.`);
  renderVoiceActions(call);
}

/** A key pressed during the call: a tone the line hears only while it listens for keys (or to end a recording). @param {string} key */
export function dtmf(key) {
  const call = state.call;
  flash(key);
  if (!call) return;
  const wait = call.wait;
  if (call.busy || !wait) {
    showStatus(`${key}: nobody listens for keys at this moment of the call.`);
    return;
  }
  if (wait.kind === 'record') {
    if (wait.mic && wait.finishOnKey.includes(key)) void stopMicrophone(call, key);
    else if (!wait.mic) showStatus('The line is recording: use the microphone, send the sample recording, or say nothing.');
    return;
  }
  if (wait.kind !== 'keys') return;
  if (wait.finishOnKey && wait.finishOnKey.includes(key)) {
    void submitKeys(call, key);
    return;
  }
  call.keys += key;
  renderCallScreen();
  renderVoiceActions(call);
  if (wait.numDigits && call.keys.length >= wait.numDigits) void submitKeys(call, '');
}

/**
 * @param {Call} call
 * @param {string} finishedOnKey
 */
async function submitKeys(call, finishedOnKey) {
  const wait = call.wait;
  if (wait?.kind !== 'keys') return;
  const digits = call.keys;
  call.wait = null;
  call.keys = '';
  callerActs(call);
  if (!digits) {
    logItem('caller', 'Caller', finishedOnKey ? `pressed ${finishedOnKey} alone` : 'pressed nothing');
    noKeys(call);
    return;
  }
  logItem('caller', 'Caller pressed', `${digits}${finishedOnKey}`);
  await voiceRequest(call, wait.url, callFields(call, { Digits: digits, FinishedOnKey: finishedOnKey }, { dtmfDigits: digits }));
}

/** No keys before the timeout: the question sends nothing, and the provider goes on with the next verb. @param {Call} call */
function noKeys(call) {
  logItem('hop', '', `No input: ${call.provider === 'twilio' ? 'Gather' : 'GetDigits'} times out and the next verb plays.`);
  void continueScript(call);
}

/** @param {Call} call */
function timeOut(call) {
  if (call.wait?.kind !== 'keys') return;
  // Keys typed without the finishing key are sent when the time is up, as both providers do.
  if (call.keys) {
    void submitKeys(call, '');
    return;
  }
  call.wait = null;
  callerActs(call);
  logItem('caller', 'Caller', 'pressed nothing');
  noKeys(call);
}

// Recording -------------------------------------------------------------------------------------------------------

/**
 * @param {Call} call
 * @param {Element} verb
 */
function waitForRecording(call, verb) {
  /** @type {RecordWait} */
  const wait = {
    kind: 'record',
    url: callbackOf(call, verb),
    maxLength: Number(verb.getAttribute('maxLength')) || 3600,
    finishOnKey: verb.getAttribute('finishOnKey') ?? (call.provider === 'twilio' ? '1234567890*#' : '#'),
    mic: null,
  };
  call.wait = wait;
  const beep = verb.getAttribute('playBeep') === 'false' ? '' : 'Beep. ';
  logItem('wait', '', `● ${beep}Recording: up to ${wait.maxLength} s, ${wait.finishOnKey === '#' ? '# ends it' : 'a key ends it'}.`);
  voicePhase('record', 'The line records the caller: use the microphone, or send the sample recording.');
  renderVoiceActions(call);
}

/** @param {Call} call */
async function startMicrophone(call) {
  const wait = call.wait;
  if (wait?.kind !== 'record' || wait.mic) return;
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch (error) {
    showStatus(`No microphone (${messageOf(error)}). Send the sample recording instead.`, true);
    return;
  }
  if (state.call !== call || call.wait !== wait) {
    for (const track of stream.getTracks()) track.stop();
    return;
  }
  wait.mic = startRecorder(stream, wait.maxLength, () => void stopMicrophone(call, ''));
  voicePhase('record', `Recording from the microphone (at most ${wait.maxLength} s): speak, then press # or Stop.`);
  renderVoiceActions(call);
}

/**
 * @param {Call} call
 * @param {string} key
 */
async function stopMicrophone(call, key) {
  const wait = call.wait;
  if (wait?.kind !== 'record' || !wait.mic) return;
  const mic = wait.mic;
  wait.mic = null;
  const { blob, seconds } = await finishMicrophone(mic);
  await sendRecording(call, wait, blob, seconds, key);
}

/**
 * The caller's message, as the provider hands it over: uploaded, then its URL to the Record's callback (Twilio:
 * RecordingUrl, RecordingDuration and the key that ended it; Africa's Talking: recordingUrl, whose duration comes
 * only in the final callback). With `ignoreAnswer`, the caller has hung up (Twilio still calls the action).
 * @param {Call} call
 * @param {RecordWait} wait
 * @param {Blob} blob
 * @param {number} seconds
 * @param {string} key
 * @param {boolean} [ignoreAnswer]
 */
async function sendRecording(call, wait, blob, seconds, key, ignoreAnswer = false) {
  if (call.wait === wait) call.wait = null;
  callerActs(call);
  renderVoiceActions(call);
  let stored;
  try {
    stored = await uploadRecording(blob);
  } catch (error) {
    logItem('error', 'Recording not stored', messageOf(error));
    if (!ignoreAnswer) endCall(call, 'error');
    return;
  }
  call.recording = { url: stored.url, path: stored.path, seconds };
  logItem('caller', `Caller's message (${seconds} s)`).append(audioPlayer(stored.path, "The caller's message"));
  const fields = callFields(
    call,
    {
      ...(key === 'hangup' ? { CallStatus: 'completed' } : {}),
      RecordingUrl: stored.url,
      RecordingSid: ids.twilioRecording(),
      RecordingDuration: String(seconds),
      ...(key ? { Digits: key } : {}),
    },
    { recordingUrl: stored.url },
  );
  if (ignoreAnswer && call.provider !== 'twilio') return; // Africa's Talking: it comes with the final callback
  await voiceRequest(call, wait.url, fields, { ignoreAnswer });
}

/** @param {Call} call */
async function sendSample(call) {
  const wait = call.wait;
  if (wait?.kind !== 'record' || wait.mic) return;
  await sendRecording(call, wait, sampleRecording(), SAMPLE_SECONDS, '#');
}

/** Nothing recorded: both providers go on with the next verb (the voice line asks again). @param {Call} call */
function recordNothing(call) {
  if (call.wait?.kind !== 'record' || call.wait.mic) return;
  call.wait = null;
  callerActs(call);
  logItem('caller', 'Caller', 'said nothing');
  logItem('hop', '', 'Nothing recorded: the next verb plays.');
  void continueScript(call);
}

// Officers --------------------------------------------------------------------------------------------------------

/**
 * @param {Call} call
 * @param {Element} verb
 */
function ringOfficers(call, verb) {
  const twilio = call.provider === 'twilio';
  const numbers = twilio
    ? [...verb.getElementsByTagName('Number')].map((n) => (n.textContent ?? '').trim()).concat(verb.children.length ? [] : [(verb.textContent ?? '').trim()]).filter(Boolean)
    : (verb.getAttribute('phoneNumbers') ?? '').split(',').map((n) => n.trim()).filter(Boolean);
  // Twilio's call screening: each officer's leg first runs the <Number url> (the whisper) before it is bridged.
  const whisper = twilio ? verb.getElementsByTagName('Number')[0]?.getAttribute('url') ?? null : null;
  call.wait = { kind: 'dial', numbers, action: twilio ? verb.getAttribute('action') : null, whisper, startedAt: Date.now() };
  const callerId = verb.getAttribute('callerId');
  const ring = verb.getAttribute('timeout');
  const here = numbers.some((n) => samePhone(n, state.officerNumber)) ? ' (one is the officer’s phone on this page)' : '';
  logItem(
    'wait',
    '',
    `☎ Ringing officers: ${numbers.join(', ')}${here}. Caller ID ${callerId ?? 'not set'}; ${ring ? `they ring for ${ring} s` : 'the provider’s own ring time'}.`,
  );
  voicePhase('dial', `Ringing ${numbers.length === 1 ? 'an officer' : `${numbers.length} officers`}: does one answer?`);
  renderVoiceActions(call);
}

/**
 * The officer's leg of a screened Twilio Dial: the whisper asks for a key, and the officer presses 1 to accept, as
 * Twilio runs it on the officer's phone. Returns the leg's CallSid, under which the hotline records the acceptance.
 * @param {Call} call
 * @param {string} whisperUrl
 * @param {string} officerNumber
 */
async function officerAccepts(call, whisperUrl, officerNumber) {
  const legSid = ids.twilioCall();
  const leg = twilioVoiceFields(call, { CallSid: legSid, Direction: 'outbound-api', From: call.to, To: officerNumber, Called: officerNumber, Caller: call.to });
  const ask = localTarget(whisperUrl);
  if (!ask) return legSid;
  const twiml = await (await postForm(ask.path, leg, await twilioSignature(ask.path, leg))).text();
  const gather = new DOMParser().parseFromString(twiml, 'text/xml').getElementsByTagName('Gather')[0];
  const accept = localTarget(gather?.getAttribute('action') ?? '');
  if (accept) {
    const pressed = { ...leg, Digits: '1' };
    await postForm(accept.path, pressed, await twilioSignature(accept.path, pressed));
    logItem('caller', 'Officer', `${officerNumber} hears "urgent hotline call" and presses 1 to accept.`);
  }
  return legSid;
}

/** An officer picks up: the caller and the officer talk (the simulator carries no audio). @param {Call} call */
async function officerAnswers(call) {
  const wait = call.wait;
  if (wait?.kind !== 'dial') return;
  callerActs(call);
  const number = wait.numbers[0] ?? '';
  const legSid = wait.whisper ? await officerAccepts(call, wait.whisper, number) : undefined;
  const officer = { number, startedAt: Date.now(), ...(legSid ? { legSid } : {}) };
  call.officer = officer;
  call.wait = { kind: 'connected', action: wait.action };
  logItem('caller', 'Officer answers', `${officer.number} picks up and talks with the caller (no audio in the simulator).`);
  voicePhase('connected', 'Connected to an officer. The officer hangs up, or the caller does.');
  renderVoiceActions(call);
}

/**
 * Twilio's after-Dial request; Africa's Talking has none (the script ended when the officer picked up).
 * @param {Call} call
 * @param {string} status
 * @param {Fields} [extra]
 */
function dialFields(call, status, extra = {}) {
  const duration = call.officer ? secondsBetween(call.officer.startedAt) : 0;
  return twilioVoiceFields(call, {
    ...extra,
    DialCallStatus: status,
    DialCallSid: call.officer?.legSid ?? ids.twilioCall(),
    ...(status === 'completed' ? { DialCallDuration: String(duration) } : {}),
  });
}

/** @param {Call} call */
async function officerHangsUp(call) {
  const wait = call.wait;
  if (wait?.kind !== 'connected') return;
  call.wait = null;
  callerActs(call);
  logItem('caller', 'Officer', 'hangs up.');
  if (call.provider === 'twilio' && wait.action) {
    await voiceRequest(call, wait.action, dialFields(call, 'completed'));
    return;
  }
  logItem('end', '', "Africa's Talking bridged the call and the script ended with it: the call is over.");
  endCall(call, 'hotline');
}

/** @param {Call} call */
async function nobodyAnswers(call) {
  const wait = call.wait;
  if (wait?.kind !== 'dial') return;
  call.wait = null;
  callerActs(call);
  logItem('caller', 'Officers', 'nobody answers.');
  if (call.provider === 'twilio' && wait.action) {
    await voiceRequest(call, wait.action, dialFields(call, 'no-answer'));
    return;
  }
  logItem('hop', '', 'Nobody picked up: the next verb plays.');
  await continueScript(call);
}

// The end of a call -----------------------------------------------------------------------------------------------

/**
 * @param {Call} call
 * @param {'caller' | 'hotline' | 'error'} reason
 */
function endCall(call, reason) {
  if (state.call !== call) return;
  state.call = null;
  call.endedAt = Date.now();
  clearInterval(call.clock);
  if (call.wait?.kind === 'record' && call.wait.mic) void finishMicrophone(call.wait.mic);
  call.wait = null;
  voiceActions().replaceChildren();
  voiceActions().hidden = true;
  logItem('end', '', `Call ended · ${callClock(call.endedAt - call.startedAt)}${reason === 'caller' ? ' · the caller hung up' : ''}`);
  voicePhase('ended', `Call ended after ${callClock(call.endedAt - call.startedAt)}. Call again, or switch the caller or the provider.`);
  showCallEnded(call);
  if (call.provider === 'africastalking') void atFinalCallback(call);
}

/** Africa's Talking's last callback, after hang-up, to the number's own URL: the call's length, and the message if any. @param {Call} call */
async function atFinalCallback(call) {
  const fields = atVoiceFields(call, {
    isActive: '0',
    durationInSeconds: String(secondsBetween(call.startedAt, call.endedAt)),
    currencyCode: 'USD',
    amount: '0.0000',
    ...(call.recording ? { recordingUrl: call.recording.url } : {}),
    hangupCause: 'NORMAL_CLEARING',
    ...(call.officer
      ? {
          dialDestinationNumber: call.officer.number,
          dialDurationInSeconds: String(secondsBetween(call.officer.startedAt, call.endedAt)),
          dialStartTime: atDate(new Date(call.officer.startedAt)),
        }
      : {}),
  });
  logItem('hop', '', "Africa's Talking's final callback (its answer is ignored):");
  await voiceRequest(call, withToken('/voice/africastalking'), fields, { ignoreAnswer: true });
  $('voice').dataset.final = 'sent';
}

/** The caller hangs up: what the provider still sends goes (a message being recorded, Twilio's Dial action), then the call ends. */
export async function hangUp() {
  const call = state.call;
  if (!call) return;
  stopSpeaking();
  const wait = call.wait;
  logItem('caller', 'Caller', 'hangs up.');
  if (wait?.kind === 'record' && wait.mic) {
    // A message cut short is still a message: Twilio calls the Record action with Digits=hangup (and ignores the
    // answer); Africa's Talking puts it in the final callback.
    const mic = wait.mic;
    wait.mic = null;
    call.wait = null;
    const { blob, seconds } = await finishMicrophone(mic);
    if (call.provider === 'twilio') {
      endCall(call, 'caller');
      await sendRecording(call, wait, blob, seconds, 'hangup', true);
    } else {
      await sendRecording(call, wait, blob, seconds, '', true);
      endCall(call, 'caller');
    }
    return;
  }
  endCall(call, 'caller');
  // Twilio calls the Dial action when the bridged call ends, whoever hangs up.
  if (wait?.kind === 'connected' && call.provider === 'twilio' && wait.action) {
    await voiceRequest(call, wait.action, dialFields(call, 'completed', { CallStatus: 'completed' }), { ignoreAnswer: true });
  }
}

/** The buttons for what the line waits for; the keypad does the keys. @param {Call} call */
function renderVoiceActions(call) {
  const box = voiceActions();
  const hadFocus = box.contains(document.activeElement) || document.activeElement === document.body;
  box.replaceChildren();
  const wait = state.call === call ? call.wait : null;
  box.hidden = !wait;
  if (!wait) return;
  /** @param {string} text */
  const note = (text) => {
    const p = document.createElement('p');
    p.className = 'vnote';
    p.textContent = text;
    box.append(p);
  };
  /**
   * @param {string} label
   * @param {() => unknown} handler
   * @param {boolean} [primary]
   */
  const action = (label, handler, primary = false) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = primary ? 'vbutton primary' : 'vbutton';
    b.textContent = label;
    b.addEventListener('click', () => void handler());
    box.append(b);
    return b;
  };
  switch (wait.kind) {
    case 'keys':
      note(call.keys ? `Keys so far: ${call.keys}` : 'Press the keys on the phone’s keypad (or type them).');
      action(call.keys ? `Time out (sends ${call.keys})` : 'No input (time out)', () => timeOut(call));
      break;
    case 'record':
      if (wait.mic) {
        note('Recording from the microphone…');
        action(`Stop and send (${wait.finishOnKey.includes('#') ? '#' : 'a key'})`, () => stopMicrophone(call, '#'), true);
      } else {
        if (canUseMicrophone()) action('Record from the microphone', () => startMicrophone(call), true);
        action('Submit a sample recording', () => sendSample(call), !canUseMicrophone());
        action('Say nothing', () => recordNothing(call));
      }
      break;
    case 'dial':
      action('Officer answers', () => officerAnswers(call), true);
      action('Nobody answers', () => nobodyAnswers(call));
      break;
    case 'connected':
      action('Officer hangs up', () => officerHangsUp(call));
      break;
  }
  // Keyboard users keep their place: the focus moves to the new buttons when the old ones went away.
  if (hadFocus) box.querySelector('button')?.focus();
}

/** The voice panel's controls: the provider, the hotline's number, Call, Hang up and reading aloud. */
export function bindVoice() {
  const provider = selectField('voice-provider');
  const number = inputField('voice-number');
  provider.addEventListener('change', () => {
    const before = state.voiceProvider;
    state.voiceProvider = provider.value === 'twilio' ? 'twilio' : 'africastalking';
    // The other provider's number follows, unless a number of one's own was typed.
    if (samePhone(number.value, config.voiceNumbers[before])) number.value = config.voiceNumbers[state.voiceProvider];
    save();
    showStatus(`Calls now go through ${PROVIDER_NAMES[state.voiceProvider]} (/voice/${state.voiceProvider}${state.voiceProvider === 'twilio' ? ', signed' : ''}).`);
  });
  bindPhoneField(number, {
    current: () => config.voiceNumbers[state.voiceProvider],
    example: '+254711082000',
    onValid: (value) => {
      number.value = value;
    },
  });
  $('voice-call').addEventListener('click', () => void placeCall());
  $('voice-hangup').addEventListener('click', () => void hangUp());
  if (!('speechSynthesis' in window)) $('voice-speak-row').hidden = true;
  $('voice-speak').addEventListener('change', (event) => {
    if (!(/** @type {HTMLInputElement} */ (event.target).checked)) stopSpeaking();
  });
}
