// @ts-check
// SMS: each phone's thread, with what it sent to the real webhook (in the chosen provider's format) and what the
// outbox sent to it, polled from the local outbox.

import { $, inputField, messageOf, showStatus } from './dom.js';
import { samePhone } from './phones.js';
import { PROVIDER_NAMES, randomHex, sendAfricasTalkingSms, sendTwilioSms } from './providers.js';
import { config, state } from './state.js';
import { timeOf } from './time.js';

/** @typedef {'caller' | 'officer'} Phone */
/** @typedef {{id: string, text: string, at: string, direction: 'in' | 'out', ok: boolean, status: string}} ThreadItem */

/**
 * Sends an SMS from `from` to the hotline through the chosen provider, then looks for the replies.
 * @param {string} from
 * @param {string} text
 */
export async function sendSms(from, text) {
  const provider = state.provider;
  /** @type {import('./state.js').SentSms} */
  const entry = { id: `sent-${randomHex(12)}`, from, text, at: new Date().toISOString(), provider, status: 'sending…', ok: true };
  state.sent.push(entry);
  renderThreads();
  try {
    const response = provider === 'twilio' ? await sendTwilioSms(from, text) : await sendAfricasTalkingSms(from, text);
    entry.ok = response.ok;
    entry.status = response.ok
      ? `to the hotline via ${PROVIDER_NAMES[provider]}`
      : `refused: HTTP ${response.status} ${(await response.text()).slice(0, 120)}`;
  } catch (error) {
    entry.ok = false;
    entry.status = `not sent: ${messageOf(error)}`;
  }
  renderThreads();
  void poll();
}

/**
 * Each thread keeps its rendered items by id, so an update changes one line rather than re-announcing all.
 * @type {Record<Phone, Map<string, HTMLLIElement>>}
 */
const rendered = { caller: new Map(), officer: new Map() };

/** @param {string} number @returns {ThreadItem[]} */
function threadItems(number) {
  /** @type {ThreadItem[]} */
  const items = [];
  for (const entry of state.sent) if (samePhone(entry.from, number)) items.push({ ...entry, direction: 'out' });
  for (const message of state.outbox.values()) {
    if (samePhone(message.to, number)) {
      items.push({ id: message.id, text: message.text, at: message.createdAt, direction: 'in', ok: message.status !== 'failed', status: `${message.status}${message.provider ? ` · ${message.provider}` : ''}` });
    }
  }
  return items.sort((a, b) => a.at.localeCompare(b.at));
}

/**
 * @param {Phone} which
 * @param {string} number
 */
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

export function renderThreads() {
  renderThread('caller', state.callerNumber);
  renderThread('officer', state.officerNumber);
  $('caller-sms-with').textContent = `· ${state.callerNumber}`;
  $('officer-sms-with').textContent = `· ${state.officerNumber}`;
  renderOfficerChips();
}

/**
 * Quick replies for the references in the officer's latest message: they fill the box, the officer sends. A page
 * carries the officer's code after the reference (`ACK 7K3R9M 482193`); the chips that change a case carry it too.
 */
function renderOfficerChips() {
  const chips = $('officer-chips');
  const latest = threadItems(state.officerNumber).filter((item) => item.direction === 'in').at(-1);
  const { alphabet, length } = config.reference;
  const pattern = new RegExp(`(?<![A-Za-z0-9])([${alphabet}]{${length}})(?: (\\d{6}))?(?![A-Za-z0-9])`, 'g');
  /** @type {Map<string, string | undefined>} */
  const found = new Map();
  for (const [, ref = '', code] of latest ? latest.text.matchAll(pattern) : []) if (!found.get(ref)) found.set(ref, code);
  const references = [...found].slice(0, 2);
  /** @type {(command: string, ref: string, code: string | undefined) => string} */
  const coded = (command, ref, code) => (code ? `${command} ${ref} ${code}` : `${command} ${ref}`);
  const fills = [
    ...(references.length
      ? references.flatMap(([ref, code]) => [coded('ACK', ref, code), coded('DONE', ref, code), `INFO ${ref}`])
      : ['ACK ', 'DONE ']),
    'WHO',
  ];
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

/** Reads what the outbox has queued (`/dev/outbox`), and says when the hotline stops or starts answering. */
export async function poll() {
  try {
    const response = await fetch('/dev/outbox', { cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    for (const message of /** @type {import('./state.js').OutboxMessage[]} */ (await response.json())) state.outbox.set(message.id, message);
    if (state.pollFailed) showStatus('Connected to the hotline again.');
    state.pollFailed = false;
    renderThreads();
  } catch {
    if (!state.pollFailed) showStatus('The hotline is not answering (is npm start running?). Retrying…', true);
    state.pollFailed = true;
  }
}

/**
 * A phone's compose box and its example chips (a chip fills the box; the phone's owner sends).
 * @param {Phone} which
 * @param {() => string} numberOf
 */
export function bindCompose(which, numberOf) {
  const form = /** @type {HTMLFormElement} */ ($(`${which}-compose`));
  const field = inputField(`${which}-sms`);
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
