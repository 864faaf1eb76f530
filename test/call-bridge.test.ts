/**
 * Officers' CALL, bridged: the officer's phone rings and, answered, is connected to the reporter, whose number the
 * officer never sees. Twilio (calls.create with inline TwiML) and Africa's Talking (VOICE.call, then the outbound
 * callback answered with a Dial to the decrypted number) intercepted at HTTP by nock; failover; the local bridge.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { africasTalkingCallBridge } from '../shared/channels/africastalking-call-bridge';
import { bridgeTwiml, twilioCallBridge } from '../shared/channels/twilio-call-bridge';
import { LANGUAGES, t } from '../shared/domain/prompts';
import { smsParts } from '../shared/domain/screen';
import { routedCallBridge, withoutNumbers } from '../shared/escalation/call-bridge';
import type { CallBridge } from '../shared/ports';
import { auditTrail, handleOfficerSms } from '../shared/escalation/service';
import { EscalationRepository } from '../shared/store/escalations';
import { keys } from '../shared/store/keys';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { OfficerRepository, type OfficerImport } from '../shared/store/officers';
import { startTestStore, type TestStore } from './support/dynalite';
import { caseCode, escalationHarness, OFFICERS, officerImport, storeReport, urgentDraft, type EscalationHarness } from './support/escalation';
import { formBody } from './support/fixtures';
import { testHotline } from './support/hotline';

const TWILIO_API = 'https://api.twilio.com';
const AT_VOICE_API = 'https://voice.africastalking.com';
const AT_API = 'https://api.africastalking.com';
const ACCOUNT = 'AC00000000000000000000000000000000';
const TWILIO_NUMBER = '+447700900123';
const AT_NUMBER = '+992372000000';
const REPORTER = '+992900000777';
const AT_TOKEN = 'at-webhook-token-0123456789';
const { aziz, emma, malika } = OFFICERS;
/** An officer whose number routes to Twilio (+44). */
const UK_OFFICER: Omit<OfficerImport, 'key'> = { name: 'Olivia', phone: '+447911123456', role: 'officer', languages: ['en'], level: 1 };

const routes = [
  { prefix: '+992', provider: 'africastalking' as const },
  { prefix: '+44', provider: 'twilio' as const },
  { prefix: '*', provider: 'africastalking' as const },
];

let store: TestStore;
const harnesses: EscalationHarness[] = [];
beforeAll(async () => {
  store = await startTestStore();
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(async () => {
  nock.cleanAll();
  await Promise.all(harnesses.splice(0).map((h) => h.stop()));
});
afterAll(async () => {
  nock.enableNetConnect();
  await store.close();
});

const form = (body: unknown): Record<string, string> =>
  typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : (body as Record<string, string>);

const twilio = () => twilioCallBridge({ accountSid: ACCOUNT, authToken: 'twilio-test-token', from: TWILIO_NUMBER });

/** The escalation with real provider bridges (intercepted), AT's bridge kept in the harness's table. */
async function hotline(bridge?: (h: { tableName: string; seal(phone: string): Promise<string> }) => CallBridge) {
  let built: CallBridge | undefined;
  const lazy: CallBridge = { provider: 'lazy', bridge: (...args) => built!.bridge(...args) };
  const h = await escalationHarness(store, { ESCALATION_ACK_TIMEOUT_SECONDS: '600' }, bridge ? { callBridge: lazy } : {});
  if (bridge) built = bridge({ tableName: h.tableName, seal: (phone) => h.vault.encrypt(phone) });
  harnesses.push(h);
  await h.officers.putOfficers([aziz, emma, malika, UK_OFFICER].map(officerImport));
  return h;
}

const atBridge = (tableName: string, seal: (phone: string) => Promise<string>) =>
  africasTalkingCallBridge(
    { username: 'safejob', apiKey: 'at-test-key', from: AT_NUMBER },
    {
      seal,
      remember: (call) => new EscalationRepository(store.client, tableName).recordBridgeCall(call, Math.floor(Date.now() / 1000) + 900),
    },
  );

async function officerText(h: EscalationHarness, from: string, body: string): Promise<string[]> {
  const before = (await h.sent()).length;
  expect(await handleOfficerSms(h.deps, from, body)).toBe(true);
  return (await h.sent()).slice(before).filter((m) => m.to === from).map((m) => m.text);
}

/** Nothing an officer could see, and nothing logged or audited, holds the reporter's number. */
async function expectNumberHidden(h: EscalationHarness, reference: string) {
  const toOfficers = (await h.sent()).filter((m) => m.to !== REPORTER).map((m) => m.text).join('\n');
  const trail = JSON.stringify(await auditTrail(h.deps, reference));
  const calls = JSON.stringify(await new EscalationRepository(store.client, h.tableName).listPendingCalls(reference));
  for (const seen of [toOfficers, trail, calls, h.logLines.join('\n')]) expect(seen).not.toContain('900000777');
}

describe('the Twilio bridge', () => {
  it('rings the officer with TwiML that dials the reporter from the hotline number', async () => {
    let sent: Record<string, string> = {};
    nock(TWILIO_API)
      .post(`/2010-04-01/Accounts/${ACCOUNT}/Calls.json`, (body) => {
        sent = form(body);
        return true;
      })
      .reply(201, { sid: 'CAbridge1', status: 'queued' });
    expect(await twilio().bridge(UK_OFFICER.phone, REPORTER, '7K3R9M')).toEqual({ ok: true, callId: 'CAbridge1' });
    expect(sent).toMatchObject({ To: UK_OFFICER.phone, From: TWILIO_NUMBER });
    expect(sent.Twiml).toBe(bridgeTwiml(REPORTER, '7K3R9M', TWILIO_NUMBER));
    expect(sent.Twiml).toMatch(/<Say[^>]*>SafeJob hotline: connecting you to the reporter of case 7 K 3 R 9 M\. Please hold\.<\/Say>/);
    expect(sent.Twiml).toContain(`<Dial callerId="${TWILIO_NUMBER}" timeout="30"><Number>${REPORTER}</Number></Dial>`);
    expect(nock.isDone()).toBe(true);
  });

  it('reports a refusal with its status and code', async () => {
    nock(TWILIO_API)
      .post(`/2010-04-01/Accounts/${ACCOUNT}/Calls.json`)
      .reply(400, { code: 21215, message: `Account not authorized to call ${UK_OFFICER.phone}`, status: 400 });
    const result = await twilio().bridge(UK_OFFICER.phone, REPORTER, '7K3R9M');
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/^400 \(21215\)/) });
  });
});

describe('CALL by SMS, bridged', () => {
  it('Twilio: the officer is told they are being called, the bridge is recorded and audited, the number stays hidden', async () => {
    const h = await hotline(() => routedCallBridge({ twilio: twilio() }, routes));
    const report = await storeReport(h, 'call-twilio', {}, REPORTER);
    let twiml = '';
    nock(TWILIO_API)
      .post(`/2010-04-01/Accounts/${ACCOUNT}/Calls.json`, (body) => {
        twiml = form(body).Twiml!;
        return form(body).To === UK_OFFICER.phone;
      })
      .reply(201, { sid: 'CAcall1', status: 'queued' });
    expect(await officerText(h, UK_OFFICER.phone, `CALL ${report.reference} ${caseCode(UK_OFFICER.phone, report.reference)}`)).toEqual([
      `Calling you now to connect you to the reporter of ${report.reference}: answer your phone. Neither of you sees the other's number.`,
    ]);
    expect(twiml).toContain(`<Number>${REPORTER}</Number>`);
    const [call] = await new EscalationRepository(store.client, h.tableName).listPendingCalls(report.reference);
    expect(call).toMatchObject({ status: 'placed', provider: 'twilio', callId: 'CAcall1', officerKey: officerImport(UK_OFFICER).key });
    const trail = await auditTrail(h.deps, report.reference);
    expect(trail.map((r) => r.action)).toEqual(['ack', 'reporter_notified', 'call_requested', 'call_placed']);
    expect(trail.at(-1)).toMatchObject({ detail: { provider: 'twilio', callId: 'CAcall1', officerKey: officerImport(UK_OFFICER).key } });
    await expectNumberHidden(h, report.reference);
  });

  it("fails over: Africa's Talking (routed for +992) refuses, Twilio places the call", async () => {
    const h = await hotline(({ tableName, seal }) => routedCallBridge({ africastalking: atBridge(tableName, seal), twilio: twilio() }, routes));
    const report = await storeReport(h, 'call-failover', {}, REPORTER);
    nock(AT_VOICE_API).post('/call').reply(500, 'down');
    nock(TWILIO_API).post(`/2010-04-01/Accounts/${ACCOUNT}/Calls.json`).reply(201, { sid: 'CAfailover', status: 'queued' });
    const [reply] = await officerText(h, emma.phone, `CALL ${report.reference} ${caseCode(emma.phone, report.reference)}`);
    expect(reply).toMatch(/^Calling you now/);
    const [call] = await new EscalationRepository(store.client, h.tableName).listPendingCalls(report.reference);
    expect(call).toMatchObject({ status: 'placed', provider: 'twilio', callId: 'CAfailover' });
    expect(nock.isDone()).toBe(true);
  });

  it('every provider failing: the officer is told honestly, the failure recorded without a number', async () => {
    const h = await hotline(({ tableName, seal }) => routedCallBridge({ africastalking: atBridge(tableName, seal), twilio: twilio() }, routes));
    const report = await storeReport(h, 'call-fails', {}, REPORTER);
    nock(AT_VOICE_API).post('/call').reply(201, { entries: [{ phoneNumber: aziz.phone, status: 'InvalidPhoneNumber' }], errorMessage: `Invalid ${aziz.phone}` });
    nock(TWILIO_API)
      .post(`/2010-04-01/Accounts/${ACCOUNT}/Calls.json`)
      .reply(400, { code: 21215, message: `Account not authorized to call ${aziz.phone}`, status: 400 });
    // Aziz writes Tajik.
    expect(await officerText(h, aziz.phone, `CALL ${report.reference} ${caseCode(aziz.phone, report.reference)}`)).toEqual([
      `Занг оид ба ${report.reference} гузошта нашуд: оператори алоқа зангро қабул накард. Баъдтар боз CALL ${report.reference} ${caseCode(aziz.phone, report.reference)} нависед.`,
    ]);
    const [call] = await new EscalationRepository(store.client, h.tableName).listPendingCalls(report.reference);
    expect(call).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^africastalking: InvalidPhoneNumber.*; twilio: 400 \(21215\)/) });
    expect(call!.reason).not.toMatch(/900009101/);
    const trail = await auditTrail(h.deps, report.reference);
    expect(trail.at(-1)).toMatchObject({ action: 'call_failed', detail: { failure: 'provider' } });
    expect(JSON.stringify(trail)).not.toMatch(/900009101/);
    await expectNumberHidden(h, report.reference);
  });

  it('without consent: refused, nobody is called, nothing recorded', async () => {
    const h = await hotline(() => routedCallBridge({ twilio: twilio() }, routes));
    const report = await storeReport(h, 'call-no-consent', { callbackConsent: false }, REPORTER);
    expect(await officerText(h, UK_OFFICER.phone, `CALL ${report.reference} ${caseCode(UK_OFFICER.phone, report.reference)}`)).toEqual([
      `The reporter of ${report.reference} did not agree to a call-back (or the number is no longer kept): no call is possible.`,
    ]);
    expect(await new EscalationRepository(store.client, h.tableName).listPendingCalls(report.reference)).toEqual([]);
    expect((await auditTrail(h.deps, report.reference)).map((r) => r.action)).not.toContain('call_requested');
  });

  it('without a voice bridge: the officer is told no call could be placed', async () => {
    const h = await hotline();
    h.deps.callBridge = undefined;
    const report = await storeReport(h, 'call-unconfigured', {}, REPORTER);
    expect(await officerText(h, malika.phone, `CALL ${report.reference} ${caseCode(malika.phone, report.reference)}`)).toEqual([
      `Could not place the call for ${report.reference}: no voice line is set up. Try CALL ${report.reference} ${caseCode(malika.phone, report.reference)} again later.`,
    ]);
    expect((await auditTrail(h.deps, report.reference)).at(-1)).toMatchObject({ action: 'call_failed', detail: { failure: 'notConfigured' } });
  });

  it('keeps every CALL reply within three SMS parts in every language', () => {
    for (const lang of LANGUAGES) {
      const reference = '7K3R9M';
      expect(smsParts(t(lang, 'officer.call', { reference })), lang).toBeLessThanOrEqual(3);
      for (const failure of ['notConfigured', 'number', 'provider'] as const) {
        const text = t(lang, 'officer.call.failed', { reference, reason: t(lang, `officer.call.reason.${failure}`) });
        expect(smsParts(text), `${lang} ${failure}`).toBeLessThanOrEqual(3);
      }
    }
  });

  it('masks numbers in a provider reason', () => {
    expect(withoutNumbers('Invalid phone number: +992900009101')).toBe('Invalid phone number: ***');
    expect(withoutNumbers('400 (21215): no')).toBe('400 (21215): no');
    expect(withoutNumbers('to 992 900 009 101 failed')).toBe('to *** failed');
  });
});

describe("Africa's Talking: the call, then the outbound callback dialling the reporter", () => {
  it('rings the officer, keeps the number sealed, answers the pick-up with a Dial to the reporter from the hotline number', async () => {
    const { deps, app } = testHotline(store, {
      AT_USERNAME: 'safejob',
      AT_API_KEY: 'at-test-key',
      AT_VOICE_FROM: AT_NUMBER,
      AT_WEBHOOK_TOKEN: AT_TOKEN,
    });
    await new OfficerRepository(deps.db, deps.config.tableName).putOfficers([{ ...aziz, languages: [...aziz.languages], key: deps.callerKey(aziz.phone) }]);
    const sealed = await deps.intake.vault.encrypt(REPORTER);
    const { report } = await deps.reports.create(urgentDraft({ reporterKey: deps.callerKey(REPORTER) }), 'at-bridge-1', sealed);
    let sent: Record<string, string> = {};
    nock(AT_VOICE_API)
      .post('/call', (body) => {
        sent = form(body);
        return true;
      })
      .matchHeader('apikey', 'at-test-key')
      .reply(201, { entries: [{ phoneNumber: aziz.phone, status: 'Queued', sessionId: 'ATVId_bridge1' }], errorMessage: 'None' });

    const sms: Record<string, string>[] = [];
    nock(AT_API)
      .post('/version1/messaging', (body) => {
        sms.push(form(body));
        return true;
      })
      .times(2)
      .reply(201, { SMSMessageData: { Message: 'Sent', Recipients: [{ statusCode: 101, number: aziz.phone, status: 'Success', messageId: 'ATXid_1' }] } });

    expect(await handleOfficerSms(deps.escalation, aziz.phone, `CALL ${report.reference} ${deps.escalation.commandCode(deps.callerKey(aziz.phone), `case:${report.reference}`)}`)).toBe(true);
    await deps.localQueue.drain();
    // The officer (Tajik) is told they are being called; the reporter is told an officer has the case.
    expect(sms.find((m) => m.to === aziz.phone)?.message).toBe(
      `Ҳозир ба шумо занг мезанем ва бо шикояткунандаи ${report.reference} мепайвандем: ба занг ҷавоб диҳед. Рақами ҳамдигарро намебинед.`,
    );
    expect(sms.filter((m) => m.to === aziz.phone).map((m) => m.message).join('\n')).not.toContain('900000777');
    expect(sent).toMatchObject({ username: 'safejob', from: AT_NUMBER, to: aziz.phone });
    expect(sent.clientRequestId).toMatch(new RegExp(`^${report.reference}-[0-9a-f]{8}$`));
    expect(JSON.stringify(sent)).not.toContain('900000777');
    const [call] = await new EscalationRepository(deps.db, deps.config.tableName).listPendingCalls(report.reference);
    expect(call).toMatchObject({ status: 'placed', provider: 'africastalking', callId: 'ATVId_bridge1' });
    // Kept sealed, never raw.
    const { Item } = await deps.db.send(new GetCommand({ TableName: deps.config.tableName, Key: keys.bridgeCall(sent.clientRequestId!) }));
    expect(Item).toMatchObject({ reference: report.reference, sealedNumber: expect.any(String) });
    expect(JSON.stringify(Item)).not.toContain('900000777');

    // The officer picks up: Africa's Talking asks the voice callback what to do.
    const callback = (fields: Record<string, string>) =>
      app.request(`https://hotline.example.org/voice/africastalking?token=${AT_TOKEN}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: formBody({
          sessionId: 'ATVId_bridge1',
          direction: 'Outbound',
          callerNumber: aziz.phone,
          destinationNumber: AT_NUMBER,
          clientRequestId: sent.clientRequestId!,
          ...fields,
        }),
      });
    const answer = await (await callback({ isActive: '1' })).text();
    expect(answer).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response>' +
        `<Say voice="woman">SafeJob hotline: connecting you to the reporter of case ${report.reference.split('').join(' ')}. Please hold.</Say>` +
        `<Dial phoneNumbers="${REPORTER}" callerId="${AT_NUMBER}"/></Response>`,
    );
    // Hang-up: the bridge is forgotten; a replayed pick-up connects nobody.
    expect(await (await callback({ isActive: '0', durationInSeconds: '42' })).text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    const replay = await (await callback({ isActive: '1' })).text();
    expect(replay).not.toContain('Dial');
    expect(replay).toContain('can no longer be connected');
    // An outbound callback that is not ours dials nobody either.
    expect(await (await callback({ isActive: '1', clientRequestId: 'forged-id' })).text()).not.toContain('Dial');
  });
});

describe('the local bridge', () => {
  it('records the bridge instead of calling anyone, visible at GET /dev/calls', async () => {
    const { deps, app } = testHotline(store);
    await new OfficerRepository(deps.db, deps.config.tableName).putOfficers([{ ...emma, languages: [...emma.languages], key: deps.callerKey(emma.phone) }]);
    const sealed = await deps.intake.vault.encrypt(REPORTER);
    const { report } = await deps.reports.create(urgentDraft({ reporterKey: deps.callerKey(REPORTER) }), 'local-bridge-1', sealed);
    expect(await handleOfficerSms(deps.escalation, emma.phone, `CALL ${report.reference} ${deps.escalation.commandCode(deps.callerKey(emma.phone), `case:${report.reference}`)}`)).toBe(true);
    const calls = (await (await app.request('/dev/calls')).json()) as unknown[];
    expect(calls).toContainEqual(
      expect.objectContaining({ reference: report.reference, officerPhone: emma.phone, reporterPhone: REPORTER, callId: expect.stringMatching(/^LOCALCALL/) }),
    );
    await deps.localQueue.drain();
    const toEmma = (await deps.localOutbox.list(deps.messages)).filter((m) => m.to === emma.phone).map((m) => m.text);
    expect(toEmma).toContain(`Calling you now to connect you to the reporter of ${report.reference}: answer your phone. Neither of you sees the other's number.`);
    expect(toEmma.join('\n')).not.toContain('900000777');
  });
});
