// SafeJob Hotline phone simulator. Plain JavaScript, no dependencies, no build step.
// Every request goes to the REAL webhook routes in the providers' formats; replies are read from the local outbox.
// The only helpers it uses live under /dev/sim/ (config, screen measure, Twilio signatures), local only.

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const STORAGE_KEY = 'safejob-simulator';
const POLL_MS = 1000;
/** Africa's Talking gives up on a response after roughly 10–15 s; sessions last about 180 s (DESIGN.md §6). */
const RESPONSE_TIMEOUT_MS = 15_000;
const SESSION_TIMEOUT_MS = 180_000;
const NETWORK_ERROR = 'Connection problem or invalid MMI code.';

/** @type {any} */
let config;
const state = {
  callerNumber: '',
  officerNumber: '',
  provider: 'africastalking',
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
  const { callerNumber, officerNumber, provider } = state;
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ callerNumber, officerNumber, provider }));
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
      await closeWithMessage(`Calling ${code}…\n\nVoice: coming with the IVR issue.`, 'Failed');
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
  if (state.session) closeSession('Incomplete', 'cancelled by the user');
  showHome();
}

function pressKey(key) {
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
// Settings

function setCallerNumber(number) {
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
    if (event.key === 'Escape') {
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
  /** @type {HTMLInputElement} */ ($('caller-number')).value = state.callerNumber;
  /** @type {HTMLInputElement} */ ($('officer-number')).value = state.officerNumber;
  /** @type {HTMLSelectElement} */ ($('sms-provider')).value = state.provider;
  if (!config.twilioSigning) {
    const option = /** @type {HTMLOptionElement} */ (document.querySelector('#sms-provider option[value="twilio"]'));
    option.disabled = true;
    option.textContent = 'Twilio (no auth token configured)';
  }
  bindHandset();
  bindSettings();
  bindCompose('caller', () => state.callerNumber);
  bindCompose('officer', () => state.officerNumber);
  tickClock();
  setInterval(tickClock, 10_000);
  showHome();
  renderThreads();
  await poll();
  setInterval(() => void poll(), POLL_MS);
  document.body.dataset.ready = 'true';
}

void start();
