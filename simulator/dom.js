// @ts-check
// The page's elements, by id, and its status line.

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

/** @param {unknown} error */
export const messageOf = (error) => (error instanceof Error ? error.message : String(error));
