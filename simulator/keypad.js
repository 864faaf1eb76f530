// @ts-check
// The handset's keys, on screen and on the computer's keyboard: they dial and answer USSD, place a call to the
// hotline's number, and send tones while a call is up.

import { $, inputField, showStatus } from './dom.js';
import { flash, input, phase, showHome, showScreen } from './handset.js';
import { samePhone } from './phones.js';
import { state } from './state.js';
import { answer, closeSession, closeWithMessage, dialledPath, NETWORK_ERROR, startSession } from './ussd-session.js';
import { dtmf, hangUp, placeCall } from './voice-call.js';

/** A key that types on the handset (and is a tone during a call). */
const PHONE_KEY = /^[0-9*#]$/;

/** Call/Send: answers the open USSD screen, dials a service code, or calls a number. */
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
      await answer(typed);
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
      const hotline = inputField('voice-number').value;
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
    await startSession(path);
  } finally {
    state.busy = false;
  }
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

/** @param {string} key */
function pressKey(key) {
  if (state.call) {
    dtmf(key);
    return;
  }
  if (state.closedScreenShown && !state.session) showHome();
  input().value += key;
  flash(key);
}

function clearKey() {
  const field = input();
  field.value = field.value.slice(0, -1);
}

export function bindHandset() {
  $('ussd-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void callOrSend();
  });
  $('clear').addEventListener('click', clearKey);
  $('end').addEventListener('click', endKey);
  for (const key of document.querySelectorAll('.keypad [data-key]')) {
    key.addEventListener('click', () => pressKey(/** @type {HTMLElement} */ (key).dataset.key ?? ''));
  }
  input().addEventListener('keydown', (event) => {
    if (state.call && PHONE_KEY.test(event.key)) {
      // In a call the keys are tones, not text.
      event.preventDefault();
      pressKey(event.key);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      endKey();
    } else if (PHONE_KEY.test(event.key)) flash(event.key);
  });
  // The computer's keyboard works the handset when the focus is on the page or on one of the handset's keys:
  // digits, * and # type, Backspace clears, Esc ends, and Enter sends (Space still presses the focused key).
  document.addEventListener('keydown', (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (target.closest('input, select, textarea, summary, a')) return;
    // In a call, the keyboard's digits are tones wherever the focus is (the call's own buttons included).
    if (state.call && PHONE_KEY.test(event.key)) {
      event.preventDefault();
      pressKey(event.key);
      return;
    }
    const onButton = target.closest('button');
    if (onButton && !onButton.closest('.handset')) return;
    if (PHONE_KEY.test(event.key)) {
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
