// @ts-check
// SafeJob Hotline phone simulator. Plain JavaScript modules, no dependencies, no build step.
// Every request goes to the REAL webhook routes in the providers' formats; replies are read from the local outbox.
// The only helpers it uses live under /dev/sim/ (config, screen measure, Twilio signatures, recordings), local only.

import { $, bindPhoneField, inputField, messageOf, selectField, showStatus } from './dom.js';
import { showHome, tickClock } from './handset.js';
import { bindHandset } from './keypad.js';
import { randomCallerNumber, validPhone } from './phones.js';
import { bindCompose, poll, renderThreads, sendSms } from './sms-thread.js';
import { PROVIDER_NAMES } from './providers.js';
import { config, load, POLL_MS, save, state } from './state.js';
import { closeSession } from './ussd-session.js';
import { bindVoice, hangUp } from './voice-call.js';
import { voicePhase } from './voice-display.js';

/** Another caller's phone: whatever the last one was doing ends. @param {string} number */
function setCallerNumber(number) {
  if (state.call) void hangUp();
  if (state.session) closeSession('Incomplete', 'phone switched');
  state.callerNumber = number;
  inputField('caller-number').value = number;
  selectField('caller-language').value = '';
  save();
  showHome();
  renderThreads();
}

function bindSettings() {
  bindPhoneField(inputField('caller-number'), {
    current: () => state.callerNumber,
    example: '+992900000001',
    onValid: (number) => {
      setCallerNumber(number);
      showStatus(`Now using ${number}.`);
    },
  });
  $('new-caller').addEventListener('click', () => {
    const number = randomCallerNumber();
    setCallerNumber(number);
    showStatus(`New caller ${number}: the hotline has never heard from this number.`);
  });
  bindPhoneField(inputField('officer-number'), {
    current: () => state.officerNumber,
    example: '+992900009001',
    onValid: (number) => {
      state.officerNumber = number;
      save();
      renderThreads();
    },
  });
  const provider = selectField('sms-provider');
  provider.addEventListener('change', () => {
    state.provider = provider.value === 'twilio' ? 'twilio' : 'africastalking';
    save();
    showStatus(`SMS now go through ${PROVIDER_NAMES[state.provider]} (/sms/${state.provider}${state.provider === 'twilio' ? ', signed' : ''}).`);
  });
  const language = selectField('caller-language');
  language.addEventListener('change', () => {
    // The hotline learns a language only from the caller, so this texts LANG through the real SMS route.
    if (language.value) void sendSms(state.callerNumber, `LANG ${language.value.toUpperCase()}`);
  });
}

/** Without Twilio's auth token the hotline refuses every Twilio request, so the page does not offer it. */
function disableTwilio() {
  for (const select of ['sms-provider', 'voice-provider']) {
    const option = /** @type {HTMLOptionElement} */ (document.querySelector(`#${select} option[value="twilio"]`));
    option.disabled = true;
    option.textContent = 'Twilio (no auth token configured)';
  }
}

async function start() {
  try {
    const response = await fetch('/dev/sim/config', { cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    Object.assign(config, await response.json());
  } catch (error) {
    showStatus(`Cannot reach the local hotline's simulator helpers (${messageOf(error)}). Run npm start and open http://localhost:3000/.`, true);
    return;
  }
  const saved = load();
  state.callerNumber = validPhone(saved.callerNumber) ? saved.callerNumber : config.callerNumber;
  state.officerNumber = validPhone(saved.officerNumber) ? saved.officerNumber : config.officerNumber;
  state.provider = saved.provider === 'twilio' && config.twilioSigning ? 'twilio' : 'africastalking';
  state.voiceProvider = saved.voiceProvider === 'twilio' && config.twilioSigning ? 'twilio' : 'africastalking';
  selectField('voice-provider').value = state.voiceProvider;
  inputField('voice-number').value = config.voiceNumbers[state.voiceProvider];
  inputField('caller-number').value = state.callerNumber;
  inputField('officer-number').value = state.officerNumber;
  selectField('sms-provider').value = state.provider;
  if (!config.twilioSigning) disableTwilio();
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
