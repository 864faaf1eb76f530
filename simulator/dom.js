// @ts-check
// The page's elements, by id, and its status line.

import { typedPhone, validPhone } from './phones.js';

/** @param {string} id */
export const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
/** @param {string} id */
export const inputField = (id) => /** @type {HTMLInputElement} */ (document.getElementById(id));
/** @param {string} id */
export const selectField = (id) => /** @type {HTMLSelectElement} */ (document.getElementById(id));
/** @param {string} id */
export const button = (id) => /** @type {HTMLButtonElement} */ (document.getElementById(id));

/**
 * @param {string} message
 * @param {boolean} [isError]
 */
export function showStatus(message, isError = false) {
  const line = $('status-line');
  line.textContent = message;
  line.classList.toggle('error', isError);
}

/**
 * A phone-number field: a valid number (spaces, brackets and dashes dropped) is taken, anything else is put back
 * as it was, with a hint.
 * @param {HTMLInputElement} field
 * @param {{current: () => string, example: string, onValid: (number: string) => void}} options
 */
export function bindPhoneField(field, { current, example, onValid }) {
  field.addEventListener('change', () => {
    const value = typedPhone(field.value);
    if (validPhone(value)) {
      onValid(value);
      return;
    }
    field.value = current();
    showStatus(`A phone number is + and 7 to 15 digits, e.g. ${example}.`, true);
  });
}

/** @param {unknown} error */
export const messageOf = (error) => (error instanceof Error ? error.message : String(error));
