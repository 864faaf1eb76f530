/**
 * Faults: the store failing under the hotline (throttling, timeouts, 500s, injected at the SDK layer on its own
 * client, some before the request leaves and some after the store did the work), and the SMS providers failing
 * under the outbox (intercepted at HTTP). Callers must get polite answers, providers' retries must be answered
 * once, and every report (and every escalation of an urgent one) must arrive exactly once after the faults stop.
 */
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { replayLocalJournal } from '../infra/local';
import { LANGUAGES, t, type Lang } from '../shared/domain/prompts';
import { africasTalkingSender } from '../shared/channels/africastalking-sender';
import { createLogger } from '../shared/log';
import { PROVIDER_TIMEOUT_MS } from '../shared/ports';
import { RegistryRepository } from '../shared/store/registry';
import { sized } from './support/scale';
import { startTestStore, type TestStore } from './support/dynalite';
import { injectStoreFaults, injectTargetedFaults, seeded } from './support/faults';
import { testHotline } from './support/hotline';
import { sampleRegistryEntries } from './support/registry';
import { createActiveTable } from './support/tables';
import { post, ussd, atSms, storedReports } from './support/webhooks';

const LANGS: Lang[] = ['tg', 'ru', 'en'];
const TWILIO_TOKEN = 'test-auth-token';

let store: TestStore;
let tables = 0;
beforeAll(async () => {
  store = await startTestStore('safejob-faults');
});
afterAll(async () => store.close());

/** The whole local hotline on a fresh table (sample registry loaded), its logs kept, its escalations counted. */
async function hotlineOnFreshTable(env: Record<string, string> = {}) {
  const tableName = `faults-${++tables}`;
  await createActiveTable(store.client, tableName);
  await new RegistryRepository(store.client, tableName).putEntries(sampleRegistryEntries());
  const logLines: string[] = [];
  // A provider's retry here stands for one that comes after a half-handled claim has gone stale (30 s by default).
  const hotline = testHotline(
    store,
    { TABLE_NAME: tableName, SMS_CLAIM_STALE_SECONDS: '0', ...env },
    createLogger('faults', (line) => logLines.push(line)),
  );
  const escalated = new Map<string, number>();
  const onUrgent = hotline.deps.intake.onUrgent;
  hotline.deps.intake.onUrgent = async (report) => {
    escalated.set(report.reference, (escalated.get(report.reference) ?? 0) + 1);
    await onUrgent(report);
  };
  return { ...hotline, tableName, logLines, escalated };
}
type Hotline = Awaited<ReturnType<typeof hotlineOnFreshTable>>;

function twilioSms(hotline: Hotline, sid: string, from: string, text: string) {
  const params = { MessageSid: sid, From: from, To: '+447700900123', Body: text, NumMedia: '0' };
  const signature = getExpectedTwilioSignature(TWILIO_TOKEN, 'https://hotline.example.org/sms/twilio', params);
  return post(hotline, '/sms/twilio', params, { 'X-Twilio-Signature': signature });
}

const countBy = <T,>(items: T[], key: (item: T) => string) =>
  items.reduce((counts, item) => counts.set(key(item), (counts.get(key(item)) ?? 0) + 1), new Map<string, number>());

const politeEnd = new Set(LANGUAGES.map((lang) => `END ${t(lang, 'common.unavailable')}`));
const journaledEnd = new Set(LANGUAGES.map((lang) => `END ${t(lang, 'report.kept')}`));

/** What the fault runs below found, for the assertions that the known bugs make fail (see their comments). */
let ussdRun: { urgent: string[]; escalated: string[] } | undefined;
let smsRun: { unanswered: number[]; twice: number[]; lost: number[] } | undefined;

describe('store faults under USSD callers', () => {
  it('every caller gets a polite screen, and every accepted report arrives exactly once after replay', { timeout: 120_000 }, async () => {
    const hotline = await hotlineOnFreshTable();
    const faults = injectStoreFaults(hotline.deps.db, { rate: 0.1, random: seeded(7) });
    const POOL = ['@fault_pool_a', '@fault_pool_b', '@fault_pool_c', '@fault_pool_d'];
    const callers = Array.from({ length: sized(40, 120) }, (_, i) => {
      const lang = LANGS[i % 3]!;
      const choice = String(1 + (i % 3));
      const contact = POOL[i % POOL.length]!;
      // Even callers are about to pay (urgent: escalated); odd ones were only asked.
      const report = i % 2 === 0 ? ['2', '3', '2', '3000', '1', contact, '1', '1', '1'] : ['2', '1', '3', contact, '2', '2', '1'];
      return { i, lang, choice, phone: `+99294${String(i).padStart(7, '0')}`, contact, urgent: i % 2 === 0, report };
    });

    const outcomes = await Promise.all(
      callers.map(async (caller) => {
        const seen: string[] = [];
        const step = async (sessionId: string, text: string) => {
          const reply = await ussd(hotline, sessionId, caller.phone, text);
          // Never an HTTP error for USSD: the gateway would cut the caller off with its own error.
          expect(reply.status, reply.body).toBe(200);
          expect(reply.body).toMatch(/^(CON|END) /);
          seen.push(reply.body);
          return reply.body;
        };
        // A caller cut off by the apology dials again, up to five times.
        for (let dial = 1; dial <= 5; dial++) {
          const sessionId = `faulty-${caller.i}-${dial}`;
          let body = await step(sessionId, '');
          // Asked for a language until one is remembered; then straight to the main menu.
          const inputs = body.startsWith('CON Забон') ? [caller.choice, ...caller.report] : caller.report;
          for (let n = 1; n < inputs.length && body.startsWith('CON '); n++) body = await step(sessionId, inputs.slice(0, n).join('*'));
          if (!body.startsWith('CON ')) {
            // Cut short: only the polite apology, never a half-drawn screen.
            expect(politeEnd.has(body), body).toBe(true);
            continue;
          }
          // The final step, and for every fourth caller the gateway's retry of it.
          const finals = [await step(sessionId, inputs.join('*'))];
          if (caller.i % 4 === 0) finals.push(await step(sessionId, inputs.join('*')));
          const references: string[] = [];
          let accepted = false;
          for (const final of finals) {
            const reference = /\b[23456789ABCDEFGHJKMNPRSTVWXYZ]{6}\b/.exec(final)?.[0];
            if (reference) {
              accepted = true;
              references.push(reference);
              // In Tajik when the caller's language could not be read on this step (see answerWhileStoreDown).
              const submitted = (lang: Lang) => {
                const advice = t(lang, caller.urgent ? 'report.advice.about_to_pay' : 'report.advice.default');
                return `END ${t(lang, 'report.submitted', { ref: reference, advice })}`;
              };
              expect([submitted(caller.lang), submitted('tg')]).toContain(final);
            } else if (journaledEnd.has(final)) {
              // Journaled: told it is received and the reference comes by SMS (in Tajik when the caller's language
              // could not be read either).
              accepted = true;
            } else {
              expect(politeEnd.has(final), final).toBe(true);
            }
          }
          // Told it was taken (or that it is kept and the reference comes by SMS: it is journaled), the caller hangs up.
          if (accepted) return { caller, accepted, references, seen };
        }
        return { caller, accepted: false, references: [] as string[], seen };
      }),
    );

    expect(faults.injected.before).toBeGreaterThan(10);
    expect(faults.injected.after).toBeGreaterThan(10);
    // A replay while the store still fails loses nothing either.
    await replayLocalJournal(hotline.deps);
    faults.rate = 0;
    await replayLocalJournal(hotline.deps);
    expect(await hotline.deps.journalFile.entries()).toEqual([]);
    await hotline.deps.localQueue.drain();

    const accepted = outcomes.filter((o) => o.accepted);
    expect(accepted.length).toBeGreaterThan(callers.length * 0.8);
    const reports = await storedReports(store.client, hotline.tableName);
    const perReporter = countBy(reports, (r) => r.reporterKey);
    for (const { caller, accepted: wasAccepted, references } of outcomes) {
      const key = hotline.deps.callerKey(caller.phone);
      const own = reports.filter((r) => r.reporterKey === key);
      // Exactly once when the caller was told it was taken (or to try later: journaled); never twice in any case.
      if (wasAccepted) expect(own.length, `caller ${caller.i}`).toBe(1);
      for (const reference of references) expect(own[0]?.reference, `caller ${caller.i}`).toBe(reference);
      if (own[0]) expect(own[0].identifiers).toEqual([{ kind: 'handle', value: caller.contact.slice(1) }]);
    }
    expect(Math.max(...perReporter.values())).toBe(1);

    // Each identifier counts exactly the distinct callers whose report names it.
    for (const contact of POOL) {
      const naming = reports.filter((r) => r.identifiers.some((id) => id.kind === 'handle' && id.value === contact.slice(1)));
      expect((await hotline.deps.reports.getIdentifier('handle', contact.slice(1)))?.reporters ?? 0, contact).toBe(naming.length);
    }

    // Only urgent reports (about to pay, or a campaign) were handed to the escalation; whether all were is the
    // next test's question.
    const urgent = reports.filter((r) => r.urgency.urgent).map((r) => r.reference).sort();
    expect(urgent.length).toBeGreaterThan(0);
    for (const reference of hotline.escalated.keys()) expect(urgent).toContain(reference);
    ussdRun = { urgent, escalated: [...hotline.escalated.keys()].sort() };

    // Healthy again.
    expect((await hotline.app.request('/health')).status).toBe(200);
    const after = await ussd(hotline, 'after-faults', '+992940000999', '');
    expect(after.body).toBe('CON Забон / Язык / Language\n1. Тоҷикӣ\n2. Русский\n3. English\n4. Oʻzbekcha\n5. Кыргызча');
  });

  it('every urgent report of that run was handed to the escalation', () => {
    expect(ussdRun).toBeDefined();
    expect(ussdRun!.escalated).toEqual(ussdRun!.urgent);
  });
});

describe('store faults under SMS senders', () => {
  it('503 asks the provider to retry; no message is answered twice and no report stored twice', { timeout: 120_000 }, async () => {
    const hotline = await hotlineOnFreshTable();
    const faults = injectStoreFaults(hotline.deps.db, { rate: 0.2, random: seeded(11) });
    const POOL = ['@sms_pool_a', '@sms_pool_b', '@sms_pool_c'];
    const senders = Array.from({ length: sized(30, 90) }, (_, i) => {
      const kind = (['report', 'check', 'help'] as const)[i % 3]!;
      const text =
        kind === 'report'
          ? `REPORT they want 500 somoni for a visa, write to ${POOL[i % POOL.length]}`
          : kind === 'check'
            ? 'CHECK Concordia'
            : 'HELP';
      return { i, kind, phone: `+99295${String(i).padStart(7, '0')}`, id: `ATXid_fault_${i}`, text, twilio: i % 5 === 4 };
    });
    const deliver = (s: (typeof senders)[number]) =>
      s.twilio ? twilioSms(hotline, `SMfault${s.i}`, s.phone, s.text) : atSms(hotline, s.id, s.phone, s.text);

    // The provider: retries on 503 (a few times while the store fails), and now and then delivers twice anyway.
    const pending = new Set<number>();
    await Promise.all(
      senders.map(async (s) => {
        for (let attempt = 0; attempt < 4; attempt++) {
          const reply = await deliver(s);
          if (reply.status === 200) {
            if (s.i % 7 === 0) expect((await deliver(s)).status).toBeOneOf([200, 503]);
            return;
          }
          expect(reply.status, reply.body).toBe(503);
          expect(reply.retryAfter).toBe('60');
        }
        pending.add(s.i);
      }),
    );
    expect(faults.injected.before + faults.injected.after).toBeGreaterThan(20);

    // The store is back: the provider's next retries get through at once.
    faults.rate = 0;
    for (const i of pending) expect((await deliver(senders[i]!)).status).toBe(200);
    for (const s of senders.filter((s) => s.i % 7 === 0)) expect((await deliver(s)).status).toBe(200);
    await replayLocalJournal(hotline.deps);
    await hotline.deps.localQueue.drain();

    // One answer per message, however many times the provider delivered it; a report that had to be journaled is
    // answered "received, the reference will arrive by SMS", and the replay then texts the reference.
    const sent = await hotline.deps.localOutbox.list(hotline.deps.messages);
    const answers = countBy(sent, (m) => m.to);
    const unanswered = senders.filter((s) => !answers.has(s.phone)).map((s) => s.i);
    const textsTo = (s: (typeof senders)[number]) => sent.filter((m) => m.to === s.phone).map((m) => m.text);
    const keptThenReference = (texts: string[]) =>
      texts.length === 2 && texts[0] === t('en', 'sms.reportKept') && /^SafeJob: report [A-Z0-9]{6} received\./.test(texts[1]!);
    const twice = senders.filter((s) => textsTo(s).length > 1 && !keptThenReference(textsTo(s))).map((s) => s.i);
    expect(twice.map((i) => textsTo(senders[i]!))).toEqual([]);

    // One report per REPORT message, each identifier counting its reporters.
    const reports = await storedReports(store.client, hotline.tableName);
    const perReporter = countBy(reports, (r) => r.reporterKey);
    const reporters = senders.filter((s) => s.kind === 'report');
    const lost = reporters.filter((s) => !perReporter.has(hotline.deps.callerKey(s.phone))).map((s) => s.i);
    expect([...perReporter.values()].filter((n) => n > 1)).toEqual([]);
    for (const handle of POOL) {
      const naming = reports.filter((r) => r.identifiers.some((id) => id.kind === 'handle' && id.value === handle.slice(1))).length;
      expect((await hotline.deps.reports.getIdentifier('handle', handle.slice(1)))?.reporters ?? 0, handle).toBe(naming);
    }
    smsRun = { unanswered, twice, lost };
  });

  it('every message of that run was answered and every report in them stored', () => {
    expect(smsRun).toBeDefined();
    expect({ unanswered: smsRun!.unanswered, lost: smsRun!.lost }).toEqual({ unanswered: [], lost: [] });
  });
});

describe('one failure at a time (minimal reproductions)', () => {
  const answersTo = async (hotline: Hotline, phone: string) => {
    await hotline.deps.localQueue.drain();
    return (await hotline.deps.localOutbox.list(hotline.deps.messages)).filter((m) => m.to === phone).map((m) => m.text);
  };

  it("an SMS whose claim was written but whose answer was lost is answered on the provider's retry", async () => {
    const hotline = await hotlineOnFreshTable();
    injectTargetedFaults(hotline.deps.db).fail({ command: 'PutItem', item: 'INBOUND', when: 'after', kind: 'timeout' });
    expect((await atSms(hotline, 'ATXid_lost_claim', '+992980000001', 'HELP')).status).toBe(503);
    expect((await atSms(hotline, 'ATXid_lost_claim', '+992980000001', 'HELP')).status).toBe(200);
    expect(await answersTo(hotline, '+992980000001')).toHaveLength(1);
  });

  it('an SMS REPORT that failed and whose claim could not be given back is stored and answered on retry', async () => {
    const hotline = await hotlineOnFreshTable();
    const faults = injectTargetedFaults(hotline.deps.db);
    faults.fail({ command: 'GetItem', item: 'CALLER', when: 'before', kind: 'throttled' });
    faults.fail({ command: 'DeleteItem', item: 'INBOUND', when: 'before', kind: 'throttled' });
    const text = 'REPORT they took my passport and want 500 dollars, @lost_report_scam';
    expect((await atSms(hotline, 'ATXid_lost_release', '+992980000002', text)).status).toBe(503);
    expect((await atSms(hotline, 'ATXid_lost_release', '+992980000002', text)).status).toBe(200);
    expect(faults.hits).toBe(2);
    expect(await storedReports(store.client, hotline.tableName)).toHaveLength(1);
    expect(await answersTo(hotline, '+992980000002')).toHaveLength(1);
  });

  const URGENT_REPORT = '3*2*3*2*3000*1*@urgent_scam*1*1*1';

  it('an urgent USSD report whose identifiers could not be linked is escalated once the journal is replayed', async () => {
    const hotline = await hotlineOnFreshTable();
    injectTargetedFaults(hotline.deps.db).fail({ command: 'PutItem', item: 'IDENT', when: 'before', kind: 'internal' });
    await ussd(hotline, 'urgent-1', '+992980000003', '');
    const final = await ussd(hotline, 'urgent-1', '+992980000003', URGENT_REPORT);
    await replayLocalJournal(hotline.deps);
    const [report] = await storedReports(store.client, hotline.tableName);
    // The report itself was stored: the caller is given its reference at once; the replay links its identifiers.
    expect(final.body).toMatch(new RegExp(`^END Report ${report!.reference} received\\. `));
    expect(report?.urgency.urgent).toBe(true);
    expect(Object.fromEntries(hotline.escalated)).toEqual({ [report!.reference]: 1 });
  });

  it("an urgent USSD report stored but whose answer was lost is escalated on the gateway's retry", async () => {
    const hotline = await hotlineOnFreshTable();
    injectTargetedFaults(hotline.deps.db).fail({ command: 'PutItem', item: 'REPORT', when: 'after', kind: 'timeout' });
    await ussd(hotline, 'urgent-2', '+992980000004', '');
    expect((await ussd(hotline, 'urgent-2', '+992980000004', URGENT_REPORT)).body).toBe(`END ${t('en', 'report.kept')}`);
    // The gateway repeats the final step: the same report, found stored.
    const retry = await ussd(hotline, 'urgent-2', '+992980000004', URGENT_REPORT);
    const [report] = await storedReports(store.client, hotline.tableName);
    expect(retry.body).toContain(report!.reference);
    await replayLocalJournal(hotline.deps);
    expect(await storedReports(store.client, hotline.tableName)).toHaveLength(1);
    // Handed over on the retry and again by the replay: starting an escalation twice pages nobody twice
    // (test/escalation-e2e.test.ts).
    expect(hotline.escalated.get(report!.reference)).toBeGreaterThanOrEqual(1);
  });
});

describe('the store down altogether', () => {
  it('USSD callers get the polite last screen, SMS providers get 503, and nothing is half done', async () => {
    const hotline = await hotlineOnFreshTable();
    const faults = injectStoreFaults(hotline.deps.db, { rate: 1, random: seeded(1), lostResponses: false });
    expect(await ussd(hotline, 'down-1', '+992960000001', '')).toMatchObject({ status: 200, body: `END ${t('tg', 'common.unavailable')}` });
    expect(await ussd(hotline, 'down-1', '+992960000001', '3*1*1*Concordia')).toMatchObject({ status: 200, body: `END ${t('tg', 'common.unavailable')}` });
    expect(await atSms(hotline, 'ATXid_down_1', '+992960000002', 'REPORT they took my passport')).toMatchObject({ status: 503, retryAfter: '60' });
    expect(await twilioSms(hotline, 'SMdown1', '+992960000003', 'CHECK Concordia')).toMatchObject({ status: 503 });
    expect(
      await post(hotline, '/sms/africastalking/delivery', { id: 'ATXid_unknown', status: 'Success', phoneNumber: '+992960000002' }),
    ).toMatchObject({ status: 503 });
    expect((await hotline.app.request('/health')).status).toBe(200);

    faults.rate = 0;
    expect(await atSms(hotline, 'ATXid_down_1', '+992960000002', 'REPORT they took my passport')).toMatchObject({ status: 200 });
    expect(await atSms(hotline, 'ATXid_down_1', '+992960000002', 'REPORT they took my passport')).toMatchObject({ status: 200 });
    await hotline.deps.localQueue.drain();
    const sent = await hotline.deps.localOutbox.list(hotline.deps.messages);
    expect(sent.map((m) => m.to)).toEqual(['+992960000002']);
    expect(sent[0]!.text).toMatch(/^SafeJob: /);
    expect(await storedReports(store.client, hotline.tableName)).toHaveLength(1);
  });
});

describe('SMS provider faults (providers intercepted at HTTP)', () => {
  const AT_API = 'https://api.africastalking.com';
  const TWILIO_API = 'https://api.twilio.com';
  const ACCOUNT = 'AC00000000000000000000000000000000';
  const MESSAGES = `/2010-04-01/Accounts/${ACCOUNT}/Messages.json`;
  const providers = {
    AT_USERNAME: 'safejob',
    AT_API_KEY: 'at-test-key',
    TWILIO_ACCOUNT_SID: ACCOUNT,
    TWILIO_FROM: '+447700900123',
    SMS_MAX_ATTEMPTS: '3',
    SMS_RETRY_BASE_MS: '1',
  };
  const atAccepted = (messageId: string) => ({
    SMSMessageData: { Message: 'Sent to 1/1', Recipients: [{ statusCode: 101, number: '+992970000001', status: 'Success', cost: 'TJS 0.1000', messageId }] },
  });

  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  async function devOutbox(hotline: Hotline) {
    await hotline.deps.localQueue.drain();
    const response = await hotline.app.request('/dev/outbox');
    expect(response.status).toBe(200);
    return (await response.json()) as { to: string; text: string; provider: string; status: string }[];
  }

  it('one provider down: the reply fails over to the other', async () => {
    const hotline = await hotlineOnFreshTable(providers);
    nock(AT_API).post('/version1/messaging').replyWithError('connect ECONNREFUSED');
    nock(TWILIO_API).post(MESSAGES).reply(201, { sid: 'SMfailover1', status: 'queued' });
    expect((await atSms(hotline, 'ATXid_prov_1', '+992970000001', 'HELP')).status).toBe(200);
    expect(await devOutbox(hotline)).toEqual([
      expect.objectContaining({ to: '+992970000001', provider: 'twilio', status: 'sent', text: expect.stringMatching(/^SafeJob/) }),
    ]);
    expect(nock.isDone()).toBe(true);
  });

  it('the other one down: the routed provider takes it', async () => {
    const hotline = await hotlineOnFreshTable(providers);
    nock(TWILIO_API).post(MESSAGES).reply(503, { code: 20503, message: 'Service Unavailable', status: 503 });
    nock(AT_API).post('/version1/messaging').reply(201, atAccepted('ATXid_uk_1'));
    // A UK number is routed to Twilio first.
    expect((await atSms(hotline, 'ATXid_prov_2', '+447911123456', 'HELP')).status).toBe(200);
    expect(await devOutbox(hotline)).toEqual([expect.objectContaining({ to: '+447911123456', provider: 'africastalking', status: 'sent' })]);
    expect(nock.isDone()).toBe(true);
  });

  it('both down: retried with backoff, then dead-lettered, marked failed and visible', async () => {
    const hotline = await hotlineOnFreshTable(providers);
    nock(AT_API).post('/version1/messaging').times(3).reply(500, 'Internal Server Error');
    nock(TWILIO_API).post(MESSAGES).times(3).reply(500, { code: 20500, message: 'Internal Server Error', status: 500 });
    expect((await atSms(hotline, 'ATXid_prov_3', '+992970000003', 'CHECK Concordia')).status).toBe(200);
    expect(await devOutbox(hotline)).toEqual([expect.objectContaining({ to: '+992970000003', status: 'failed' })]);
    expect(hotline.deps.localQueue.deadLetters.map((m) => m.to)).toEqual(['+992970000003']);
    const [message] = await devOutbox(hotline);
    const id = hotline.deps.localQueue.deadLetters[0]!.id;
    expect(await hotline.deps.messages.get(id)).toMatchObject({ status: 'failed', attempts: 3 });
    expect(message!.text).toMatch(/Concordia/);
    expect(nock.isDone()).toBe(true);
    // The webhook itself answered at once and is still healthy.
    expect((await hotline.app.request('/health')).status).toBe(200);
  });

  it("a provider that hangs is given up after PROVIDER_TIMEOUT_MS (Africa's Talking)", async () => {
    // A reply that never comes (nock's delay() answers a fetch after its abort, which undici asserts against).
    nock(AT_API)
      .post('/version1/messaging')
      .reply(() => new Promise<never>(() => undefined));
    // A fake clock: the sender must give up exactly when PROVIDER_TIMEOUT_MS has passed, not before, not later.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const sending = africasTalkingSender({ username: 'safejob', apiKey: 'at-test-key' }).send('+992970000005', 'Hello');
      let settled = false;
      void sending.then(() => (settled = true));
      await vi.advanceTimersByTimeAsync(PROVIDER_TIMEOUT_MS - 1);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(await sending).toMatchObject({ ok: false, retryable: true });
    } finally {
      vi.useRealTimers();
      nock.abortPendingRequests();
    }
  });

  it('a provider that answers garbage is a failure, not a crash', async () => {
    const hotline = await hotlineOnFreshTable(providers);
    nock(AT_API).post('/version1/messaging').times(3).reply(201, '<html>gateway</html>', { 'content-type': 'text/html' });
    nock(TWILIO_API).post(MESSAGES).times(3).reply(200, 'not json');
    expect((await atSms(hotline, 'ATXid_prov_4', '+992970000004', 'HELP')).status).toBe(200);
    expect(await devOutbox(hotline)).toEqual([expect.objectContaining({ to: '+992970000004', status: expect.stringMatching(/^(failed|sent)$/) })]);
    expect((await hotline.app.request('/health')).status).toBe(200);
  });
});
