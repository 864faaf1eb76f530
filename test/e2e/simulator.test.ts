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
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-gpu',
      '--headless',
    ],
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
    expect(await page.getByRole('heading', { name: 'Voice: coming with the IVR issue' }).isVisible()).toBe(true);
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
    expect(languages).toBe('Забон / Язык / Language\n1. Тоҷикӣ\n2. Русский\n3. English');
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
    await choose(page, 'No');
    expect(await screenText(page)).toMatch(/^Send this report\?/);
    const last = await choose(page, 'Send');
    expect(last).toMatch(new RegExp(`^Report ${REFERENCE.source} received\\.`));
    expect(await screen(page).getAttribute('data-phase')).toBe('ended');
    const reference = REFERENCE.exec(last)![0];
    await thread(page, 'caller').getByText(`STATUS ${reference}`).waitFor();
    await page.close();
  });

  // Officer ACK (DESIGN.md §5): an urgent USSD report texts the on-call officer its reference; the officer replies
  // ACK <ref> from the second phone and gets a confirmation. The sample rota has +992900009001 on duty at level 1.
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
    await choose(page, 'No');
    const reference = REFERENCE.exec(await choose(page, 'Send'))![0];
    const officer = thread(page, 'officer');
    await officer.locator('.sms.in').filter({ hasText: reference }).first().waitFor();
    await page.getByRole('button', { name: `ACK ${reference}`, exact: true }).click();
    await page.getByLabel('Message from the officer').press('Enter');
    await officer.locator('.sms.out').filter({ hasText: `ACK ${reference}` }).waitFor();
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
