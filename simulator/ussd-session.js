// @ts-check
// A USSD session through the real Africa's Talking route: every request carries the whole path typed so far, and a
// session ends on END, on an error, on the End key, or after the gateway's time limit (docs/providers.md).

import { $ } from './dom.js';
import { phase, showScreen } from './handset.js';
import { ids, postForm, ussdEndFields, ussdFields, withToken } from './providers.js';
import { config, RESPONSE_TIMEOUT_MS, SESSION_TIMEOUT_MS, state } from './state.js';

/** What a phone shows when the gateway gives up. */
export const NETWORK_ERROR = 'Connection problem or invalid MMI code.';

/**
 * @param {string} [request]
 * @param {string} [response]
 */
function showWire(request, response) {
  $('wire-session').textContent = state.session?.id ?? '—';
  $('wire-text').textContent = state.session ? JSON.stringify(state.session.text) : '—';
  $('wire-hops').textContent = state.session ? String(state.session.hops) : '—';
  if (request !== undefined) $('wire-request').textContent = request;
  if (response !== undefined) $('wire-response').textContent = response;
}

/**
 * Ends the session and sends the gateway's end-of-session notification (its answer does not matter).
 * @param {string} statusText
 * @param {string} [errorMessage]
 */
export function closeSession(statusText, errorMessage = '') {
  const session = state.session;
  if (!session) return;
  clearTimeout(session.timer);
  state.session = null;
  postForm(withToken('/ussd/africastalking/events'), ussdEndFields(session, state.callerNumber, statusText, errorMessage)).catch(() => undefined);
}

/**
 * @param {string} message
 * @param {string} statusText
 * @param {string} [errorMessage]
 */
export async function closeWithMessage(message, statusText, errorMessage = '') {
  closeSession(statusText, errorMessage);
  state.closedScreenShown = true;
  phase('ended', 'Session ended');
  await showScreen(message, true);
}

/** One request of the session, exactly as the gateway sends it: the whole path so far in `text`. */
async function ussdRequest() {
  const session = state.session;
  if (!session) return;
  const fields = ussdFields(session, state.callerNumber);
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
    await closeWithMessage(match[2] ?? '', 'Success');
    return;
  }
  phase('open', 'Session open');
  await showScreen(match[2] ?? '', false);
}

/**
 * The text a dialled code starts the session with: `*384*1234*3*1#` dials straight to `3*1`, like AT does.
 * @param {string} code
 */
export function dialledPath(code) {
  const service = config.ussdServiceCode;
  if (code === service) return '';
  const base = service.replace(/#$/, '');
  if (code.startsWith(`${base}*`) && code.endsWith('#')) return code.slice(base.length + 1, -1);
  return undefined;
}

/** Opens a session at `path` and sends its first request. @param {string} path */
export async function startSession(path) {
  /** @type {import('./state.js').UssdSession} */
  const session = { id: ids.ussdSession(), text: path, hops: 0, startedAt: Date.now(), lastResponse: '', timer: 0 };
  session.timer = window.setTimeout(() => {
    if (state.session === session) void closeWithMessage('Session expired.', 'Incomplete', 'session timeout');
  }, SESSION_TIMEOUT_MS);
  state.session = session;
  state.closedScreenShown = false;
  await ussdRequest();
}

/** The caller's answer to the open screen: appended to the path, and sent. @param {string} typed */
export async function answer(typed) {
  const session = state.session;
  if (!session) return;
  session.text = session.text === '' ? typed : `${session.text}*${typed}`;
  await ussdRequest();
}
