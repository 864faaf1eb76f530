/**
 * The console over HTTP, against the real local hotline and its embedded OpenID provider (no browser): sign-in
 * through the provider's form, sessions, CSRF, idle timeout, sign-out, and authorisation by role and by case.
 * test/e2e/console.test.ts walks the whole path in chromium.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHotline, type LocalHotline } from '../infra/local';
import { SAMPLE_PASSWORD } from '../infra/local-oidc';
import { SesMailSender } from '../shared/console/mail';
import { QUIZ_QUESTIONS } from '../shared/domain/quiz';
import type { ScoredAttempt } from '../shared/store/quiz';
import { createReferral } from '../shared/console/referrals';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SPOKEN_PROMPT_KEYS } from '../shared/domain/voice';
import { readWav } from '../shared/audio/wav';
import { StudioRepository } from '../shared/store/studio';
import { sampleRecording } from './support/audio';
import { DASHBOARD_WEEKS } from '../shared/console/dashboard';
import { weekOf } from '../shared/domain/console/analytics';
import { dushanbeToday } from '../shared/domain/verify';
import { atSms, ussd } from './support/webhooks';

let hotline: LocalHotline;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'safejob-console-'));
  hotline = await startLocalHotline({
    PORT: '0',
    AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:0',
    TABLE_NAME: 'safejob-console-test',
    REPORT_JOURNAL_PATH: join(dir, 'journal.jsonl'),
    STUDIO_AUDIO_DIR: join(dir, 'studio'),
  });
});

afterAll(async () => {
  await hotline?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** A browser's worth of cookies, per origin, following redirects by hand (so each hop is seen). */
class Browser {
  private readonly jars = new Map<string, Map<string, string>>();

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    let target = new URL(url);
    let request = init;
    for (let hop = 0; hop < 10; hop++) {
      const jar = this.jars.get(target.origin) ?? new Map<string, string>();
      this.jars.set(target.origin, jar);
      const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      const response = await fetch(target, { ...request, redirect: 'manual', headers: { ...(request.headers as object), ...(cookie ? { cookie } : {}) } });
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const [name, ...value] = pair!.split('=');
        if (/max-age=0/i.test(line) || value.join('=') === '') jar.delete(name!);
        else jar.set(name!, value.join('='));
      }
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return response;
      target = new URL(location, target);
      request = {};
    }
    throw new Error('too many redirects');
  }

  /** Signs in through the embedded provider's form; resolves with the console page it lands on. */
  async signIn(email: string, password = SAMPLE_PASSWORD): Promise<Response> {
    const login = await this.fetch(`${hotline.url}/console/login`);
    const action = /action="([^"]+)"/.exec(await login.text())![1]!;
    return this.fetch(new URL(action, hotline.oidcIssuer).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email, password }).toString(),
    });
  }

  async csrfOf(path: string): Promise<string> {
    const page = await (await this.fetch(`${hotline.url}${path}`)).text();
    return /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
  }

  post(path: string, form: Record<string, string>): Promise<Response> {
    return this.fetch(`${hotline.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  }

  sessionId(): string | undefined {
    const cookie = this.jars.get(new URL(hotline.url).origin)?.get('safejob-session');
    return cookie ? decodeURIComponent(cookie).split('.')[0] : undefined;
  }
}

describe('console sign-in and sessions', () => {
  it('sends a stranger to sign in, then to the page of their role', async () => {
    const browser = new Browser();
    const first = await browser.fetch(`${hotline.url}/console/cases`, {});
    expect(first.url).toContain('/interaction/');
    const officer = await browser.signIn('officer@sample.test');
    expect(officer.status).toBe(200);
    expect(await officer.text()).toContain('<h1>Case queue</h1>');
    const analyst = new Browser();
    expect(await (await analyst.signIn('analyst@sample.test')).text()).toContain('<h1>Dashboard</h1>');
  });

  it('refuses a wrong password at the provider: no session', async () => {
    const browser = new Browser();
    const page = await browser.signIn('officer@sample.test', 'wrong-password');
    expect(await page.text()).toContain('Wrong e-mail or password.');
    expect(browser.sessionId()).toBeUndefined();
  });

  it('sets the session cookie HttpOnly and SameSite=Lax, and keeps the session in the table with a TTL', async () => {
    const login = await fetch(`${hotline.url}/console/login`, { redirect: 'manual' });
    expect(login.headers.get('set-cookie')).toMatch(/HttpOnly/);
    expect(login.headers.get('set-cookie')).toMatch(/SameSite=Lax/);
    const browser = new Browser();
    await browser.signIn('supervisor@sample.test');
    const session = await hotline.console.sessions.resume(browser.sessionId()!, Date.now(), 60);
    expect(session?.user).toEqual({ sub: 'supervisor@sample.test', email: 'supervisor@sample.test', name: 'Malika Yusupova (SAMPLE)', roles: ['supervisor'] });
    expect(session!.expiresAt).toBeGreaterThan(Date.now() / 1000);
  });

  it('refuses a form without its CSRF token, and changes nothing', async () => {
    const browser = new Browser();
    await browser.signIn('admin@sample.test');
    const response = await browser.post('/console/logout', { _csrf: 'x'.repeat(43) });
    expect(response.status).toBe(403);
    expect(await hotline.console.sessions.resume(browser.sessionId()!, Date.now(), 60)).toBeDefined();
  });

  it('ends a session on sign-out and after the idle timeout', async () => {
    const browser = new Browser();
    await browser.signIn('analyst@sample.test');
    const id = browser.sessionId()!;
    const csrf = await browser.csrfOf('/console/dashboard');
    expect(await (await browser.post('/console/logout', { _csrf: csrf })).text()).toContain('You are signed out');
    expect(await hotline.console.sessions.resume(id, Date.now(), 60)).toBeUndefined();

    const idle = new Browser();
    await idle.signIn('analyst@sample.test');
    const idleTimeout = hotline.console.config.console.idleTimeoutSeconds;
    expect(await hotline.console.sessions.resume(idle.sessionId()!, Date.now() + (idleTimeout + 1) * 1000, idleTimeout)).toBeUndefined();
    // Removed, not only refused: the next request signs in again.
    expect((await idle.fetch(`${hotline.url}/console/dashboard`)).url).toContain('/interaction/');
  });
});

describe('console languages', () => {
  it("speaks the browser's language when the console has it, and keeps the one chosen with the switch", async () => {
    const browser = new Browser();
    await browser.signIn('analyst@sample.test');
    const tajik = await (await browser.fetch(`${hotline.url}/console/dashboard`, { headers: { 'accept-language': 'tg-TJ,ru;q=0.8' } })).text();
    expect(tajik).toContain('<html lang="tg">');
    expect(tajik).toContain('<h1>Омор</h1>');
    expect(tajik).toMatch(/<nav class="languages" aria-label="Забон"><a href="\/console\/language\?lang=en&amp;back=%2Fconsole%2Fdashboard" lang="en" hreflang="en">English<\/a><a [^>]*lang="ru"[^>]*>Русский<\/a><\/nav>/);
    const switched = await browser.fetch(`${hotline.url}/console/language?lang=ru&back=%2Fconsole%2Fdashboard`, { headers: { 'accept-language': 'tg' } });
    expect(await switched.text()).toContain('<html lang="ru">');
    // Only a path in the console is followed back.
    const away = await fetch(`${hotline.url}/console/language?lang=tg&back=https%3A%2F%2Fexample.org%2F`, { redirect: 'manual' });
    expect(away.headers.get('location')).toBe('/console');
  });
});

describe('console authorisation', () => {
  it("keeps each role to its own pages: a partner or an analyst never sees the officers' cases", async () => {
    const partner = new Browser();
    await partner.signIn('partner@sample.test');
    expect((await partner.fetch(`${hotline.url}/console/cases`)).status).toBe(403);
    expect((await partner.fetch(`${hotline.url}/console/dashboard`)).status).toBe(403);
    const analyst = new Browser();
    await analyst.signIn('analyst@sample.test');
    expect((await analyst.fetch(`${hotline.url}/console/cases`)).status).toBe(403);
  });

  it("shows a partner only their organisation's referrals: another's is answered as unknown", async () => {
    const report = await hotline.deps.reports.create(
      {
        channel: 'sms', lang: 'ru', category: 'job_offer', paid: 'no', identifiers: [{ kind: 'handle', value: 'fake_visa_agent' }],
        callbackConsent: false, urgency: { urgent: false, reasons: [] }, createdAt: new Date().toISOString(), reporterKey: 'test-reporter',
        freeText: 'они обещали работу',
      },
      'console-test-1',
    );
    const reference = report.report.reference;
    const supervisor = { sub: 's', email: 'supervisor@sample.test', name: 'Malika Yusupova (SAMPLE)', roles: ['supervisor' as const] };
    // No consent and no reason: refused; a supervisor's reason: made, and recorded as an override.
    const refused = await createReferral(hotline.console, supervisor, reference, { organisationId: 'migration-service', service: 'licence_check', urgency: 'normal' });
    expect(refused).toEqual({ ok: false, problem: 'no_consent' });
    const made = await createReferral(hotline.console, supervisor, reference, {
      organisationId: 'migration-service', service: 'licence_check', urgency: 'normal', overrideReason: 'Agency is recruiting hundreds; licence check needed now',
    });
    expect(made.ok && made.referral.consent).toMatchObject({ basis: 'override', by: { name: 'Malika Yusupova (SAMPLE)' } });
    const id = made.ok ? made.referral.id : '';
    const partner = new Browser();
    await partner.signIn('partner@sample.test');
    expect((await partner.fetch(`${hotline.url}/console/referrals/${reference}/${id}`)).status).toBe(404);
    const csrf = await partner.csrfOf('/console/referrals');
    expect((await partner.post(`/console/referrals/${reference}/${id}/accept`, { _csrf: csrf })).status).toBe(403);
    expect((await hotline.console.referrals.get(reference, id))?.status).toBe('in_progress');
    // The case is marked referred by the same REFER as by SMS, to the organisation's kind.
    expect(await hotline.deps.reports.getByReference(reference)).toMatchObject({ status: 'referred', referredTo: 'ministry' });
    expect(hotline.deps.localMail.list().at(-1)).toMatchObject({ to: 'migration@sample.test' });
    expect(hotline.deps.localMail.list().at(-1)!.text).not.toContain('они обещали');
  });
});

describe('assigning a case and calling the reporter back from the console', () => {
  const DILNOZA = '+992900009002';
  const REPORTER = '+992900000731';

  async function urgentCase(idempotencyKey: string, consent: boolean) {
    const sealed = consent ? await hotline.deps.intake.vault.encrypt(REPORTER) : undefined;
    const { report } = await hotline.deps.reports.create(
      {
        channel: 'ussd', lang: 'tg', category: 'job_offer', paid: 'about_to_pay', identifiers: [{ kind: 'phone', value: '+992900000732' }],
        callbackConsent: consent, urgency: { urgent: true, reasons: ['about_to_pay'] }, createdAt: new Date().toISOString(), reporterKey: `reporter-${idempotencyKey}`,
      },
      idempotencyKey,
      sealed,
    );
    return report.reference;
  }

  it('hands the case to another officer, who is told by SMS with its code; only a supervisor takes it from its holder', async () => {
    const reference = await urgentCase('console-assign-1', false);
    const dilnozaKey = hotline.deps.callerKey(DILNOZA);
    const officer = new Browser();
    await officer.signIn('officer@sample.test');
    const page = await (await officer.fetch(`${hotline.url}/console/cases/${reference}`)).text();
    expect(page).toContain(`<option value="${dilnozaKey}">Dilnoza Saidova (SAMPLE) (level 1)</option>`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const assigned = await officer.post(`/console/cases/${reference}/assign`, { _csrf: csrf, officer: dilnozaKey });
    expect(assigned.url).toContain('done=assigned');
    expect((await hotline.deps.escalation.escalations.get(reference))?.acknowledgedBy).toMatchObject({ key: dilnozaKey, name: 'Dilnoza Saidova (SAMPLE)' });
    expect((await hotline.deps.reports.getByReference(reference))?.status).toBe('acknowledged');
    await hotline.deps.localQueue.drain();
    const code = hotline.deps.escalation.commandCode(dilnozaKey, `case:${reference}`);
    const toDilnoza = (await hotline.deps.localOutbox.list(hotline.deps.messages)).filter((m) => m.to === DILNOZA).map((m) => m.text);
    expect(toDilnoza.join('\n')).toContain(`SafeJob ${reference}: Aziz Rahimov (SAMPLE) передал(а) дело вам.`);
    expect(toDilnoza.join('\n')).toContain(`DONE ${reference} ${code}`);

    // Dilnoza holds it now: the officer cannot take it back; the supervisor can.
    const aziz = (await hotline.deps.escalation.officers.findByEmail('officer@sample.test'))!;
    const back = await officer.post(`/console/cases/${reference}/assign`, { _csrf: csrf, officer: aziz.key });
    expect(back.url).toContain('problem=held_by_other');
    expect((await hotline.deps.escalation.escalations.get(reference))?.acknowledgedBy?.key).toBe(dilnozaKey);
    const supervisor = new Browser();
    await supervisor.signIn('supervisor@sample.test');
    const supervisorCsrf = await supervisor.csrfOf(`/console/cases/${reference}`);
    expect((await supervisor.post(`/console/cases/${reference}/assign`, { _csrf: supervisorCsrf, officer: aziz.key })).url).toContain('done=assigned');
    expect((await hotline.deps.escalation.escalations.get(reference))?.acknowledgedBy?.key).toBe(aziz.key);
    const trail = await hotline.deps.escalation.escalations.listAudit(reference);
    expect(trail.filter((r) => r.action === 'assigned').map((r) => [r.actor?.name, r.detail])).toEqual([
      ['Aziz Rahimov (SAMPLE)', { to: 'Dilnoza Saidova (SAMPLE)' }],
      ['Malika Yusupova (SAMPLE)', { to: 'Aziz Rahimov (SAMPLE)', from: 'Dilnoza Saidova (SAMPLE)' }],
    ]);
    expect((await officer.post(`/console/cases/${reference}/assign`, { _csrf: csrf, officer: 'no-such-officer' })).url).toContain('problem=unknown_officer');
  });

  it('calls the reporter back through the masked bridge only with their consent, and audits it', async () => {
    const reference = await urgentCase('console-call-1', true);
    const officer = new Browser();
    await officer.signIn('officer@sample.test');
    const page = await (await officer.fetch(`${hotline.url}/console/cases/${reference}`)).text();
    expect(page).toContain('Call the reporter back');
    expect(page).not.toContain('900000731');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    expect((await officer.post(`/console/cases/${reference}/call`, { _csrf: csrf })).url).toContain('done=called');
    expect(hotline.deps.localCalls.list()).toContainEqual(expect.objectContaining({ reference, officerPhone: '+992900009001', reporterPhone: REPORTER }));
    const trail = await hotline.deps.escalation.escalations.listAudit(reference);
    expect(trail.map((r) => r.action)).toEqual(expect.arrayContaining(['ack', 'call_requested', 'call_placed']));
    expect(JSON.stringify(trail)).not.toContain('900000731');

    const without = await urgentCase('console-call-2', false);
    const calls = hotline.deps.localCalls.list().length;
    const other = await (await officer.fetch(`${hotline.url}/console/cases/${without}`)).text();
    expect(other).not.toContain('Call the reporter back');
    expect((await officer.post(`/console/cases/${without}/call`, { _csrf: csrf })).url).toContain('problem=no_consent');
    expect(hotline.deps.localCalls.list()).toHaveLength(calls);
  });
});

describe("the analysts' dashboard", () => {
  it('shows which quiz scenarios people still get wrong, as counts only, in the page and its CSV', async () => {
    // Two takings: one right throughout, one that fell for the Telegram "recruiter" asking a fee.
    const right = QUIZ_QUESTIONS.map((q) => String(q.correct)).join('');
    const fellForFee = `${(QUIZ_QUESTIONS[0]!.correct as number) === 1 ? 2 : 1}${right.slice(1)}`;
    const attempt = (id: string, answers: string): ScoredAttempt => ({
      attemptId: id,
      channel: 'sms',
      lang: 'ru',
      answers,
      passed: answers === right,
      missed: answers === right ? [] : ['telegramFee'],
      callerKey: `dashboard-taker-${id}`,
      at: new Date().toISOString(),
    });
    await hotline.deps.quiz.record(attempt('dash-1', right), () => 'DASHQZ01');
    await hotline.deps.quiz.record(attempt('dash-2', fellForFee), () => 'DASHQZ02');
    const analyst = new Browser();
    await analyst.signIn('analyst@sample.test');
    const page = await (await analyst.fetch(`${hotline.url}/console/dashboard`)).text();
    expect(page).toContain('2 quizzes finished, 1 passed.');
    const csv = await (await analyst.fetch(`${hotline.url}/console/dashboard/quiz.csv`)).text();
    expect(csv.split(/\r?\n/)).toContain('telegramFee,2,1,50');
    expect(csv).not.toContain('dashboard-taker');
  });
});

describe('verifications on the dashboard', () => {
  it('counts each check answered, by SMS and by USSD, per week by what it found, never what was typed', async () => {
    const web = { app: { request: (path: string, init: RequestInit) => fetch(`${hotline.url}${path}`, init) } };
    expect((await atSms(web, 'console-check-1', '+992900000741', 'CHECK Concordia')).status).toBe(200);
    await atSms(web, 'console-check-2', '+992900000742', 'CHECK Global Visa Service');
    const path = ['2', '1', '1', 'ag recruitment'];
    for (let n = 1; n <= path.length; n++) await ussd(web, 'console-check-ussd', '+992900000743', path.slice(0, n).join('*'));
    const today = dushanbeToday(Date.now());
    expect(await hotline.deps.verifications.days(today, today)).toEqual([{ day: today, total: 3, verdicts: { licensed: 1, warning: 1, unknown: 1, unclear: 0 } }]);

    const analyst = new Browser();
    await analyst.signIn('analyst@sample.test');
    const page = await (await analyst.fetch(`${hotline.url}/console/dashboard`)).text();
    expect(page).toContain('3 checks in these 13 months; 67% found no record or a warning.');
    const csv = await (await analyst.fetch(`${hotline.url}/console/dashboard/verifications.csv`)).text();
    const lines = csv.split(/\r?\n/);
    expect(lines[0]).toBe('week,checks,licensed,warning,unknown,unclear,unknown_or_warning_percent');
    expect(lines).toContain(`${weekOf(today)},3,1,1,1,0,67`);
    expect(lines).toHaveLength(DASHBOARD_WEEKS + 2);
    expect(csv + page).not.toMatch(/Global Visa|ag recruitment|90000074/);
  });
});

describe("the administrators' uploads: registry and rota, checked then applied", () => {
  const REGISTRY_HEADER = 'kind,name,aliases,licence_number,country,status,valid_until,phones,websites,source,checked_on';
  /** One sample agency suspended (changed), one new agency. */
  const REGISTRY_FILE = [
    REGISTRY_HEADER,
    'agency,Ширкати Ҷаҳонгир Сафар (SAMPLE),,SAMPLE-TJ-0001,TJ,suspended,2027-06-30,+992 90 000 1001;+992900001002,jahongir-safar.example,SAMPLE DATA – fictional,2026-11-30',
    'agency,Роҳи Нав (SAMPLE),,SAMPLE-TJ-0099,TJ,valid,2027-12-31,+992900001099,rohi-nav.example,SAMPLE DATA – fictional,2026-11-30',
  ].join('\n');

  async function upload(browser: Browser, kind: string, csv: string, fileName = 'upload.csv') {
    const csrf = await browser.csrfOf('/console/admin');
    const form = new FormData();
    form.set('_csrf', csrf);
    form.set('mode', 'check');
    form.set('file', new Blob([csv], { type: 'text/csv' }), fileName);
    return browser.fetch(`${hotline.url}/console/admin/${kind}`, { method: 'POST', body: form });
  }

  it('shows every bad line of a registry file and writes nothing', async () => {
    const admin = new Browser();
    await admin.signIn('admin@sample.test');
    const before = (await hotline.deps.registryEntries.loadAll()).length;
    const bad = `${REGISTRY_FILE}\nagency,Бе Кишвар (SAMPLE),,SAMPLE-TJ-0100,Tajikistan,valid,,,,SAMPLE,2026-11-30\nemployer,,,,TJ,valid,,,,SAMPLE,2026-11-30`;
    const response = await upload(admin, 'registry', bad);
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('The file has errors; nothing was written.');
    expect(page).toMatch(/line 4: [^<]*country/);
    expect(page).toMatch(/line 5: [^<]*name/);
    expect((await hotline.deps.registryEntries.loadAll()).length).toBe(before);
    expect((await hotline.console.sessions.listEvents()).at(-1)).toMatchObject({ action: 'directory_checked', detail: { kind: 'registry', valid: false, errors: 2 } });
  });

  it('dry-runs a registry file (added, changed, kept), then applies exactly that', async () => {
    const admin = new Browser();
    await admin.signIn('admin@sample.test');
    const before = await hotline.deps.registryEntries.loadAll();
    const version = await hotline.deps.registryEntries.getVersion();
    const checked = await upload(admin, 'registry', REGISTRY_FILE);
    expect(checked.status).toBe(200);
    const page = await checked.text();
    expect(page).toContain('Dry run: what applying would change');
    expect(page).toMatch(/Added \(1\)<\/h4><ul><li>Роҳи Нав \(SAMPLE\) \([^)]+\)<\/li><\/ul>/);
    expect(page).toMatch(/Changed \(1\)<\/h4><ul><li>Ширкати Ҷаҳонгир Сафар \(SAMPLE\)/);
    expect(page).toContain(`Not in the file (kept) (${before.length - 1})`);
    expect(await hotline.deps.registryEntries.getVersion()).toBe(version);
    expect((await hotline.console.sessions.listEvents()).at(-1)).toMatchObject({ action: 'directory_checked', detail: { kind: 'registry', added: 1, changed: 1 } });

    // The apply form carries the checked file back.
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const carried = /<textarea name="csv" hidden aria-hidden="true">([^<]*)<\/textarea>/.exec(page)![1]!.replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    const applied = await admin.post('/console/admin/registry', { _csrf: csrf, mode: 'apply', csv: carried });
    expect(await applied.text()).toContain('<h3>Applied</h3>');
    const after = await hotline.deps.registryEntries.loadAll();
    expect(after).toHaveLength(before.length + 1);
    expect(after.find((e) => e.licenceNumber === 'SAMPLE-TJ-0001')?.status).toBe('suspended');
    expect(await hotline.deps.registryEntries.getVersion()).toBe(version + 1);
    expect((await hotline.console.sessions.listEvents()).at(-1)).toMatchObject({ action: 'directory_uploaded', actor: { name: expect.any(String) }, detail: { kind: 'registry', added: 1, changed: 1 } });
  });

  it('dry-runs and applies a rota file, naming officers but never their numbers', async () => {
    const admin = new Browser();
    await admin.signIn('admin@sample.test');
    const rota = [
      'name,phone,role,languages,escalation_level,email',
      'Rustam Davlatov (SAMPLE),+992900009006,supervisor,tg;ru;en,2,',
      'Zarina Karimova (SAMPLE),+992900009007,officer,tg;ru,1,',
    ].join('\n');
    const page = await (await upload(admin, 'rota', rota)).text();
    expect(page).toContain('<li>Zarina Karimova (SAMPLE) (level 1, officer)</li>');
    expect(page).toContain('<li>Rustam Davlatov (SAMPLE) (level 2, supervisor)</li>');
    expect(page).toContain('<li>Aziz Rahimov (SAMPLE)</li>');
    // Only the apply form carries the file itself back; the difference shown names people.
    expect(page.replace(/<textarea name="csv"[^]*?<\/textarea>/, '')).not.toContain('900009007');
    expect(await hotline.deps.escalation.officers.get(hotline.deps.callerKey('+992900009007'))).toBeUndefined();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    await admin.post('/console/admin/rota', { _csrf: csrf, mode: 'apply', csv: rota });
    expect(await hotline.deps.escalation.officers.get(hotline.deps.callerKey('+992900009007'))).toMatchObject({ name: 'Zarina Karimova (SAMPLE)', level: 1, onDuty: true });
    expect((await hotline.deps.escalation.officers.get(hotline.deps.callerKey('+992900009006')))?.level).toBe(2);
    // Kept, not deleted: an upload never removes anyone.
    expect(await hotline.deps.escalation.officers.findByEmail('officer@sample.test')).toBeDefined();
  });

  it('refuses an upload without the CSRF token, and another role', async () => {
    const admin = new Browser();
    await admin.signIn('admin@sample.test');
    const form = new FormData();
    form.set('mode', 'check');
    form.set('file', new Blob([REGISTRY_FILE], { type: 'text/csv' }), 'r.csv');
    expect((await admin.fetch(`${hotline.url}/console/admin/registry`, { method: 'POST', body: form })).status).toBe(403);
    const officer = new Browser();
    await officer.signIn('officer@sample.test');
    expect((await upload(officer, 'rota', 'x').catch(() => undefined))?.status ?? 403).toBe(403);
  });
});

describe('SesMailSender', () => {
  it('sends a plain-text e-mail through SES v2 from the configured address', async () => {
    let sent: unknown;
    const scope = nock('https://email.eu-west-2.amazonaws.com')
      .post('/v2/email/outbound-emails', (body) => {
        sent = body;
        return true;
      })
      .reply(200, { MessageId: 'test-message-1' });
    const client = new SESv2Client({ region: 'eu-west-2', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' } });
    await new SesMailSender('referrals@sample.test', 'eu-west-2', client).send({ to: 'partner@sample.test', subject: 'Referral', text: 'Please answer' });
    expect(scope.isDone()).toBe(true);
    expect(sent).toEqual({
      FromEmailAddress: 'referrals@sample.test',
      Destination: { ToAddresses: ['partner@sample.test'] },
      Content: { Simple: { Subject: { Data: 'Referral', Charset: 'UTF-8' }, Body: { Text: { Data: 'Please answer', Charset: 'UTF-8' } } } },
    });
  });
});

describe('the prompt studio in the console', () => {
  const GOODBYE = SPOKEN_PROMPT_KEYS.indexOf('voice.goodbye') + 1;

  async function upload(browser: Browser, number: number, audio: Uint8Array, csrf: string) {
    const form = new FormData();
    form.append('_csrf', csrf);
    form.append('audio', new File([audio], 'take.wav', { type: 'audio/wav' }));
    return browser.fetch(`${hotline.url}/console/studio/tg/${number}/take`, { method: 'POST', body: form });
  }

  it('lists what to record with a record button, takes an 8 kHz mono WAV upload, and an approver approves it; audited', async () => {
    const officer = new Browser();
    await officer.signIn('officer@sample.test');
    const page = await officer.fetch(`${hotline.url}/console/studio?lang=tg`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const markup = await page.text();
    expect(markup).toContain(`data-upload="/console/studio/tg/${GOODBYE}/take"`);
    expect(markup).toContain('<script src="/console/assets/studio.js" defer></script>');
    const csrf = /data-csrf="([^"]+)"/.exec(markup)![1]!;

    // Not 8 kHz mono: the browser should have resampled it.
    const refused = await upload(officer, GOODBYE, sampleRecording({ sampleRate: 16_000 }), csrf);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ ok: false, problem: 'expected 8000 Hz mono, got 16000 Hz with 1 channel(s)' });
    // No CSRF token: refused before anything is read.
    expect((await upload(officer, GOODBYE, sampleRecording(), 'forged')).status).toBe(403);

    const saved = await upload(officer, GOODBYE, sampleRecording(), csrf);
    expect(saved.status).toBe(200);
    const answer = (await saved.json()) as { ok: boolean; file: string };
    expect(answer).toMatchObject({ ok: true, file: expect.stringMatching(/^studio\/tg\/voice\.goodbye\.\d{8}T\d{9}Z\.wav$/) });
    const audio = await fetch(`${hotline.url}/audio/${answer.file}`);
    expect(readWav(new Uint8Array(await audio.arrayBuffer()))).toMatchObject({ sampleRate: 8000, channels: 1 });
    // An officer records but does not approve.
    expect(await (await officer.fetch(`${hotline.url}/console/studio?lang=tg`)).text()).not.toContain(`/console/studio/tg/${GOODBYE}/approve`);
    expect((await officer.post(`/console/studio/tg/${GOODBYE}/approve`, { _csrf: csrf })).status).toBe(403);

    const supervisor = new Browser();
    await supervisor.signIn('supervisor@sample.test');
    const supervisorCsrf = await supervisor.csrfOf('/console/studio?lang=tg');
    const approved = await supervisor.post(`/console/studio/tg/${GOODBYE}/approve`, { _csrf: supervisorCsrf });
    expect(await approved.text()).toContain('Take approved.');
    const entry = (await hotline.console.studio.catalogue()).find((e) => e.lang === 'tg' && e.key === 'voice.goodbye')!;
    expect(entry).toMatchObject({ status: 'approved', recording: { take: { recordedBy: 'Aziz Rahimov (SAMPLE)', via: 'browser', approvedBy: 'Malika Yusupova (SAMPLE)' } } });
    const audit = await new StudioRepository(hotline.console.db, hotline.console.config.tableName).events();
    expect(audit.map((e) => [e.action, e.by, e.key, e.lang, e.file])).toEqual([
      ['take_saved', 'Aziz Rahimov (SAMPLE)', 'voice.goodbye', 'tg', answer.file],
      ['take_approved', 'Malika Yusupova (SAMPLE)', 'voice.goodbye', 'tg', answer.file],
    ]);
  });

  it('downloads the recording script of what is still to record, numbered', async () => {
    const officer = new Browser();
    await officer.signIn('officer@sample.test');
    const script = await officer.fetch(`${hotline.url}/console/studio/script.csv?lang=tg`);
    expect(script.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await script.arrayBuffer());
    // A byte-order mark, so that spreadsheet programs read the Cyrillic as UTF-8.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).split('\r\n');
    expect(lines[0]).toBe('number,language,prompt,status,text,note');
    expect(lines[1]).toMatch(/^1,tg,voice\.lang\.choose,missing,/);
    expect(lines.some((line) => line.startsWith(`${GOODBYE},`))).toBe(false);
  });

  it('is not for partners or analysts', async () => {
    const partner = new Browser();
    await partner.signIn('partner@sample.test');
    expect((await partner.fetch(`${hotline.url}/console/studio`)).status).toBe(403);
  });
});
