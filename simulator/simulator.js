// SafeJob Hotline phone simulator. Plain JavaScript, no dependencies, no build step.
// Every request goes to the REAL webhook routes in the providers' formats; replies are read from the local outbox.
// The only helpers it uses live under /dev/sim/ (config, screen measure, Twilio signatures, recordings), local only.

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const STORAGE_KEY = 'safejob-simulator';
const POLL_MS = 1000;
/** Africa's Talking gives up on a response after roughly 10–15 s; sessions last about 180 s (docs/providers.md). */
const RESPONSE_TIMEOUT_MS = 15_000;
const SESSION_TIMEOUT_MS = 180_000;
const NETWORK_ERROR = 'Connection problem or invalid MMI code.';

/** @type {any} */
let config;
const state = {
  callerNumber: '',
  officerNumber: '',
  provider: 'africastalking',
  /** The provider voice calls go through. */
  voiceProvider: 'africastalking',
  /** The voice call in progress (see placeCall). */
  call: /** @type {any} */ (null),
  /** @type {null | {id: string, text: string, hops: number, startedAt: number, lastResponse: string, timer: number}} */
  session: null,
  /** The last screen was an END (or an error): the next Call/Send with nothing typed goes back to the home screen. */
  closedScreenShown: false,
  busy: false,
  /** Messages the phones sent: {id, from, text, at, provider, status, ok}. */
  sent: /** @type {any[]} */ ([]),
  /** Everything the outbox has queued, by id. */
  outbox: /** @type {Map<string, any>} */ (new Map()),
  pollFailed: false,
};

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

const randomHex = (length) => {
  const bytes = new Uint8Array(Math.ceil(length / 2));
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('').slice(0, length);
};
const digitsOf = (phone) => String(phone).replace(/\D/g, '');
const samePhone = (a, b) => digitsOf(a) !== '' && digitsOf(a) === digitsOf(b);
const pad = (n) => String(n).padStart(2, '0');
/** Africa's Talking's date format, `2026-11-20 09:20:11` (UTC). */
const atDate = (date = new Date()) =>
  `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
  `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
const timeOf = (iso) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
};
const withToken = (path) => (config.atWebhookToken ? `${path}?token=${encodeURIComponent(config.atWebhookToken)}` : path);
const validPhone = (value) => /^\+[1-9][0-9]{6,14}$/.test(value);

/** A fresh fictional number +99290xxxxxxx, never in the officers' +992900009xxx range. */
function randomCallerNumber() {
  for (;;) {
    const rest = String(crypto.getRandomValues(new Uint32Array(1))[0] % 10_000_000).padStart(7, '0');
    if (!rest.startsWith('0009')) return `+99290${rest}`;
  }
}

function countryOf(phone) {
  const prefixes = [['+992', 'TJ'], ['+996', 'KG'], ['+998', 'UZ'], ['+44', 'GB'], ['+7', 'RU']];
  return prefixes.find(([prefix]) => phone.startsWith(prefix))?.[1] ?? '';
}

function showStatus(message, isError = false) {
  const line = $('status-line');
  line.textContent = message;
  line.classList.toggle('error', isError);
}

function save() {
  const { callerNumber, officerNumber, provider, voiceProvider } = state;
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ callerNumber, officerNumber, provider, voiceProvider }));
  } catch {
    // Private windows may refuse storage; the simulator works without it.
  }
}

function load() {
  try {
    return JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') ?? {};
  } catch {
    return {};
  }
}

async function postJson(path, body) {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

const postForm = (path, fields, headers = {}, signal = undefined) =>
  fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields),
    signal,
  });

// ---------------------------------------------------------------------------------------------------------------
// The handset's display (USSD)

const ussdScreen = () => $('ussd-screen');
let screensShown = 0;

/** The session's phase, on the status bar and as `data-phase` (home, busy, open, ended) for tests and styles. */
function phase(name, label) {
  $('ussd-state').textContent = label;
  ussdScreen().dataset.phase = name;
}

/** Counts every screen shown (`data-screens`), so a test can wait for the next one. */
function screenShown() {
  screensShown += 1;
  ussdScreen().dataset.screens = String(screensShown);
}
const input = () => /** @type {HTMLInputElement} */ ($('ussd-input'));

function showHome() {
  state.closedScreenShown = false;
  ussdScreen().classList.remove('closed');
  ussdScreen().classList.add('home');
  ussdScreen().textContent = `SafeJob Hotline\n\nDial ${config.ussdServiceCode}\nthen press Call/Send.`;
  $('ussd-count').textContent = '';
  $('ussd-encoding').textContent = '';
  $('ussd-count').classList.remove('over');
  phase('home', 'Ready');
  input().placeholder = `Dial ${config.ussdServiceCode}`;
  screenShown();
}

/** Shows a screen as the phone would: the gateway strips `CON `/`END `; the count and the limit are shown under it. */
async function showScreen(text, closed) {
  ussdScreen().classList.remove('home');
  ussdScreen().classList.toggle('closed', closed);
  ussdScreen().textContent = text;
  ussdScreen().scrollTop = 0;
  input().placeholder = closed ? 'Call/Send or End to close' : 'Type your answer';
  try {
    const m = await postJson('/dev/sim/measure', { text });
    const count = $('ussd-count');
    count.textContent = `${m.length}/${m.limit} chars${m.length > m.limit ? ' · TOO LONG' : ''}`;
    count.classList.toggle('over', m.length > m.limit);
    $('ussd-encoding').textContent = m.encoding === 'gsm' ? 'GSM 7-bit' : 'UCS-2';
  } catch {
    $('ussd-count').textContent = `${[...text.normalize('NFC')].length} chars`;
    $('ussd-encoding').textContent = '';
  }
  screenShown();
}

function showWire(request, response) {
  $('wire-session').textContent = state.session?.id ?? '—';
  $('wire-text').textContent = state.session ? JSON.stringify(state.session.text) : '—';
  $('wire-hops').textContent = state.session ? String(state.session.hops) : '—';
  if (request !== undefined) $('wire-request').textContent = request;
  if (response !== undefined) $('wire-response').textContent = response;
}

/** The end-of-session notification Africa's Talking sends to its separate URL. */
function notifySessionEnd(session, statusText, errorMessage = '') {
  const fields = {
    date: atDate(),
    sessionId: session.id,
    serviceCode: config.ussdServiceCode,
    networkCode: config.networkCode,
    phoneNumber: state.callerNumber,
    status: statusText,
    cost: 'TJS 0.0000',
    durationInMillis: String(Date.now() - session.startedAt),
    hopsCount: String(session.hops),
    input: session.text,
    lastAppResponse: session.lastResponse,
    errorMessage,
  };
  postForm(withToken('/ussd/africastalking/events'), fields).catch(() => undefined);
}

function closeSession(statusText, errorMessage = '') {
  const session = state.session;
  if (!session) return;
  clearTimeout(session.timer);
  state.session = null;
  notifySessionEnd(session, statusText, errorMessage);
}

async function closeWithMessage(message, statusText, errorMessage = '') {
  closeSession(statusText, errorMessage);
  state.closedScreenShown = true;
  phase('ended', 'Session ended');
  await showScreen(message, true);
}

/** One request of the session, exactly as the gateway sends it: the whole path so far in `text`. */
async function ussdRequest() {
  const session = state.session;
  if (!session) return;
  const fields = {
    sessionId: session.id,
    serviceCode: config.ussdServiceCode,
    phoneNumber: state.callerNumber,
    networkCode: config.networkCode,
    text: session.text,
  };
  session.hops += 1;
  showWire(new URLSearchParams(fields).toString(), '…');
  phase('busy', 'Running…');
  const abort = new AbortController();
  const timeout = setTimeout(() => abort.abort(), RESPONSE_TIMEOUT_MS);
  let raw = '';
  let httpStatus = 0;
  try {
    const response = await postForm(withToken('/ussd/africastalking'), fields, {}, abort.signal);
    httpStatus = response.status;
    raw = await response.text();
  } catch (error) {
    raw = String(error);
  } finally {
    clearTimeout(timeout);
  }
  if (state.session !== session) return; // ended (End, new caller) while waiting
  session.lastResponse = raw;
  showWire(undefined, httpStatus ? `HTTP ${httpStatus}\n${raw}` : raw);
  // A non-200 answer or a body without the CON/END prefix ends the session, as on the real gateway.
  const match = httpStatus === 200 ? /^(CON|END) ([\s\S]*)$/.exec(raw) : null;
  if (!match) {
    await closeWithMessage(NETWORK_ERROR, 'Failed', httpStatus ? `HTTP ${httpStatus}` : 'no response');
    return;
  }
  if (match[1] === 'END') {
    await closeWithMessage(match[2], 'Success');
    return;
  }
  phase('open', 'Session open');
  await showScreen(match[2], false);
}

/** The text a dialled code starts the session with: `*384*1234*3*1#` dials straight to `3*1`, like AT does. */
function dialledPath(code) {
  const service = config.ussdServiceCode;
  if (code === service) return '';
  const base = service.replace(/#$/, '');
  if (code.startsWith(`${base}*`) && code.endsWith('#')) return code.slice(base.length + 1, -1);
  return undefined;
}

async function callOrSend() {
  if (state.busy) return;
  if (state.call) {
    showStatus('In a call: the keypad sends tones to the hotline, and End hangs up.');
    return;
  }
  const typed = input().value;
  state.busy = true;
  try {
    if (state.session) {
      if (typed === '') return; // the phone does not send an empty answer
      input().value = '';
      state.session.text = state.session.text === '' ? typed : `${state.session.text}*${typed}`;
      await ussdRequest();
      return;
    }
    const code = typed.trim();
    if (code === '') {
      if (state.closedScreenShown) showHome();
      return;
    }
    input().value = '';
    if (!/^[*#]/.test(code)) {
      // A number: a voice call, which the simulator connects to the hotline's voice number only.
      const hotline = /** @type {HTMLInputElement} */ ($('voice-number')).value;
      if (samePhone(code, hotline)) {
        await placeCall(hotline);
        return;
      }
      await closeWithMessage(`Calling ${code}…\n\nThe simulator connects calls to the hotline only: ${hotline}.`, 'Failed');
      return;
    }
    const path = dialledPath(code);
    if (path === undefined) {
      state.closedScreenShown = true;
      phase('ended', 'Not a service');
      await showScreen(NETWORK_ERROR, true);
      return;
    }
    startSession(path);
    await ussdRequest();
  } finally {
    state.busy = false;
  }
}

function startSession(path) {
  const session = {
    id: `ATUid_${randomHex(20)}`,
    text: path,
    hops: 0,
    startedAt: Date.now(),
    lastResponse: '',
    timer: 0,
  };
  session.timer = window.setTimeout(() => {
    if (state.session === session) void closeWithMessage('Session expired.', 'Incomplete', 'session timeout');
  }, SESSION_TIMEOUT_MS);
  state.session = session;
  state.closedScreenShown = false;
}

function endKey() {
  input().value = '';
  if (state.call) {
    void hangUp();
    return;
  }
  if (state.session) closeSession('Incomplete', 'cancelled by the user');
  showHome();
}

function pressKey(key) {
  if (state.call) {
    dtmf(key);
    return;
  }
  if (state.closedScreenShown && !state.session) showHome();
  const field = input();
  field.value += key;
  flash(key);
}

function clearKey() {
  const field = input();
  field.value = field.value.slice(0, -1);
}

function flash(key) {
  const button = document.querySelector(`.keypad [data-key="${CSS.escape(key)}"]`);
  if (!button) return;
  button.classList.add('pressed');
  setTimeout(() => button.classList.remove('pressed'), 120);
}

// ---------------------------------------------------------------------------------------------------------------
// SMS, in the provider's format, to the real webhook

async function sendSms(from, text) {
  const provider = state.provider;
  const entry = { id: `sent-${randomHex(12)}`, from, text, at: new Date().toISOString(), provider, status: 'sending…', ok: true };
  state.sent.push(entry);
  renderThreads();
  try {
    const response = provider === 'twilio' ? await sendTwilio(from, text) : await sendAfricasTalking(from, text);
    entry.ok = response.ok;
    entry.status = response.ok
      ? `to the hotline via ${provider === 'twilio' ? 'Twilio' : "Africa's Talking"}`
      : `refused: HTTP ${response.status} ${(await response.text()).slice(0, 120)}`;
  } catch (error) {
    entry.ok = false;
    entry.status = `not sent: ${error instanceof Error ? error.message : String(error)}`;
  }
  renderThreads();
  void poll();
}

function sendAfricasTalking(from, text) {
  return postForm(withToken('/sms/africastalking'), {
    linkId: `SimLink${randomHex(8)}`,
    text,
    to: config.atShortCode,
    id: `ATXid_${randomHex(20)}`,
    date: atDate(),
    from,
    networkCode: config.networkCode,
  });
}

async function sendTwilio(from, text) {
  const sid = `SM${randomHex(32)}`;
  const { smsParts } = await postJson('/dev/sim/measure', { text });
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
    AccountSid: `AC${'0'.repeat(32)}`,
    From: from,
    ApiVersion: '2010-04-01',
  };
  // The signature is computed by the server, over PUBLIC_BASE_URL + path and every parameter: the auth token
  // never reaches the page.
  const { signature } = await postJson('/dev/sim/twilio-sign', { url: '/sms/twilio', params });
  return postForm('/sms/twilio', params, { 'X-Twilio-Signature': signature });
}

// ---------------------------------------------------------------------------------------------------------------
// Threads: what each phone sent, and what the outbox sent to it

/** Each thread keeps its rendered items by id, so an update changes one line rather than re-announcing all. */
const rendered = { caller: new Map(), officer: new Map() };

function threadItems(number) {
  const items = [];
  for (const entry of state.sent) if (samePhone(entry.from, number)) items.push({ ...entry, direction: 'out' });
  for (const message of state.outbox.values()) {
    if (samePhone(message.to, number)) {
      items.push({ id: message.id, text: message.text, at: message.createdAt, direction: 'in', ok: message.status !== 'failed', status: `${message.status}${message.provider ? ` · ${message.provider}` : ''}` });
    }
  }
  return items.sort((a, b) => a.at.localeCompare(b.at));
}

function renderThread(which, number) {
  const list = $(`${which}-thread`);
  const seen = rendered[which];
  if (list.dataset.number !== number) {
    list.replaceChildren();
    seen.clear();
    list.dataset.number = number;
  }
  for (const item of threadItems(number)) {
    let li = seen.get(item.id);
    if (!li) {
      li = document.createElement('li');
      li.className = `sms ${item.direction}`;
      const who = document.createElement('span');
      who.className = 'visually-hidden';
      who.textContent = item.direction === 'in' ? 'From the hotline: ' : 'Sent: ';
      const body = document.createElement('p');
      body.className = 'body';
      body.textContent = item.text;
      const meta = document.createElement('span');
      meta.className = 'meta';
      li.append(who, body, meta);
      list.append(li);
      seen.set(item.id, li);
      list.scrollTop = list.scrollHeight;
    }
    const meta = /** @type {HTMLElement} */ (li.querySelector('.meta'));
    const text = `${timeOf(item.at)} · ${item.status}`;
    if (meta.textContent !== text) meta.textContent = text;
    li.classList.toggle('failed', !item.ok);
  }
  if (list.children.length === 0) {
    const empty = document.createElement('li');
    empty.className = 'empty';
    empty.textContent = 'No messages yet.';
    list.append(empty);
  } else if (list.children.length > 1) {
    list.querySelector('.empty')?.remove();
  }
}

function renderThreads() {
  renderThread('caller', state.callerNumber);
  renderThread('officer', state.officerNumber);
  $('caller-sms-with').textContent = `· ${state.callerNumber}`;
  $('officer-sms-with').textContent = `· ${state.officerNumber}`;
  renderOfficerChips();
}

/** Quick replies for the references in the officer's latest message: they fill the box, the officer sends. */
function renderOfficerChips() {
  const chips = $('officer-chips');
  const latest = threadItems(state.officerNumber).filter((item) => item.direction === 'in').at(-1);
  const { alphabet, length } = config.reference;
  const pattern = new RegExp(`(?<![A-Za-z0-9])[${alphabet}]{${length}}(?![A-Za-z0-9])`, 'g');
  const references = [...new Set(latest ? latest.text.match(pattern) ?? [] : [])].slice(0, 2);
  const fills = [...(references.length ? references.flatMap((ref) => [`ACK ${ref}`, `DONE ${ref}`, `INFO ${ref}`]) : ['ACK ', 'DONE ']), 'WHO'];
  const key = fills.join('|');
  if (chips.dataset.key === key) return;
  chips.dataset.key = key;
  chips.replaceChildren(
    ...fills.map((fill) => {
      const chip = document.createElement('button');
      chip.type = 'button';
      chip.className = 'chip';
      chip.textContent = fill.trim() === fill ? fill : `${fill}…`;
      chip.dataset.fill = fill;
      return chip;
    }),
  );
}

async function poll() {
  try {
    const response = await fetch('/dev/outbox', { cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    for (const message of await response.json()) state.outbox.set(message.id, message);
    if (state.pollFailed) showStatus('Connected to the hotline again.');
    state.pollFailed = false;
    renderThreads();
  } catch {
    if (!state.pollFailed) showStatus('The hotline is not answering (is npm start running?). Retrying…', true);
    state.pollFailed = true;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Voice: a call to the hotline through the real voice webhook, in the chosen provider's format. The answer (TwiML
// or Africa's Talking's XML) is played as a script: what is said is shown, recordings get a player, and the script
// stops where the provider would wait for the caller (keys, a recording, officers ringing).

const VOICE_NAMES = { africastalking: "Africa's Talking", twilio: 'Twilio' };
/** Callbacks the provider would make on its own (Redirects, fall-throughs) before the caller does anything. */
const MAX_AUTOMATIC_HOPS = 12;
const SAMPLE_SECONDS = 4;
const TWILIO_LANGUAGES = { ru: 'Russian', en: 'English', tg: 'Tajik' };

const voiceLog = () => $('voice-log');
const voiceActions = () => $('voice-actions');
let voiceHops = 0;

function voicePhase(name, status) {
  $('voice').dataset.phase = name;
  if (status !== undefined) $('voice-status').textContent = status;
  const inCall = Boolean(state.call);
  /** @type {HTMLButtonElement} */ ($('voice-call')).disabled = inCall;
  /** @type {HTMLButtonElement} */ ($('voice-hangup')).disabled = !inCall;
  /** @type {HTMLSelectElement} */ ($('voice-provider')).disabled = inCall;
  /** @type {HTMLInputElement} */ ($('voice-number')).disabled = inCall;
  $('caller-handset').classList.toggle('listening', name === 'keys');
  renderCallScreen();
}

const callClock = (ms) => {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return `${pad(Math.floor(seconds / 60))}:${pad(seconds % 60)}`;
};

/**
 * The handset's display during a call: the number called, what the line waits for, and what the caller heard since
 * they last did something (a phone shows none of it, but on a small screen the keypad and the log are far apart).
 * The call's clock is on the status bar, outside the display's live region, so it is not read out every second;
 * the voice log announces what is heard, so the display is quiet during a call.
 */
function renderCallScreen() {
  const call = state.call;
  if (!call) return;
  const waiting = {
    keys: `Waiting for keys${call.keys ? `: ${call.keys}` : ''}`,
    record: call.wait?.mic ? 'Recording…' : 'Beep: leave a message',
    dial: 'Ringing the officers…',
    connected: 'Talking with an officer',
  };
  const heard = call.heard.length ? `\n\n${call.heard.join(' ')}` : '';
  const text = `${VOICE_NAMES[call.provider]} · ${call.to}\n▸ ${waiting[call.wait?.kind] ?? 'Listening…'}${heard}`;
  const screen = ussdScreen();
  screen.classList.remove('home', 'closed');
  screen.setAttribute('aria-live', 'off');
  if (screen.textContent !== text) {
    screen.textContent = text;
    screen.scrollTop = 0;
  }
  $('ussd-count').textContent = '';
  $('ussd-encoding').textContent = '';
  input().placeholder = 'In a call: keys are tones';
  phase('call', `In call ${callClock(Date.now() - call.startedAt)}`);
}

function showCallEnded(call) {
  const screen = ussdScreen();
  screen.classList.remove('home');
  screen.classList.add('closed');
  screen.setAttribute('aria-live', 'polite');
  screen.textContent = `Call ended\n${call.to}\n${callClock(call.endedAt - call.startedAt)}`;
  state.closedScreenShown = true;
  input().placeholder = 'Call/Send or End to close';
  phase('ended', 'Call ended');
}

/** A line of the call's log; `kind` styles it (heard, caller, hop, wait, end, error). */
function logItem(kind, label, text = '') {
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

/** A request path as shown: the Africa's Talking token is on the wire, but need not be on screen. */
const shownPath = (path) => path.replace(/([?&]token=)[^&]*/, '$1…');

/**
 * Where a callback or recording URL of the answer is on this server. The voice line writes absolute URLs under
 * PUBLIC_BASE_URL (the address the provider reaches it at); the page reaches the same routes at its own origin.
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

/** The fields every Twilio voice request carries. */
function twilioFields(call, extra = {}) {
  return {
    AccountSid: `AC${'0'.repeat(32)}`,
    ApiVersion: '2010-04-01',
    CallSid: call.id,
    CallStatus: 'in-progress',
    Called: call.to,
    Caller: call.from,
    Direction: 'inbound',
    From: call.from,
    To: call.to,
    ...extra,
  };
}

/** The fields every Africa's Talking voice callback carries while the call is up. */
function atFields(call, extra = {}) {
  return {
    isActive: '1',
    sessionId: call.id,
    direction: 'Inbound',
    callerNumber: call.from,
    destinationNumber: call.to,
    ...extra,
  };
}

const callFields = (call, twilioExtra, atExtra) => (call.provider === 'twilio' ? twilioFields(call, twilioExtra) : atFields(call, atExtra));

function showVoiceWire(call, request, response) {
  $('vwire-session').textContent = call ? `${call.id} (${VOICE_NAMES[call.provider]})` : '—';
  $('vwire-hops').textContent = String(voiceHops);
  if (request !== undefined) $('vwire-request').textContent = request;
  if (response !== undefined) $('vwire-response').textContent = response;
}

async function placeCall(number) {
  if (state.call) return;
  const to = (number ?? /** @type {HTMLInputElement} */ ($('voice-number')).value).replace(/[\s()-]/g, '');
  if (!validPhone(to)) {
    showStatus('The hotline number is + and 7 to 15 digits, e.g. +254711082000.', true);
    return;
  }
  if (state.session) closeSession('Incomplete', 'a call was placed');
  input().value = '';
  const provider = state.voiceProvider;
  const call = {
    provider,
    to,
    from: state.callerNumber,
    id: provider === 'twilio' ? `CA${randomHex(32)}` : `ATVId_${randomHex(20)}`,
    startedAt: Date.now(),
    endedAt: 0,
    /** The answer being played: its verbs and the next one to play. */
    verbs: /** @type {Element[]} */ ([]),
    index: 0,
    /** The URL of the answer being played: a Twilio verb without an action URL calls it back. */
    documentPath: '',
    /** Callbacks since the caller last did something. */
    automatic: 0,
    keys: '',
    /** What the line waits for: keys, a recording, officers ringing or talking. */
    wait: /** @type {any} */ (null),
    /** The caller's message once recorded: {url, path, seconds}. */
    recording: /** @type {any} */ (null),
    /** An officer who answered: {number, startedAt}. */
    officer: /** @type {any} */ (null),
    /** What the caller heard since they last did something, for the handset's display. */
    heard: /** @type {string[]} */ ([]),
    busy: false,
    clock: 0,
  };
  state.call = call;
  voiceHops = 0;
  delete $('voice').dataset.final;
  voiceLog().replaceChildren();
  voiceActions().replaceChildren();
  voiceActions().hidden = true;
  call.clock = window.setInterval(() => (state.call === call ? renderCallScreen() : clearInterval(call.clock)), 1000);
  logItem('hop', '', `Calling ${to} from ${call.from} through ${VOICE_NAMES[provider]}${provider === 'twilio' ? '' : ' (its speech is English only)'}…`);
  voicePhase('busy', `Calling ${to} through ${VOICE_NAMES[provider]}…`);
  if (provider === 'twilio') {
    await voiceRequest(call, '/voice/twilio', {
      ...twilioFields(call, { CallStatus: 'ringing' }),
      CallerCountry: countryOf(call.from),
      FromCountry: countryOf(call.from),
      ToCountry: countryOf(to),
    });
  } else {
    await voiceRequest(call, withToken('/voice/africastalking'), atFields(call, { callSessionState: 'Ringing' }));
  }
}

/**
 * One request to the voice webhook, as the provider makes it (Twilio's signed by the server), then its answer
 * played. With `ignoreAnswer` (a request after the call ended, as providers send them) the answer is only shown.
 */
async function voiceRequest(call, url, fields, { ignoreAnswer = false } = {}) {
  const target = localTarget(url);
  if (!target) {
    logItem('error', 'Not followed', `The answer sends the call to ${url}, which is not this hotline (PUBLIC_BASE_URL is ${config.publicBaseUrl}).`);
    endCall(call, 'error');
    return;
  }
  voiceHops += 1;
  call.busy = !ignoreAnswer;
  if (!ignoreAnswer) voicePhase('busy', 'The hotline is answering…');
  const hop = logItem('hop', '', `→ POST ${shownPath(target.path)}${summarise(fields)}`);
  showVoiceWire(call, `POST ${shownPath(target.path)}\n${new URLSearchParams(fields)}`, '…');
  let status = 0;
  let raw = '';
  const abort = new AbortController();
  const timeout = setTimeout(() => abort.abort(), RESPONSE_TIMEOUT_MS);
  try {
    const headers = {};
    if (call.provider === 'twilio') {
      // Signed by the server over PUBLIC_BASE_URL + path + query and every field: the auth token stays there.
      const { signature } = await postJson('/dev/sim/twilio-sign', { url: target.path, params: fields });
      headers['X-Twilio-Signature'] = signature;
    }
    const response = await postForm(target.path, fields, headers, abort.signal);
    status = response.status;
    raw = await response.text();
  } catch (error) {
    raw = error instanceof Error ? error.message : String(error);
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

/** The interesting fields of a request, for its log line. */
function summarise(fields) {
  const shown = ['Digits', 'FinishedOnKey', 'dtmfDigits', 'RecordingDuration', 'DialCallStatus', 'callSessionState', 'CallStatus', 'isActive', 'durationInSeconds'];
  const parts = shown.filter((name) => fields[name] !== undefined && fields[name] !== '' && !(name === 'CallStatus' && fields[name] === 'in-progress') && !(name === 'isActive' && fields[name] === '1'));
  const recording = fields.RecordingUrl ?? fields.recordingUrl;
  return `${parts.length ? ` · ${parts.map((name) => `${name}=${fields[name]}`).join(' ')}` : ''}${recording ? ` · recording ${new URL(recording).pathname}` : ''}`;
}

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

/** Plays the answer's verbs from where it stopped, up to the next one that waits for the caller. */
async function continueScript(call) {
  while (state.call === call && call.index < call.verbs.length) {
    const verb = call.verbs[call.index++];
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

/** What the caller hears: text spoken by the provider, or a recording. */
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

/** The voice a Say is spoken in: Twilio's language and voice; Africa's Talking speaks English only. */
function voiceOf(call, verb) {
  if (call.provider === 'twilio') {
    const language = verb.getAttribute('language') ?? 'en-US';
    const name = TWILIO_LANGUAGES[language.slice(0, 2)] ?? language;
    return `${name} speech (${language}${verb.getAttribute('voice') ? `, ${verb.getAttribute('voice')}` : ''})`;
  }
  return `English speech, ${verb.getAttribute('voice') ?? 'woman'}'s voice`;
}

/** A recording in the answer: a player, or why there is none (it is missing, or on another site). */
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
  const audio = document.createElement('audio');
  audio.controls = true;
  audio.preload = 'none';
  audio.src = target.path;
  audio.setAttribute('aria-label', `Recording ${target.path.split('/').pop()}`);
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

/** Reads what the caller hears with the browser's own speech, when the box is ticked and the browser can. */
function readAloud(text, language) {
  const box = /** @type {HTMLInputElement} */ ($('voice-speak'));
  if (!box.checked || !('speechSynthesis' in window)) return;
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = language;
  window.speechSynthesis.speak(utterance);
}

function stopSpeaking() {
  if ('speechSynthesis' in window) window.speechSynthesis.cancel();
}

/** The caller (or an officer) did something: what was heard before is history, and Redirects count afresh. */
function callerActs(call) {
  call.automatic = 0;
  call.heard = [];
}

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

// Keys ------------------------------------------------------------------------------------------------------------

function waitForKeys(call, verb) {
  const twilio = call.provider === 'twilio';
  const finish = verb.getAttribute('finishOnKey');
  call.wait = {
    kind: 'keys',
    url: (twilio ? verb.getAttribute('action') : verb.getAttribute('callbackUrl')) ?? call.documentPath,
    numDigits: Number(verb.getAttribute('numDigits')) || 0,
    // Both providers finish on # unless told otherwise; the voice line sets "" for one-key questions on Twilio.
    finishOnKey: finish ?? '#',
    timeout: Number(verb.getAttribute('timeout')) || 5,
  };
  call.keys = '';
  const { numDigits, finishOnKey, timeout } = call.wait;
  const what = numDigits === 1 ? 'one key' : numDigits ? `${numDigits} keys` : `keys, then ${finishOnKey || 'a pause'}`;
  logItem('wait', '', `⌨ Waiting for ${what} (the provider waits ${timeout} s)`);
  voicePhase('keys', `Waiting for ${what}: press ${numDigits === 1 ? 'it' : 'them'} on the keypad.`);
  renderVoiceActions(call);
}

/** A key pressed during the call: a tone the line hears only while it listens for keys (or to end a recording). */
function dtmf(key) {
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

async function submitKeys(call, finishedOnKey) {
  const wait = call.wait;
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

/** No keys before the timeout: the question sends nothing, and the provider goes on with the next verb. */
function noKeys(call) {
  logItem('hop', '', `No input: ${call.provider === 'twilio' ? 'Gather' : 'GetDigits'} times out and the next verb plays.`);
  void continueScript(call);
}

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

function waitForRecording(call, verb) {
  const twilio = call.provider === 'twilio';
  call.wait = {
    kind: 'record',
    url: (twilio ? verb.getAttribute('action') : verb.getAttribute('callbackUrl')) ?? call.documentPath,
    maxLength: Number(verb.getAttribute('maxLength')) || 3600,
    finishOnKey: verb.getAttribute('finishOnKey') ?? (twilio ? '1234567890*#' : '#'),
    mic: null,
  };
  const beep = verb.getAttribute('playBeep') === 'false' ? '' : 'Beep. ';
  logItem('wait', '', `● ${beep}Recording: up to ${call.wait.maxLength} s, ${call.wait.finishOnKey === '#' ? '# ends it' : 'a key ends it'}.`);
  voicePhase('record', 'The line records the caller: use the microphone, or send the sample recording.');
  renderVoiceActions(call);
}

const canUseMicrophone = () => Boolean(navigator.mediaDevices?.getUserMedia) && typeof MediaRecorder !== 'undefined';

async function startMicrophone(call) {
  const wait = call.wait;
  if (wait?.kind !== 'record' || wait.mic) return;
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch (error) {
    showStatus(`No microphone (${error instanceof Error ? error.message : error}). Send the sample recording instead.`, true);
    return;
  }
  if (state.call !== call || call.wait !== wait) {
    for (const track of stream.getTracks()) track.stop();
    return;
  }
  const recorder = new MediaRecorder(stream);
  const chunks = [];
  recorder.addEventListener('dataavailable', (event) => chunks.push(event.data));
  recorder.start();
  wait.mic = { recorder, stream, chunks, startedAt: Date.now(), timer: window.setTimeout(() => void stopMicrophone(call, ''), wait.maxLength * 1000) };
  voicePhase('record', `Recording from the microphone (at most ${wait.maxLength} s): speak, then press # or Stop.`);
  renderVoiceActions(call);
}

/** Stops the microphone; resolves with the recording and its length. */
async function finishMicrophone(mic) {
  clearTimeout(mic.timer);
  const blob = await new Promise((resolve) => {
    mic.recorder.addEventListener('stop', () => resolve(new Blob(mic.chunks, { type: mic.recorder.mimeType || 'audio/webm' })), { once: true });
    mic.recorder.stop();
  });
  for (const track of mic.stream.getTracks()) track.stop();
  return { blob, seconds: Math.max(1, Math.round((Date.now() - mic.startedAt) / 1000)) };
}

async function stopMicrophone(call, key) {
  const wait = call.wait;
  if (wait?.kind !== 'record' || !wait.mic) return;
  const mic = wait.mic;
  wait.mic = null;
  const { blob, seconds } = await finishMicrophone(mic);
  await sendRecording(call, wait, blob, seconds, key);
}

/** A few seconds of a voice-like hum (8 kHz WAV), for when there is no microphone (and for the browser tests). */
function sampleRecording(seconds = SAMPLE_SECONDS) {
  const rate = 8000;
  const count = rate * seconds;
  const view = new DataView(new ArrayBuffer(44 + count * 2));
  const ascii = (offset, text) => [...text].forEach((ch, i) => view.setUint8(offset + i, ch.charCodeAt(0)));
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + count * 2, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, count * 2, true);
  let phaseAngle = 0;
  for (let i = 0; i < count; i++) {
    const t = i / rate;
    // Syllables: three a second, a pitch that wanders like speech.
    const syllable = Math.sin(Math.PI * ((t * 3) % 1)) ** 2;
    const edges = Math.min(1, t * 20, (seconds - t) * 20);
    phaseAngle += (2 * Math.PI * (160 + 50 * Math.sin(2 * Math.PI * 0.8 * t))) / rate;
    const sample = syllable * edges * (0.6 * Math.sin(phaseAngle) + 0.3 * Math.sin(2 * phaseAngle) + 0.1 * Math.sin(3 * phaseAngle));
    view.setInt16(44 + i * 2, Math.round(sample * 0.45 * 32767), true);
  }
  return new Blob([view.buffer], { type: 'audio/wav' });
}

/** Stores the audio on the local server, where the hotline can keep its URL; {url, path}. */
async function uploadRecording(blob) {
  if (blob.size > config.recordingMaxBytes) throw new Error(`the message is ${blob.size} bytes; the simulator keeps at most ${config.recordingMaxBytes}`);
  const type = (blob.type || 'audio/webm').split(';')[0];
  const response = await fetch('/dev/sim/recordings', { method: 'POST', headers: { 'content-type': type }, body: blob });
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  return response.json();
}

/**
 * The caller's message, as the provider hands it over: uploaded, then its URL to the Record's callback (Twilio:
 * RecordingUrl, RecordingDuration and the key that ended it; Africa's Talking: recordingUrl, whose duration comes
 * only in the final callback). With `ignoreAnswer`, the caller has hung up (Twilio still calls the action).
 */
async function sendRecording(call, wait, blob, seconds, key, ignoreAnswer = false) {
  if (call.wait === wait) call.wait = null;
  callerActs(call);
  renderVoiceActions(call);
  let stored;
  try {
    stored = await uploadRecording(blob);
  } catch (error) {
    logItem('error', 'Recording not stored', String(error instanceof Error ? error.message : error));
    if (!ignoreAnswer) endCall(call, 'error');
    return;
  }
  call.recording = { url: stored.url, path: stored.path, seconds };
  const li = logItem('caller', `Caller's message (${seconds} s)`);
  const audio = document.createElement('audio');
  audio.controls = true;
  audio.preload = 'none';
  audio.src = stored.path;
  audio.setAttribute('aria-label', "The caller's message");
  li.append(audio);
  const fields = callFields(
    call,
    {
      ...(key === 'hangup' ? { CallStatus: 'completed' } : {}),
      RecordingUrl: stored.url,
      RecordingSid: `RE${randomHex(32)}`,
      RecordingDuration: String(seconds),
      ...(key ? { Digits: key } : {}),
    },
    { recordingUrl: stored.url },
  );
  if (ignoreAnswer && call.provider !== 'twilio') return; // Africa's Talking: it comes with the final callback
  await voiceRequest(call, wait.url, fields, { ignoreAnswer });
}

async function sendSample(call) {
  const wait = call.wait;
  if (wait?.kind !== 'record' || wait.mic) return;
  await sendRecording(call, wait, sampleRecording(), SAMPLE_SECONDS, '#');
}

/** Nothing recorded: both providers go on with the next verb (the voice line asks again). */
function recordNothing(call) {
  if (call.wait?.kind !== 'record' || call.wait.mic) return;
  call.wait = null;
  callerActs(call);
  logItem('caller', 'Caller', 'said nothing');
  logItem('hop', '', 'Nothing recorded: the next verb plays.');
  void continueScript(call);
}

// Officers --------------------------------------------------------------------------------------------------------

function ringOfficers(call, verb) {
  const twilio = call.provider === 'twilio';
  const numbers = twilio
    ? [...verb.getElementsByTagName('Number')].map((n) => (n.textContent ?? '').trim()).concat(verb.children.length ? [] : [(verb.textContent ?? '').trim()]).filter(Boolean)
    : (verb.getAttribute('phoneNumbers') ?? '').split(',').map((n) => n.trim()).filter(Boolean);
  call.wait = { kind: 'dial', numbers, action: twilio ? verb.getAttribute('action') : null, startedAt: Date.now() };
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

/** An officer picks up: the caller and the officer talk (the simulator carries no audio). */
function officerAnswers(call) {
  const wait = call.wait;
  if (wait?.kind !== 'dial') return;
  callerActs(call);
  call.officer = { number: wait.numbers[0] ?? '', startedAt: Date.now() };
  call.wait = { kind: 'connected', action: wait.action };
  logItem('caller', 'Officer answers', `${call.officer.number} picks up and talks with the caller (no audio in the simulator).`);
  voicePhase('connected', 'Connected to an officer. The officer hangs up, or the caller does.');
  renderVoiceActions(call);
}

/** Twilio's after-Dial request; Africa's Talking has none (the script ended when the officer picked up). */
function dialFields(call, status, extra = {}) {
  const duration = call.officer ? Math.max(1, Math.round((Date.now() - call.officer.startedAt) / 1000)) : 0;
  return twilioFields(call, {
    ...extra,
    DialCallStatus: status,
    DialCallSid: `CA${randomHex(32)}`,
    ...(status === 'completed' ? { DialCallDuration: String(duration) } : {}),
  });
}

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

function endCall(call, reason) {
  if (state.call !== call) return;
  state.call = null;
  call.endedAt = Date.now();
  clearInterval(call.clock);
  const mic = call.wait?.mic;
  if (mic) void finishMicrophone(mic);
  call.wait = null;
  voiceActions().replaceChildren();
  voiceActions().hidden = true;
  logItem('end', '', `Call ended · ${callClock(call.endedAt - call.startedAt)}${reason === 'caller' ? ' · the caller hung up' : ''}`);
  voicePhase('ended', `Call ended after ${callClock(call.endedAt - call.startedAt)}. Call again, or switch the caller or the provider.`);
  showCallEnded(call);
  if (call.provider === 'africastalking') void atFinalCallback(call);
}

/** Africa's Talking's last callback, after hang-up, to the number's own URL: the call's length, and the message if any. */
async function atFinalCallback(call) {
  const fields = {
    isActive: '0',
    sessionId: call.id,
    direction: 'Inbound',
    callerNumber: call.from,
    destinationNumber: call.to,
    durationInSeconds: String(Math.max(1, Math.round((call.endedAt - call.startedAt) / 1000))),
    currencyCode: 'USD',
    amount: '0.0000',
    ...(call.recording ? { recordingUrl: call.recording.url } : {}),
    hangupCause: 'NORMAL_CLEARING',
    ...(call.officer
      ? {
          dialDestinationNumber: call.officer.number,
          dialDurationInSeconds: String(Math.max(1, Math.round((call.endedAt - call.officer.startedAt) / 1000))),
          dialStartTime: atDate(new Date(call.officer.startedAt)),
        }
      : {}),
  };
  logItem('hop', '', "Africa's Talking's final callback (its answer is ignored):");
  await voiceRequest(call, withToken('/voice/africastalking'), fields, { ignoreAnswer: true });
  $('voice').dataset.final = 'sent';
}

/** The caller hangs up: what the provider still sends goes (a message being recorded, Twilio's Dial action), then the call ends. */
async function hangUp() {
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

/** The buttons for what the line waits for; the keypad does the keys. */
function renderVoiceActions(call) {
  const box = voiceActions();
  const hadFocus = box.contains(document.activeElement) || document.activeElement === document.body;
  box.replaceChildren();
  const wait = state.call === call ? call.wait : null;
  box.hidden = !wait;
  if (!wait) return;
  const note = (text) => {
    const p = document.createElement('p');
    p.className = 'vnote';
    p.textContent = text;
    box.append(p);
  };
  const button = (label, handler, primary = false) => {
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
      button(call.keys ? `Time out (sends ${call.keys})` : 'No input (time out)', () => timeOut(call));
      break;
    case 'record':
      if (wait.mic) {
        note('Recording from the microphone…');
        button(`Stop and send (${wait.finishOnKey.includes('#') ? '#' : 'a key'})`, () => stopMicrophone(call, '#'), true);
      } else {
        if (canUseMicrophone()) button('Record from the microphone', () => startMicrophone(call), true);
        button('Submit a sample recording', () => sendSample(call), !canUseMicrophone());
        button('Say nothing', () => recordNothing(call));
      }
      break;
    case 'dial':
      button('Officer answers', () => officerAnswers(call), true);
      button('Nobody answers', () => nobodyAnswers(call));
      break;
    case 'connected':
      button('Officer hangs up', () => officerHangsUp(call));
      break;
  }
  // Keyboard users keep their place: the focus moves to the new buttons when the old ones went away.
  if (hadFocus) box.querySelector('button')?.focus();
}

function bindVoice() {
  const provider = /** @type {HTMLSelectElement} */ ($('voice-provider'));
  const number = /** @type {HTMLInputElement} */ ($('voice-number'));
  provider.addEventListener('change', () => {
    const before = state.voiceProvider;
    state.voiceProvider = provider.value === 'twilio' ? 'twilio' : 'africastalking';
    // The other provider's number follows, unless a number of one's own was typed.
    if (samePhone(number.value, config.voiceNumbers[before])) number.value = config.voiceNumbers[state.voiceProvider];
    save();
    showStatus(`Calls now go through ${state.voiceProvider === 'twilio' ? 'Twilio (/voice/twilio, signed)' : "Africa's Talking (/voice/africastalking)"}.`);
  });
  number.addEventListener('change', () => {
    const value = number.value.replace(/[\s()-]/g, '');
    if (validPhone(value)) number.value = value;
    else {
      number.value = config.voiceNumbers[state.voiceProvider];
      showStatus('A phone number is + and 7 to 15 digits, e.g. +254711082000.', true);
    }
  });
  $('voice-call').addEventListener('click', () => void placeCall());
  $('voice-hangup').addEventListener('click', () => void hangUp());
  if (!('speechSynthesis' in window)) $('voice-speak-row').hidden = true;
  $('voice-speak').addEventListener('change', (event) => {
    if (!(/** @type {HTMLInputElement} */ (event.target).checked)) stopSpeaking();
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Settings

function setCallerNumber(number) {
  if (state.call) void hangUp();
  if (state.session) closeSession('Incomplete', 'phone switched');
  state.callerNumber = number;
  /** @type {HTMLInputElement} */ ($('caller-number')).value = number;
  /** @type {HTMLSelectElement} */ ($('caller-language')).value = '';
  save();
  showHome();
  renderThreads();
}

function bindSettings() {
  const callerField = /** @type {HTMLInputElement} */ ($('caller-number'));
  callerField.addEventListener('change', () => {
    const value = callerField.value.replace(/[\s()-]/g, '');
    if (validPhone(value)) {
      setCallerNumber(value);
      showStatus(`Now using ${value}.`);
    } else {
      callerField.value = state.callerNumber;
      showStatus('A phone number is + and 7 to 15 digits, e.g. +992900000001.', true);
    }
  });
  $('new-caller').addEventListener('click', () => {
    const number = randomCallerNumber();
    setCallerNumber(number);
    showStatus(`New caller ${number}: the hotline has never heard from this number.`);
  });
  const officerField = /** @type {HTMLInputElement} */ ($('officer-number'));
  officerField.addEventListener('change', () => {
    const value = officerField.value.replace(/[\s()-]/g, '');
    if (validPhone(value)) {
      state.officerNumber = value;
      save();
      renderThreads();
    } else {
      officerField.value = state.officerNumber;
      showStatus('A phone number is + and 7 to 15 digits, e.g. +992900009001.', true);
    }
  });
  const provider = /** @type {HTMLSelectElement} */ ($('sms-provider'));
  provider.addEventListener('change', () => {
    state.provider = provider.value === 'twilio' ? 'twilio' : 'africastalking';
    save();
    showStatus(`SMS now go through ${state.provider === 'twilio' ? 'Twilio (/sms/twilio, signed)' : "Africa's Talking (/sms/africastalking)"}.`);
  });
  const language = /** @type {HTMLSelectElement} */ ($('caller-language'));
  language.addEventListener('change', () => {
    // The hotline learns a language only from the caller, so this texts LANG through the real SMS route.
    if (language.value) void sendSms(state.callerNumber, `LANG ${language.value.toUpperCase()}`);
  });
}

function bindCompose(which, numberOf) {
  const form = /** @type {HTMLFormElement} */ ($(`${which}-compose`));
  const field = /** @type {HTMLInputElement} */ ($(`${which}-sms`));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = field.value.trim();
    if (!text) return;
    field.value = '';
    void sendSms(numberOf(), text);
  });
  form.parentElement?.addEventListener('click', (event) => {
    const chip = /** @type {HTMLElement} */ (event.target).closest('.chip');
    if (!(chip instanceof HTMLElement) || chip.dataset.fill === undefined) return;
    field.value = chip.dataset.fill;
    field.focus();
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Start

function bindHandset() {
  $('ussd-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void callOrSend();
  });
  $('clear').addEventListener('click', clearKey);
  $('end').addEventListener('click', endKey);
  for (const button of document.querySelectorAll('.keypad [data-key]')) {
    button.addEventListener('click', () => pressKey(/** @type {HTMLElement} */ (button).dataset.key ?? ''));
  }
  input().addEventListener('keydown', (event) => {
    if (state.call && /^[0-9*#]$/.test(event.key)) {
      // In a call the keys are tones, not text.
      event.preventDefault();
      pressKey(event.key);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      endKey();
    } else if (/^[0-9*#]$/.test(event.key)) flash(event.key);
  });
  // The computer's keyboard works the handset when the focus is on the page or on one of the handset's keys:
  // digits, * and # type, Backspace clears, Esc ends, and Enter sends (Space still presses the focused key).
  document.addEventListener('keydown', (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (target.closest('input, select, textarea, summary, a')) return;
    // In a call, the keyboard's digits are tones wherever the focus is (the call's own buttons included).
    if (state.call && /^[0-9*#]$/.test(event.key)) {
      event.preventDefault();
      pressKey(event.key);
      return;
    }
    const onButton = target.closest('button');
    if (onButton && !onButton.closest('.handset')) return;
    if (/^[0-9*#]$/.test(event.key)) {
      event.preventDefault();
      pressKey(event.key);
    } else if (event.key === 'Enter' && (!onButton || onButton.closest('.keypad'))) {
      event.preventDefault();
      void callOrSend();
    } else if (event.key === 'Backspace') {
      event.preventDefault();
      clearKey();
    } else if (event.key === 'Escape') {
      endKey();
    }
  });
}

function tickClock() {
  const now = new Date();
  $('clock').textContent = `${pad(now.getHours())}:${pad(now.getMinutes())}`;
}

async function start() {
  try {
    const response = await fetch('/dev/sim/config', { cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    config = await response.json();
  } catch (error) {
    showStatus(`Cannot reach the local hotline's simulator helpers (${error instanceof Error ? error.message : error}). Run npm start and open http://localhost:3000/.`, true);
    return;
  }
  const saved = load();
  state.callerNumber = validPhone(saved.callerNumber) ? saved.callerNumber : config.callerNumber;
  state.officerNumber = validPhone(saved.officerNumber) ? saved.officerNumber : config.officerNumber;
  state.provider = saved.provider === 'twilio' && config.twilioSigning ? 'twilio' : 'africastalking';
  state.voiceProvider = saved.voiceProvider === 'twilio' && config.twilioSigning ? 'twilio' : 'africastalking';
  /** @type {HTMLSelectElement} */ ($('voice-provider')).value = state.voiceProvider;
  /** @type {HTMLInputElement} */ ($('voice-number')).value = config.voiceNumbers[state.voiceProvider];
  /** @type {HTMLInputElement} */ ($('caller-number')).value = state.callerNumber;
  /** @type {HTMLInputElement} */ ($('officer-number')).value = state.officerNumber;
  /** @type {HTMLSelectElement} */ ($('sms-provider')).value = state.provider;
  if (!config.twilioSigning) {
    const option = /** @type {HTMLOptionElement} */ (document.querySelector('#sms-provider option[value="twilio"]'));
    option.disabled = true;
    option.textContent = 'Twilio (no auth token configured)';
    const voiceOption = /** @type {HTMLOptionElement} */ (document.querySelector('#voice-provider option[value="twilio"]'));
    voiceOption.disabled = true;
    voiceOption.textContent = 'Twilio (no auth token configured)';
  }
  bindHandset();
  bindSettings();
  bindCompose('caller', () => state.callerNumber);
  bindCompose('officer', () => state.officerNumber);
  bindVoice();
  voicePhase('idle');
  tickClock();
  setInterval(tickClock, 10_000);
  showHome();
  renderThreads();
  await poll();
  setInterval(() => void poll(), POLL_MS);
  document.body.dataset.ready = 'true';
}

void start();
