/**
 * The phone simulator in a real browser: Debian's chromium driven by playwright-core, against the real local
 * hotline started in-process (the same `startLocalHotline` as `npm start`). Every request the page makes goes
 * through the real webhook routes, so these tests exercise the product, not a copy of it.
 *
 * Needs /usr/bin/chromium (`apt-get install -y chromium`); `.ci/run` installs it when missing.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHotline, type LocalHotline } from '../../infra/local';
import { REFERENCE_ALPHABET, REFERENCE_LENGTH } from '../../shared/domain/report';
import { fixture } from '../support/fixtures';
import { CHROMIUM, FAKE_MICROPHONE } from '../support/chromium';

const ARTIFACTS = new URL('../../test-results/', import.meta.url).pathname;
/** Set, so the tests also prove the page sends `?token=` the way a configured Africa's Talking gateway does. */
const AT_TOKEN = 'e2e-africastalking-token-0123456789';
const REFERENCE = new RegExp(`\\b[${REFERENCE_ALPHABET}]{${REFERENCE_LENGTH}}\\b`);

let hotline: LocalHotline;
let context: BrowserContext;
let userDataDir: string;
/** Every URL the pages asked for: all must be this server's (no CDN, works offline). */
const requested: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  userDataDir = await mkdtemp(join(tmpdir(), 'safejob-e2e-chromium-'));
  hotline = await startLocalHotline({
    PORT: '0',
    AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:0',
    TABLE_NAME: 'safejob-e2e',
    AT_WEBHOOK_TOKEN: AT_TOKEN,
    REPORT_JOURNAL_PATH: join(userDataDir, 'intake-journal.jsonl'),
    SMS_RETRY_BASE_MS: '10',
  });
  context = await chromium.launchPersistentContext(userDataDir, {
    ...CHROMIUM,
    // The voice call records from the fake microphone.
    args: [...CHROMIUM.args, '--headless', ...FAKE_MICROPHONE],
    viewport: { width: 1280, height: 1000 },
  });
  context.on('request', (request) => requested.push(request.url()));
  context.on('weberror', (error) => pageErrors.push(error.error().message));
  await mkdir(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await context?.close();
  await hotline?.stop();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

async function openSimulator(): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(10_000); // fail with the step that hung, well inside the test's own timeout
  await page.goto(`${hotline.url}/`);
  await page.locator('body[data-ready="true"]').waitFor();
  // A first-time caller every time: the page remembers its numbers across pages in this profile.
  await page.getByRole('button', { name: 'New caller' }).click();
  return page;
}

/** The little of the DOM the page functions touch (the project's lib has no DOM types). */
interface BrowserGlobals {
  document: { getElementById(id: string): { dataset: Record<string, string | undefined> } | null };
}

const screen = (page: Page) => page.locator('#ussd-screen');
const screenText = (page: Page) => screen(page).innerText();
const shown = async (page: Page) => Number(await screen(page).getAttribute('data-screens'));

/** Types `input` on the keypad (or into the display with the keyboard) and sends it; resolves with the next screen. */
async function send(page: Page, input: string, how: 'keypad' | 'keyboard' = 'keypad'): Promise<string> {
  const before = await shown(page);
  if (how === 'keypad') {
    for (const key of input) await page.getByRole('button', { name: key, exact: true }).click();
    await page.getByRole('button', { name: 'Call/Send', exact: true }).click();
  } else {
    await page.getByLabel('Input', { exact: true }).fill(input);
    await page.getByLabel('Input', { exact: true }).press('Enter');
  }
  return nextScreen(page, before);
}

/** Waits for the screen after the `before`th and returns its text. */
async function nextScreen(page: Page, before: number): Promise<string> {
  // A function, not a string: the page's Content-Security-Policy forbids eval.
  await page.waitForFunction(
    (count) => Number((globalThis as unknown as BrowserGlobals).document.getElementById('ussd-screen')?.dataset.screens) > count,
    before,
  );
  return screenText(page);
}

/** The number of the option labelled `label` on the screen (menus grow, so tests choose by label, not number). */
function optionNumber(text: string, label: string): string {
  for (const line of text.split('\n')) {
    const option = /^(\d+)\. (.*)$/.exec(line);
    if (option?.[2] === label) return option[1]!;
  }
  throw new Error(`no option "${label}" on the screen:\n${text}`);
}

async function choose(page: Page, label: string, how: 'keypad' | 'keyboard' = 'keypad'): Promise<string> {
  return send(page, optionNumber(await screenText(page), label), how);
}

const thread = (page: Page, who: 'caller' | 'officer') => page.locator(`#${who}-thread`);

async function sendSms(page: Page, text: string) {
  await page.getByLabel('Message from the caller').fill(text);
  await page.getByLabel('Message from the caller').press('Enter');
}

describe('the phone simulator in chromium', () => {
  it('is a feature phone: keypad buttons named exactly 1…9, 0, *, #, plus Call/Send, Clear and End', async () => {
    const page = await openSimulator();
    for (const key of ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#', 'Call/Send', 'Clear', 'End']) {
      expect(await page.getByRole('button', { name: key, exact: true }).count(), key).toBe(1);
    }
    expect(await page.getByRole('heading', { name: "Caller's voice call" }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Call the hotline' }).isEnabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Hang up' }).isDisabled()).toBe(true);
    expect(await screenText(page)).toContain('Dial *384*1234#');
    // Clear takes back the last key; a wrong code gets the network's answer, not the hotline's.
    for (const key of '*12') await page.getByRole('button', { name: key, exact: true }).click();
    await page.getByRole('button', { name: 'Clear', exact: true }).click();
    expect(await page.getByLabel('Input', { exact: true }).inputValue()).toBe('*1');
    expect(await send(page, '#')).toBe('Connection problem or invalid MMI code.');
    await page.close();
  });

  it('dial → language → advice → back, then a returning caller skips the language', async () => {
    const page = await openSimulator();
    const languages = await send(page, '*384*1234#');
    expect(languages).toBe('Забон / Язык / Language\n1. Тоҷикӣ\n2. Русский\n3. English\n4. Oʻzbekcha\n5. Кыргызча');
    // Cyrillic on the screen: the whole screen is UCS-2, so the 80-character limit applies.
    expect(await page.locator('#ussd-count').innerText()).toMatch(/^\d+\/80 chars$/);
    expect(await page.locator('#ussd-encoding').innerText()).toBe('UCS-2');

    const main = await choose(page, 'English');
    expect(main).toMatch(/^SafeJob: free help for migrants\n1\. /);
    expect(await page.locator('#ussd-count').innerText()).toMatch(/^\d+\/182 chars$/);
    expect(await page.locator('#ussd-encoding').innerText()).toBe('GSM 7-bit');

    const advice = await choose(page, 'Safe migration advice', 'keyboard'); // Enter sends
    expect(advice).toContain('Signs of fraud');
    const text = await choose(page, 'Signs of fraud');
    expect(text).toMatch(/^Signs of fraud: 1\) Someone asks you for money/);
    expect(await send(page, '0')).toBe(advice);
    expect(await send(page, '00')).toBe(main);
    // The accumulated path, as Africa's Talking keeps it.
    expect(await page.locator('#wire-text').textContent()).toMatch(/^"3\*\d\*\d\*0\*00"$/);

    await page.getByRole('button', { name: 'End', exact: true }).click();
    expect(await screen(page).getAttribute('data-phase')).toBe('home');
    expect(await send(page, '*384*1234#')).toBe(main);
    await page.close();
  });

  it('a report through to its reference: END closes the session, the SMS confirmation follows', async () => {
    const page = await openSimulator();
    await send(page, '*384*1234#');
    await choose(page, 'English');
    await choose(page, 'Report a fraud');
    await choose(page, 'Asked to pay a fee');
    await choose(page, 'Not yet, they ask me to pay');
    await send(page, '300');
    await choose(page, 'USD (dollars)');
    await choose(page, 'Skip');
    await choose(page, 'No'); // call back
    await choose(page, 'No'); // share with the police and partners
    expect(await screenText(page)).toMatch(/^Send this report\?/);
    const last = await choose(page, 'Send');
    expect(last).toMatch(new RegExp(`^Report ${REFERENCE.source} received\\.`));
    expect(await screen(page).getAttribute('data-phase')).toBe('ended');
    const reference = REFERENCE.exec(last)![0];
    await thread(page, 'caller').getByText(`STATUS ${reference}`).waitFor();
    await page.close();
  });

  // Officer ACK (docs/escalation.md): an urgent USSD report texts the on-call officer its reference; the officer replies
  // ACK <ref> <code> from the second phone and gets a confirmation. The sample rota has +992900009001 on duty at level 1.
  it('an officer ACK from the second phone', async () => {
    const page = await openSimulator();
    await send(page, '*384*1234#');
    await choose(page, 'English');
    await choose(page, 'Report a fraud');
    await choose(page, 'Asked to pay a fee');
    await choose(page, 'Not yet, they ask me to pay'); // about to pay: urgent
    await send(page, '300');
    await choose(page, 'USD (dollars)');
    await choose(page, 'Skip');
    await choose(page, 'No'); // call back
    await choose(page, 'No'); // share with the police and partners
    const reference = REFERENCE.exec(await choose(page, 'Send'))![0];
    const officer = thread(page, 'officer');
    await officer.locator('.sms.in').filter({ hasText: reference }).first().waitFor();
    // The page carries the officer's code after the reference; the ACK chip sends it back with it.
    const ack = page.getByRole('button', { name: new RegExp(`^ACK ${reference} \\d{6}$`) });
    const command = (await ack.textContent())!;
    await ack.click();
    await page.getByLabel('Message from the officer').press('Enter');
    await officer.locator('.sms.out').filter({ hasText: command }).waitFor();
    // The page was the first message naming the reference; the confirmation of the ACK is the second.
    const confirmation = officer.locator('.sms.in').filter({ hasText: reference }).nth(1);
    await confirmation.waitFor();
    expect(await confirmation.innerText()).toContain(`${reference} аз они шумо; огоҳӣ қатъ шуд`);
    await page.screenshot({ path: 'test-results/simulator-officer-ack.png', fullPage: true });
    await page.close();
  });

  it('SMS CHECK through Africa\'s Talking: the reply arrives in the thread from the outbox', async () => {
    const page = await openSimulator();
    await send(page, '*384*1234#');
    await choose(page, 'English');
    await sendSms(page, 'CHECK Concordia');
    await thread(page, 'caller').getByText('CHECK Concordia').waitFor();
    await thread(page, 'caller').getByText(/Concordia \(UK\): LICENSED/).waitFor();
    expect(await thread(page, 'caller').locator('.sms.out .meta').innerText()).toContain("via Africa's Talking");
    await page.screenshot({ path: join(ARTIFACTS, 'simulator-1280.png'), fullPage: true });
    await page.close();
  });

  it('SMS through Twilio: the server signs, the webhook accepts, the reply arrives', async () => {
    const page = await openSimulator();
    await page.getByLabel('SMS provider').selectOption('twilio');
    await sendSms(page, 'HELP');
    await thread(page, 'caller').getByText(/^SafeJob: free help against job and visa fraud/).waitFor();
    expect(await thread(page, 'caller').locator('.sms.out .meta').innerText()).toContain('via Twilio');
    await page.getByLabel('SMS provider').selectOption('africastalking');
    await page.close();
  });

  it('the language setting texts LANG through the real route, and USSD then opens in that language', async () => {
    const page = await openSimulator();
    await page.getByLabel('Language', { exact: true }).selectOption('ru');
    await thread(page, 'caller').getByText('LANG RU').waitFor();
    await thread(page, 'caller').locator('.sms.in').waitFor();
    const main = await send(page, '*384*1234#');
    expect(main).not.toContain('Language\n1. Тоҷикӣ');
    expect(main).toMatch(/[А-Яа-я]/);
    await page.close();
  });

  it("speaks the providers' formats: the fields of the team's fixtures, the AT token, Twilio's signature", async () => {
    const page = await openSimulator();
    const posts: { path: string; token: string | null; fields: URLSearchParams; signature?: string }[] = [];
    page.on('request', (request) => {
      if (request.method() !== 'POST') return;
      const url = new URL(request.url());
      posts.push({
        path: url.pathname,
        token: url.searchParams.get('token'),
        fields: new URLSearchParams(request.postData() ?? ''),
        signature: request.headers()['x-twilio-signature'],
      });
    });
    await send(page, '*384*1234#');
    const notified = page.waitForRequest((request) => request.url().includes('/ussd/africastalking/events'));
    await page.getByRole('button', { name: 'End', exact: true }).click(); // the end-of-session notification
    await notified;
    await sendSms(page, 'HELP');
    await thread(page, 'caller').locator('.sms.in').nth(0).waitFor();
    await page.getByLabel('SMS provider').selectOption('twilio');
    await sendSms(page, 'HELP');
    await thread(page, 'caller').locator('.sms.in').nth(1).waitFor();
    await page.getByLabel('SMS provider').selectOption('africastalking');

    const names = (fields: URLSearchParams) => [...fields.keys()].sort();
    const fixtureNames = (name: string) => Object.keys(fixture(name).body).sort();
    const posted = (path: string) => posts.filter((post) => post.path === path);

    const [dial] = posted('/ussd/africastalking');
    expect(names(dial!.fields)).toEqual(fixtureNames('africastalking/ussd-first-dial'));
    expect(dial!.fields.get('text')).toBe('');
    expect(dial!.fields.get('sessionId')).toMatch(/^ATUid_[0-9a-f]{20}$/);
    expect(dial!.token).toBe(AT_TOKEN);
    const [event] = posted('/ussd/africastalking/events');
    expect(names(event!.fields)).toEqual(fixtureNames('africastalking/ussd-session-event'));
    expect(event!.fields.get('status')).toBe('Incomplete');
    expect(event!.token).toBe(AT_TOKEN);

    const [atSms] = posted('/sms/africastalking');
    expect(names(atSms!.fields)).toEqual(fixtureNames('africastalking/sms-incoming'));
    expect(atSms!.fields.get('date')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(atSms!.token).toBe(AT_TOKEN);

    const [twilioSms] = posted('/sms/twilio');
    expect(names(twilioSms!.fields)).toEqual(fixtureNames('twilio/sms-incoming'));
    expect(twilioSms!.fields.get('MessageSid')).toMatch(/^SM[0-9a-f]{32}$/);
    expect(twilioSms!.signature).toMatch(/^[A-Za-z0-9+/]{27}=$/);
    await page.close();
  });

  it('is readable on a 360 px phone and loads nothing from other origins', async () => {
    const page = await openSimulator();
    await page.setViewportSize({ width: 360, height: 740 });
    await send(page, '*384*1234#');
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBe(0);
    await screen(page).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'simulator-360.png') });
    // Keyboard only: Tab moves along the keypad, the focused key is visibly outlined, Space presses it, Enter sends.
    await page.getByRole('button', { name: '2', exact: true }).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.getAttribute("aria-label")')).toBe('3');
    expect(await page.evaluate('getComputedStyle(document.activeElement).outlineStyle')).toBe('solid');
    const before = await shown(page);
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    expect(await nextScreen(page, before)).toMatch(/^SafeJob: free help for migrants\n/);
    await page.close();

    const origin = new URL(hotline.url).origin;
    expect(requested.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Voice: the page plays the real voice webhook's answers (TwiML, Africa's Talking XML) as a script.

type VoicePhase = 'idle' | 'busy' | 'keys' | 'record' | 'dial' | 'connected' | 'ended';
const voicePhase = (page: Page, ...phases: VoicePhase[]) => page.locator(phases.map((p) => `#voice[data-phase="${p}"]`).join(', ')).waitFor();
const voiceLog = (page: Page) => page.locator('#voice-log');
/** Everything the caller has heard so far, one Say per line. */
const heard = async (page: Page) => (await page.locator('#voice-log .vline.heard .body').allInnerTexts()).join('\n');

/** Presses keys on the handset's keypad during a call, then waits until the line answers and waits again. */
async function pressInCall(page: Page, keys: string, then: VoicePhase[] = ['keys']) {
  for (const key of keys) await page.getByRole('button', { name: key, exact: true }).click();
  await voicePhase(page, ...then);
}

async function callHotline(page: Page, provider: 'africastalking' | 'twilio') {
  await page.getByLabel('Voice provider').selectOption(provider);
  await page.getByRole('button', { name: 'Call the hotline' }).click();
  await voicePhase(page, 'keys');
}

interface Post {
  path: string;
  query: URLSearchParams;
  fields: URLSearchParams;
  signature?: string;
}

function recordPosts(page: Page, prefix: string): Post[] {
  const posts: Post[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (request.method() !== 'POST' || !url.pathname.startsWith(prefix)) return;
    posts.push({ path: url.pathname, query: url.searchParams, fields: new URLSearchParams(request.postData() ?? ''), signature: request.headers()['x-twilio-signature'] });
  });
  return posts;
}

const fieldNames = (fields: URLSearchParams) => [...fields.keys()].sort();
const fixtureNames = (name: string) => Object.keys(fixture(name).body).sort();
/** The reference as the voice line reads it (`9, 9, E, Y, H, 4.`), back to `99EYH4`. */
const referenceHeard = (text: string, after: string) => {
  const read = new RegExp(`${after} ((?:[${REFERENCE_ALPHABET}], ){${REFERENCE_LENGTH - 1}}[${REFERENCE_ALPHABET}])\\.`).exec(text);
  if (!read) throw new Error(`no reference read after "${after}" in:\n${text}`);
  return read[1]!.replaceAll(', ', '');
};

describe('the voice line in chromium', () => {
  it("a call through Africa's Talking: language → main menu → advice heard; no input asks again; the final callback", async () => {
    const page = await openSimulator();
    const posts = recordPosts(page, '/voice/africastalking');
    await callHotline(page, 'africastalking');
    expect(await heard(page)).toContain('For English, press 3.');
    expect(await voiceLog(page).innerText()).toContain('Waiting for one key');
    // The handset shows the call, and its keypad is the one that answers.
    expect(await page.locator('#ussd-state').innerText()).toMatch(/^In call \d\d:\d\d$/);
    expect(await screenText(page)).toMatch(/^Africa's Talking · \+254711082000\n▸ Waiting for keys\n\n.*For English, press 3\./s);

    // The computer's keyboard presses the keys too.
    await page.keyboard.press('3');
    await voicePhase(page, 'keys');
    const menu = await heard(page);
    expect(menu).toContain('Welcome to SafeJob');
    expect(menu).toContain('For safe migration advice, press 5.');
    await pressInCall(page, '5');
    expect(await heard(page)).toContain('For the signs of fraud, press 1.');
    await pressInCall(page, '1');
    expect(await heard(page)).toMatch(/Signs of fraud: 1\) Someone asks you for money/);

    // No key: GetDigits runs out, the next verb (a Redirect without digits) says so and asks again.
    const before = (await page.locator('#voice-log .vline.heard').count());
    await page.getByRole('button', { name: 'No input (time out)' }).click();
    await page.locator('#voice-log .vline.heard').nth(before).waitFor();
    await voicePhase(page, 'keys');
    expect(await page.locator('#voice-log .vline.heard').nth(before).innerText()).toContain('Sorry, we did not hear any key.');
    await page.screenshot({ path: join(ARTIFACTS, 'simulator-voice-call-1280.png'), fullPage: true });

    await page.getByRole('button', { name: 'Hang up' }).click();
    await voicePhase(page, 'ended');
    await page.locator('#voice[data-final="sent"]').waitFor();
    expect(await screenText(page)).toMatch(/^Call ended\n/);

    // The providers' fields, as in the team's fixtures, with the token on every callback.
    expect(posts.every((post) => post.query.get('token') === AT_TOKEN)).toBe(true);
    const [first, ...rest] = posts;
    expect(fieldNames(first!.fields)).toEqual(fixtureNames('africastalking/voice-incoming'));
    expect(first!.fields.get('callSessionState')).toBe('Ringing');
    expect(first!.fields.get('sessionId')).toMatch(/^ATVId_[0-9a-f]{20}$/);
    expect(first!.query.get('s')).toBeNull(); // the number's own URL
    const digits = rest.filter((post) => post.fields.has('dtmfDigits'));
    expect(digits.map((post) => post.fields.get('dtmfDigits'))).toEqual(['3', '5', '1']);
    expect(fieldNames(digits[0]!.fields)).toEqual(fixtureNames('africastalking/voice-digits'));
    expect(digits.map((post) => post.query.get('s'))).toEqual(['lang', 'main', 'advice']);
    const noInput = rest.find((post) => !post.fields.has('dtmfDigits') && post.fields.get('isActive') === '1');
    expect(noInput?.query.get('s')).toBe('advice');
    const final = posts.at(-1)!;
    expect(final.fields.get('isActive')).toBe('0');
    expect(final.query.get('s')).toBeNull();
    const finalNames = fixtureNames('africastalking/voice-ended-recording').filter((name) => name !== 'recordingUrl');
    expect(fieldNames(final.fields)).toEqual(finalNames);
    await page.close();
  });

  it('a voice report through Twilio with a sample recording: the reference is read digit by digit and texted', async () => {
    const page = await openSimulator();
    const posts = recordPosts(page, '/voice/twilio');
    await page.getByLabel('Voice provider').selectOption('twilio');
    expect(await page.getByLabel('Hotline number').inputValue()).toBe('+447700900123');
    await callHotline(page, 'twilio');
    expect(await voiceLog(page).innerText()).toContain('Caller hears · Russian speech (ru-RU, Polly.Tatyana)');
    await pressInCall(page, '3'); // English
    await pressInCall(page, '3'); // report a fraud
    expect(await heard(page)).toContain('May an officer call you back on this number?');
    await pressInCall(page, '1'); // call back
    await pressInCall(page, '2', ['record']); // share: no
    expect(await heard(page)).toContain('After the beep, tell us what happened');
    await page.getByRole('button', { name: 'Submit a sample recording' }).click();
    await voicePhase(page, 'ended'); // Twilio's <Hangup/> after the reference

    const spoken = await heard(page);
    const reference = referenceHeard(spoken, 'Its reference is:');
    expect(spoken).toContain(`Once more: ${[...reference].join(', ')}.`);
    expect(spoken).toContain('We are also sending it to you by SMS.');
    await thread(page, 'caller').locator('.sms.in').filter({ hasText: reference }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'simulator-voice-report-twilio-1280.png'), fullPage: true });
    // The caller can play back the message as the hotline stored it.
    const message = page.locator('#voice-log .vline.caller audio');
    expect(await message.getAttribute('src')).toMatch(/^\/dev\/sim\/recordings\/[0-9a-f]{24}$/);

    // Every request signed; the fields of the team's fixtures.
    expect(posts.every((post) => /^[A-Za-z0-9+/]{27}=$/.test(post.signature ?? ''))).toBe(true);
    expect(fieldNames(posts[0]!.fields)).toEqual(fixtureNames('twilio/voice-incoming'));
    expect(posts[0]!.fields.get('CallStatus')).toBe('ringing');
    expect(posts[0]!.fields.get('CallSid')).toMatch(/^CA[0-9a-f]{32}$/);
    const gathered = posts.filter((post) => post.fields.has('Digits') && !post.fields.has('RecordingUrl'));
    expect(fieldNames(gathered[0]!.fields)).toEqual(fixtureNames('twilio/voice-gather-digits'));
    const recorded = posts.find((post) => post.fields.has('RecordingUrl'))!;
    expect(fieldNames(recorded.fields)).toEqual(expect.arrayContaining(fixtureNames('twilio/voice-recording')));
    expect(recorded.fields.get('RecordingDuration')).toBe('4');
    expect(recorded.query.get('s')).toBe('report');
    expect(recorded.query.get('c')).toBe('1');

    // The report keeps the recording's URL, which plays from the local server.
    const report = await hotline.deps.reports.getByReference(reference);
    expect(report?.channel).toBe('voice');
    expect(report?.recordingUrl).toBe(recorded.fields.get('RecordingUrl'));
    expect(report?.recordingDurationSeconds).toBe(4);
    const audio = await fetch(report!.recordingUrl!);
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/wav');
    await page.getByLabel('Voice provider').selectOption('africastalking');
    await page.close();
  });

  it("an urgent call where nobody answers: a message, and the officer's phone gets the page", async () => {
    const page = await openSimulator();
    const posts = recordPosts(page, '/voice/africastalking');
    await callHotline(page, 'africastalking');
    await pressInCall(page, '3');
    await pressInCall(page, '4', ['dial']);
    expect(await heard(page)).toContain('We are calling the officer on duty.');
    expect(await voiceLog(page).innerText()).toMatch(/Ringing officers: \+992900009001, \+992900009002 \(one is the officer’s phone on this page\)/);
    // Level after level, nobody answers; then the caller is asked for a message.
    for (let level = 1; ; level++) {
      expect(level).toBeLessThan(6);
      await page.getByRole('button', { name: 'Nobody answers' }).click();
      await voicePhase(page, 'dial', 'record');
      if ((await page.locator('#voice').getAttribute('data-phase')) === 'record') break;
      expect(await heard(page)).toContain('Nobody has answered yet. We are calling another officer.');
    }
    expect(await heard(page)).toContain('No officer could answer right now.');
    await page.screenshot({ path: join(ARTIFACTS, 'simulator-voice-urgent-1280.png'), fullPage: true });
    await page.getByRole('button', { name: 'Submit a sample recording' }).click();
    await voicePhase(page, 'ended'); // the answer ends after the reference: Africa's Talking hangs up
    const reference = referenceHeard(await heard(page), 'Your reference is:');
    expect(await heard(page)).toContain('If you are in danger now, call');

    await thread(page, 'officer').locator('.sms.in').filter({ hasText: reference }).first().waitFor();
    await thread(page, 'caller').locator('.sms.in').filter({ hasText: reference }).waitFor();

    // Africa's Talking's Dial has no callback: nobody answering runs the Redirect after it (s=dial, no digits).
    const dialled = posts.filter((post) => post.query.get('s') === 'dial');
    expect(dialled.length).toBeGreaterThan(0);
    expect(dialled.every((post) => !post.fields.has('dtmfDigits'))).toBe(true);
    const message = posts.find((post) => post.fields.has('recordingUrl') && post.fields.get('isActive') === '1')!;
    expect(message.query.get('s')).toBe('urgent');
    // The final callback after hang-up carries the recording again, in the fixture's fields.
    await page.locator('#voice[data-final="sent"]').waitFor();
    const final = posts.at(-1)!;
    expect(fieldNames(final.fields)).toEqual(fixtureNames('africastalking/voice-ended-recording'));
    expect(final.fields.get('recordingUrl')).toBe(message.fields.get('recordingUrl'));
    const report = await hotline.deps.reports.getByReference(reference);
    expect(report?.urgency.urgent).toBe(true);
    await page.close();
  });

  it('Twilio: an officer answers, then hangs up; the hotline says the call has ended', async () => {
    const page = await openSimulator();
    const posts = recordPosts(page, '/voice/twilio');
    await callHotline(page, 'twilio');
    await pressInCall(page, '3');
    await pressInCall(page, '4', ['dial']);
    expect(await voiceLog(page).innerText()).toMatch(/Caller ID \+447700900123; they ring for 20 s/);
    await page.getByRole('button', { name: 'Officer answers' }).click();
    await voicePhase(page, 'connected');
    await page.getByRole('button', { name: 'Officer hangs up' }).click();
    await voicePhase(page, 'ended');
    expect(await heard(page)).toContain('Your call with the officer has ended.');
    const dial = posts.find((post) => post.fields.has('DialCallStatus'))!;
    expect(dial.fields.get('DialCallStatus')).toBe('completed');
    expect(dial.query.get('s')).toBe('dial');
    await page.getByLabel('Voice provider').selectOption('africastalking');
    await page.close();
  });

  it('dialled on the handset: records the message from the microphone (a fake one), and # sends it', async () => {
    const page = await openSimulator();
    const posts = recordPosts(page, '/voice/africastalking');
    // Dialled on the handset this time: the hotline's number, then Call/Send.
    await page.getByLabel('Input', { exact: true }).fill('+254711082000');
    await page.getByLabel('Input', { exact: true }).press('Enter');
    await voicePhase(page, 'keys');
    await pressInCall(page, '3');
    await pressInCall(page, '3');
    await pressInCall(page, '2'); // call back
    await pressInCall(page, '2', ['record']); // share: no
    await page.getByRole('button', { name: 'Record from the microphone' }).click();
    await page.getByRole('button', { name: 'Stop and send (#)' }).waitFor();
    await page.waitForTimeout(1200);
    await page.getByRole('button', { name: '#', exact: true }).click();
    await voicePhase(page, 'ended');
    expect(await heard(page)).toContain('Its reference is:');
    const message = posts.find((post) => post.fields.has('recordingUrl') && post.fields.get('isActive') === '1')!;
    const audio = await fetch(message.fields.get('recordingUrl')!);
    expect(audio.headers.get('content-type')).toMatch(/^audio\/(webm|ogg|mp4)$/);
    expect((await audio.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    await page.close();
  });

  it('Twilio: a caller who hangs up while leaving a message is still heard (Record action with Digits=hangup)', async () => {
    const page = await openSimulator();
    const posts = recordPosts(page, '/voice/twilio');
    await callHotline(page, 'twilio');
    await pressInCall(page, '3');
    await pressInCall(page, '3');
    await pressInCall(page, '1'); // call back
    await pressInCall(page, '2', ['record']); // share: no
    await page.getByRole('button', { name: 'Record from the microphone' }).click();
    await page.getByRole('button', { name: 'Stop and send (#)' }).waitFor();
    await page.waitForTimeout(1100);
    await page.getByRole('button', { name: 'Hang up' }).click();
    await voicePhase(page, 'ended');
    // The action is called after the hang-up (its answer ignored): the message is uploaded first.
    await expect.poll(() => posts.some((post) => post.fields.has('RecordingUrl'))).toBe(true);
    const recorded = posts.find((post) => post.fields.has('RecordingUrl'))!;
    expect(recorded.fields.get('Digits')).toBe('hangup');
    expect(recorded.fields.get('CallStatus')).toBe('completed');
    await thread(page, 'caller').locator('.sms.in').filter({ hasText: /report [A-Z0-9]+ received/ }).waitFor();
    await page.getByLabel('Voice provider').selectOption('africastalking');
    await page.close();
  });

  it('plays recordings in the page, and says so when one is missing; readable at 360 px', async () => {
    const page = await openSimulator();
    // An answer with recorded prompts (none is committed yet, so the first answer is made up here): one that
    // exists (a recording uploaded to the simulator), one that does not.
    const upload = await page.evaluate(async () => {
      const response = await fetch('/dev/sim/recordings', { method: 'POST', headers: { 'content-type': 'audio/wav' }, body: new Uint8Array(64) });
      return (await response.json()) as { url: string; path: string };
    });
    await page.route(
      (url) => url.pathname === '/voice/africastalking' && !url.searchParams.has('s'),
      (route) =>
        route.fulfill({
          contentType: 'application/xml',
          body:
            '<?xml version="1.0" encoding="UTF-8"?><Response>' +
            `<GetDigits timeout="8" numDigits="1" callbackUrl="${hotline.deps.config.publicBaseUrl}/voice/africastalking?s=lang&amp;t=0&amp;token=${AT_TOKEN}">` +
            `<Play url="${hotline.deps.config.publicBaseUrl}/audio/tg/voice.lang.choose.mp3"/><Play url="${upload.url}"/><Say voice="woman">For English, press 3.</Say>` +
            `</GetDigits><Redirect>${hotline.deps.config.publicBaseUrl}/voice/africastalking?s=lang&amp;t=0&amp;token=${AT_TOKEN}</Redirect></Response>`,
        }),
    );
    await page.setViewportSize({ width: 360, height: 740 });
    await callHotline(page, 'africastalking');
    const plays = page.locator('#voice-log .vline.play');
    await plays.first().locator('.note', { hasText: 'Recording missing (HTTP 404)' }).waitFor();
    expect(await plays.first().locator('audio').count()).toBe(0);
    expect(await plays.nth(1).locator('audio').getAttribute('src')).toBe(upload.path);
    expect(await plays.nth(1).locator('audio').getAttribute('controls')).not.toBeNull();
    await pressInCall(page, '3');
    expect(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBe(0);
    await page.locator('#caller-handset').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'simulator-voice-360-handset.png') });
    await page.locator('#voice-actions').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'simulator-voice-360.png') });
    await page.getByRole('button', { name: 'End', exact: true }).click(); // the handset's End hangs up too
    await voicePhase(page, 'ended');
    await page.close();

    const origin = new URL(hotline.url).origin;
    expect(requested.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

