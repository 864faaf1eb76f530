/**
 * The console in a real browser (Debian's chromium, driven by playwright-core) against the real local hotline and
 * its embedded OpenID provider: a report made by USSD reaches the officer's queue, is acknowledged in the console
 * (and the SMS paging stops), is referred to the police unit, whose focal point accepts it and reports it done with
 * a note the officer then reads; the analyst's dashboard counts it. Screenshots of the main pages go to
 * test-results/screenshots/; the README shows the copies committed in docs/screenshots/.
 *
 * Needs /usr/bin/chromium (`apt-get install -y chromium`); `.ci/run` installs it when missing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHotline, type LocalHotline } from '../../infra/local';
import { SAMPLE_PASSWORD } from '../../infra/local-oidc';
import { handleEscalationTrigger } from '../../shared/escalation/service';
import { REFERENCE_ALPHABET, REFERENCE_LENGTH } from '../../shared/domain/report';
import { seriousViolations } from '../support/axe';
import { CHROMIUM } from '../support/chromium';

// Written beside the test reports, never over the tracked copies in docs/screenshots/ (copy them there to refresh).
const SCREENSHOTS = new URL('../../test-results/screenshots/', import.meta.url).pathname;
const AT_TOKEN = 'e2e-console-africastalking-token-01';
const OFFICER_PHONE = '+992900009001';
const OTHER_LEVEL_ONE = '+992900009002';
const CALLER = '+992900000077';

let hotline: LocalHotline;
let browser: Browser;
let dir: string;
const requested: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'safejob-e2e-console-'));
  hotline = await startLocalHotline({
    PORT: '0',
    AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:0',
    TABLE_NAME: 'safejob-e2e-console',
    AT_WEBHOOK_TOKEN: AT_TOKEN,
    REPORT_JOURNAL_PATH: join(dir, 'intake-journal.jsonl'),
    SMS_RETRY_BASE_MS: '10',
  });
  browser = await chromium.launch(CHROMIUM);
});

afterAll(async () => {
  await browser?.close();
  await hotline?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The caller's USSD session, step by step, as Africa's Talking sends it; resolves with the last screen. */
async function ussd(steps: string[]): Promise<string> {
  let screen = '';
  for (let i = 0; i <= steps.length; i++) {
    const response = await fetch(`${hotline.url}/ussd/africastalking?token=${AT_TOKEN}`, {
      method: 'POST',
      body: new URLSearchParams({ sessionId: 'e2e-console-1', serviceCode: '*384*1234#', phoneNumber: CALLER, text: steps.slice(0, i).join('*') }),
    });
    screen = await response.text();
  }
  return screen;
}

async function outboxTo(phone: string): Promise<string[]> {
  await hotline.deps.localQueue.drain();
  const sent = (await (await fetch(`${hotline.url}/dev/outbox`)).json()) as { to: string; text: string }[];
  return sent.filter((m) => m.to === phone).map((m) => m.text);
}

/** A fresh browser profile signed in as `email` through the embedded OpenID provider's form. */
async function signIn(email: string, path = '/console'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  context.on('request', (request) => requested.push(request.url()));
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${hotline.url}${path}`);
  await page.getByLabel('E-mail / Эл. почта').fill(email);
  await page.getByLabel('Password / Пароль').fill(SAMPLE_PASSWORD);
  await page.getByRole('button', { name: 'Sign in / Войти' }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/console'));
  return page;
}

describe('the console, officer to partner and back', () => {
  let reference: string;
  let officer: Page;

  it('a report made by USSD is in the officer queue, urgent, and its page went out by SMS', async () => {
    const end = await ussd(['3', '2', '3', '2', '3000', '1', '@uk_jobs_visa', '1', '2', '1']); // call back: yes; share: not yet
    reference = new RegExp(`[${REFERENCE_ALPHABET}]{${REFERENCE_LENGTH}}`).exec(end.replace(/^END /, ''))![0];
    expect(end).toMatch(/^END /);
    expect((await outboxTo(OFFICER_PHONE)).some((text) => text.includes(reference) && text.includes('ACK'))).toBe(true);

    officer = await signIn('officer@sample.test');
    expect(new URL(officer.url()).pathname).toBe('/console/cases');
    const row = officer.getByRole('row', { name: new RegExp(reference) });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.innerText()).toContain('urgent');
    expect(await seriousViolations(officer)).toEqual([]);
    await officer.screenshot({ path: `${SCREENSHOTS}console-queue.png`, fullPage: true });
  });

  it('is acknowledged in the console: the SMS paging stops and the other officer is told', async () => {
    await officer.getByRole('link', { name: reference }).click();
    await officer.getByRole('heading', { name: `Case ${reference}` }).waitFor();
    await officer.getByRole('button', { name: 'Acknowledge (take the case)' }).click();
    await officer.getByText('Acknowledged: the paging has stopped.').waitFor();
    const state = await hotline.deps.escalation.escalations.get(reference);
    expect(state).toMatchObject({ status: 'acknowledged', acknowledgedBy: { name: 'Aziz Rahimov (SAMPLE)' } });
    // The step's timer firing now changes nothing: nobody else is paged.
    expect(await handleEscalationTrigger(hotline.deps.escalation, { reference, step: state!.step })).toBe('ignored');
    expect((await outboxTo(OTHER_LEVEL_ONE)).some((text) => text.includes(reference) && text.includes('Aziz'))).toBe(true);
  });

  it('cannot be referred before the reporter agrees; is referred once they did, and the partner is notified', async () => {
    const refer = async () => {
      await officer.getByLabel('Organisation').selectOption({ label: 'Police cybercrime unit (SAMPLE)' });
      await officer.getByLabel('Service asked for').selectOption('investigation');
      await officer.getByLabel('Notes for the partner').fill('Asked to pay 3000 TJS for a UK visa; the handle is still active.');
      await officer.getByRole('button', { name: 'Refer', exact: true }).click();
    };
    await refer();
    await officer.getByText("Not possible without the reporter's consent.").waitFor();
    await officer.getByLabel('agreed (told me)').check();
    await officer.getByRole('button', { name: 'Record' }).click();
    await officer.getByText('Consent recorded.').waitFor();
    await refer();
    await officer.getByText('Referred; the partner has been notified.').waitFor();
    expect(await seriousViolations(officer)).toEqual([]);
    await officer.screenshot({ path: `${SCREENSHOTS}console-case.png`, fullPage: true });
    const mail = hotline.deps.localMail.list().filter((m) => m.to === 'partner@sample.test');
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text).toContain(`${hotline.url}/console/referrals/${reference}/`);
    expect(mail[0]!.text).not.toContain(CALLER);
    expect((await outboxTo('+992900008001')).some((text) => text.includes(reference))).toBe(true);
  });

  it('the partner sees only the minimum, accepts, and reports done with a note the officer reads', async () => {
    const link = /(http:\/\/\S+\/console\/referrals\/\S+)/.exec(hotline.deps.localMail.list().at(-1)!.text)![1]!;
    const partner = await signIn('partner@sample.test', new URL(link).pathname);
    await partner.getByRole('heading', { name: `Referral of case ${reference}` }).waitFor();
    const shown = await partner.locator('main').innerText();
    expect(shown).toContain('@uk_jobs_visa');
    expect(shown).not.toContain(CALLER);
    await partner.getByRole('button', { name: 'Accept' }).click();
    await partner.getByText('Accepted. Report done when finished.').waitFor();
    await partner.getByLabel('What was done (goes back to the officer)').fill('Account @uk_jobs_visa blocked; investigation opened.');
    expect(await seriousViolations(partner)).toEqual([]);
    await partner.screenshot({ path: `${SCREENSHOTS}console-partner.png`, fullPage: true });
    await partner.getByRole('button', { name: 'Report done' }).click();
    await partner.getByText('Done; the officer has been told.').waitFor();
    expect((await outboxTo(OFFICER_PHONE)).some((text) => text.includes(reference) && /done|выполнила|иҷро шуд/.test(text))).toBe(true);

    await officer.reload();
    await officer.getByText('Account @uk_jobs_visa blocked; investigation opened.').first().waitFor();
    // The officer closes the case with an outcome.
    await officer.getByLabel('Outcome').selectOption('referred_resolved');
    await officer.getByRole('button', { name: 'Close the case' }).click();
    await officer.getByText('Case closed.').waitFor();
    expect((await hotline.deps.reports.getByReference(reference))?.status).toBe('closed');
  });

  it("a partner cannot open another organisation's view of cases, nor the officers' queue", async () => {
    const partner = await signIn('partner@sample.test');
    const response = await partner.goto(`${hotline.url}/console/cases/${reference}`);
    expect(response?.status()).toBe(403);
  });

  it('the dashboard counts the report, its loss, its referral and the checks made', async () => {
    // Two checks by SMS: a revoked operator (a warning) and a licensed one.
    for (const [id, text] of [['e2e-check-1', 'CHECK ag recruitment'], ['e2e-check-2', 'CHECK Concordia']]) {
      const response = await fetch(`${hotline.url}/sms/africastalking?token=${AT_TOKEN}`, {
        method: 'POST',
        body: new URLSearchParams({ id: id!, from: '+992900000078', to: '21525', text: text!, date: '2026-11-30 09:20:11', networkCode: '99999' }),
      });
      expect(response.status).toBe(200);
    }
    const analyst = await signIn('analyst@sample.test');
    expect(new URL(analyst.url()).pathname).toBe('/console/dashboard');
    const text = await analyst.locator('main').innerText();
    expect(text).toContain('1 reports');
    expect(text).toMatch(/Police cybercrime unit \(SAMPLE\)\s+1\s+1/);
    expect(text).toContain('@uk_jobs_visa');
    expect(text).toContain('2 checks in these 13 months; 50% found no record or a warning.');
    expect(await seriousViolations(analyst)).toEqual([]);
    await analyst.screenshot({ path: `${SCREENSHOTS}console-dashboard.png`, fullPage: true });
    const csv = await analyst.request.get(`${hotline.url}/console/dashboard/reports-by-channel.csv`);
    expect(await csv.text()).toMatch(/^week,ussd,sms,voice\r\n/);
  });

  it('an administrator uploads a registry file: the dry run shows the difference and every bad line, then it is applied', async () => {
    const admin = await signIn('admin@sample.test');
    expect(new URL(admin.url()).pathname).toBe('/console/admin');
    expect(await seriousViolations(admin)).toEqual([]);
    const registry = admin.locator('#upload-registry');
    const header = 'kind,name,aliases,licence_number,country,status,valid_until,phones,websites,source,checked_on';
    const suspended = 'agency,Ширкати Ҷаҳонгир Сафар (SAMPLE),,SAMPLE-TJ-0001,TJ,suspended,2027-06-30,+992 90 000 1001;+992900001002,jahongir-safar.example,SAMPLE DATA – fictional,2026-11-30';
    const added = 'agency,Роҳи Нав (SAMPLE),,SAMPLE-TJ-0099,TJ,valid,2027-12-31,+992900001099,rohi-nav.example,SAMPLE DATA – fictional,2026-11-30';
    const upload = async (lines: string[]) => {
      await registry.getByLabel('CSV file').setInputFiles({ name: 'registry.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
      await registry.getByRole('button', { name: 'Check (dry run)' }).click();
    };
    const before = (await hotline.deps.registryEntries.loadAll()).length;

    // A bad line: every problem by its line number, nothing written.
    await upload([header, suspended, 'agency,Бе Кишвар (SAMPLE),,SAMPLE-TJ-0100,Tajikistan,valid,,,,SAMPLE,2026-11-30']);
    await admin.locator('#upload-registry').getByText('The file has errors; nothing was written.').waitFor();
    expect(await admin.locator('#upload-registry [role=alert]').innerText()).toMatch(/line 3: .*country/);

    await upload([header, suspended, added]);
    const diff = admin.locator('#upload-registry .diff');
    await diff.getByRole('heading', { name: 'Dry run: what applying would change' }).waitFor();
    const shown = await diff.innerText();
    expect(shown).toMatch(/Added \(1\)\s+Роҳи Нав \(SAMPLE\)/);
    expect(shown).toMatch(/Changed \(1\)\s+Ширкати Ҷаҳонгир Сафар \(SAMPLE\)/);
    expect(shown).toContain(`Not in the file (kept) (${before - 1})`);
    expect((await hotline.deps.registryEntries.loadAll()).length).toBe(before);
    expect(await seriousViolations(admin)).toEqual([]);
    await admin.screenshot({ path: `${SCREENSHOTS}console-admin.png`, fullPage: true });

    await diff.getByRole('button', { name: 'Apply these changes' }).click();
    await admin.locator('#upload-registry').getByRole('heading', { name: 'Applied' }).waitFor();
    const after = await hotline.deps.registryEntries.loadAll();
    expect(after).toHaveLength(before + 1);
    expect(after.find((entry) => entry.licenceNumber === 'SAMPLE-TJ-0001')?.status).toBe('suspended');
    const events = await hotline.console.sessions.listEvents();
    expect(events.filter((e) => e.detail?.kind === 'registry').map((e) => e.action)).toEqual(['directory_checked', 'directory_checked', 'directory_uploaded']);
  });

  it('an administrator uploads a partner directory: the dry run shows the difference, then it is applied', async () => {
    const admin = await signIn('admin@sample.test');
    const partners = admin.locator('#upload-partners');
    const csv = [
      'organisation_id,organisation,kind,services,focal_point_name,focal_point_email,focal_point_phone',
      'police-cyber,Police cybercrime unit (SAMPLE),police,investigation;account_blocking,Lt. Sobir Karimov (SAMPLE),partner@sample.test,+992900008003',
      'embassy-moscow,Embassy in Moscow (SAMPLE),embassy,consular_help,Consul (SAMPLE),consul@sample.test,',
    ].join('\n');
    await partners.getByLabel('CSV file').setInputFiles({ name: 'partners.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await partners.getByRole('button', { name: 'Check (dry run)' }).click();
    const dryRun = await admin.locator('#upload-partners .diff').innerText();
    expect(dryRun).toContain('organisation embassy-moscow');
    expect(dryRun).toContain('focal point partner@sample.test');
    expect(dryRun).toContain('organisation iom-dushanbe');
    expect(await hotline.console.partners.organisation('embassy-moscow')).toBeUndefined();
    await admin.locator('#upload-partners').getByRole('button', { name: 'Apply these changes' }).click();
    await admin.locator('#upload-partners').getByRole('heading', { name: 'Applied' }).waitFor();
    expect(await hotline.console.partners.organisation('embassy-moscow')).toMatchObject({ kind: 'embassy' });
    expect((await hotline.console.partners.focalPoint('partner@sample.test'))?.phone).toBe('+992900008003');
    // Everything the pages loaded came from the hotline or its sign-in provider: no CDN.
    expect(requested.every((url) => url.startsWith(hotline.url) || url.startsWith(hotline.oidcIssuer))).toBe(true);
  });
});
