// @ts-check
// The caller's handset display: the screen, its status bar and the input line. USSD and voice calls both draw here.

import { $, inputField } from './dom.js';
import { measure } from './providers.js';
import { config, state } from './state.js';
import { pad } from './time.js';

export const screen = () => $('ussd-screen');
export const input = () => inputField('ussd-input');
let screensShown = 0;

/**
 * The display's phase, on the status bar and as `data-phase` (home, busy, open, ended, call) for tests and styles.
 * @param {string} name
 * @param {string} label
 */
export function phase(name, label) {
  $('ussd-state').textContent = label;
  screen().dataset.phase = name;
}

/** Counts every screen shown (`data-screens`), so a test can wait for the next one. */
function screenShown() {
  screensShown += 1;
  screen().dataset.screens = String(screensShown);
}

/** Empties the character count under the screen. */
export function clearCount() {
  $('ussd-count').textContent = '';
  $('ussd-encoding').textContent = '';
}

export function showHome() {
  state.closedScreenShown = false;
  screen().classList.remove('closed');
  screen().classList.add('home');
  screen().textContent = `SafeJob Hotline\n\nDial ${config.ussdServiceCode}\nthen press Call/Send.`;
  clearCount();
  $('ussd-count').classList.remove('over');
  phase('home', 'Ready');
  input().placeholder = `Dial ${config.ussdServiceCode}`;
  screenShown();
}

/**
 * Shows a screen as the phone would: the gateway strips `CON `/`END `; the count and the limit are shown under it.
 * @param {string} text
 * @param {boolean} closed
 */
export async function showScreen(text, closed) {
  screen().classList.remove('home');
  screen().classList.toggle('closed', closed);
  screen().textContent = text;
  screen().scrollTop = 0;
  input().placeholder = closed ? 'Call/Send or End to close' : 'Type your answer';
  try {
    const m = await measure(text);
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

/** A key lights up briefly when it is pressed, by mouse or keyboard. @param {string} key */
export function flash(key) {
  const keyButton = document.querySelector(`.keypad [data-key="${CSS.escape(key)}"]`);
  if (!keyButton) return;
  keyButton.classList.add('pressed');
  setTimeout(() => keyButton.classList.remove('pressed'), 120);
}

export function tickClock() {
  const now = new Date();
  $('clock').textContent = `${pad(now.getHours())}:${pad(now.getMinutes())}`;
}
