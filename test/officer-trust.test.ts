/**
 * Officers cannot be impersonated (issue 15): a sender that is not a phone number is refused before anything is
 * stored; a request missing a required field is refused as RapidPro's courier refuses it.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, fixtureRequest } from './support/fixtures';
import { startTestStore, type TestStore } from './support/dynalite';
import { testHotline } from './support/hotline';
import { auditTrail, handleOfficerSms } from '../shared/escalation/service';
import { caseCode, dutyCode, escalationHarness, OFFICERS, officerImport, storeReport } from './support/escalation';

let store: TestStore;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(async () => store.close());

type Hotline = ReturnType<typeof testHotline>;

const itemCount = async () => (await store.client.send(new ScanCommand({ TableName: store.tableName }))).Items?.length ?? 0;

async function outbox(hotline: Hotline) {
  await hotline.deps.localQueue.drain();
  return hotline.deps.localOutbox.list(hotline.deps.messages);
}

async function send(hotline: Hotline, request: Request) {
  const response = await hotline.app.request(request);
  return { status: response.status, body: await response.text() };
}

function twilioSms(hotline: Hotline, from: string, body: string) {
  const params = { MessageSid: `SM${from.replace(/\W/g, '')}0000000000000000000000000`.slice(0, 34), From: from, To: '+15005550006', Body: body };
  const signature = getExpectedTwilioSignature('test-auth-token', 'https://hotline.example.org/sms/twilio', params);
  return send(
    hotline,
    new Request('http://localhost/sms/twilio', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature },
      body: new URLSearchParams(params).toString(),
    }),
  );
}

describe('a sender that is not a phone number', () => {
  it('is never an officer: 400, nothing stored, no reply, the officer stays on duty', async () => {
    const hotline = testHotline(store);
    const { officers } = hotline.deps.escalation;
    const key = hotline.deps.callerKey('+992900000101');
    await officers.putOfficers([{ key, name: 'Dilnoza', phone: '+992900000101', role: 'officer', languages: ['en'], level: 1 }]);
    const before = await itemCount();
    const f = fixture('africastalking/sms-incoming');
    for (const [i, from] of ['T900000101', 'OFFICER-900000101', 'MTN', '000'].entries()) {
      const response = await send(hotline, fixtureRequest(f, { id: `forged-${i}`, from, text: 'OFF' }));
      expect(response).toEqual({ status: 400, body: 'Bad request: from: not a phone number' });
    }
    expect(await twilioSms(hotline, 'T900000101', 'WHO')).toEqual({ status: 400, body: 'Bad request: From: not a phone number' });
    expect(await itemCount()).toBe(before);
    expect(await outbox(hotline)).toEqual([]);
    expect((await officers.get(key))?.onDuty).toBe(true);
  });

  it("an Africa's Talking SMS without text is refused with 400, nothing stored", async () => {
    const hotline = testHotline(store);
    const f = fixture('africastalking/sms-incoming');
    const { text: _text, ...withoutText } = f.body;
    const before = await itemCount();
    const response = await send(hotline, fixtureRequest({ ...f, body: { ...withoutText, id: 'no-text-1' } }));
    expect(response.status).toBe(400);
    expect(response.body).toMatch(/^Bad request: text: /);
    expect(await itemCount()).toBe(before);
    expect(await outbox(hotline)).toEqual([]);
  });

  it('a national number of the hotline’s country is a phone number, answered in E.164', async () => {
    const hotline = testHotline(store);
    const f = fixture('africastalking/sms-incoming');
    expect((await send(hotline, fixtureRequest(f, { id: 'national-1', from: '8 92 700 1122', text: 'HELP' }))).status).toBe(200);
    expect((await outbox(hotline)).map((m) => m.to)).toEqual(['+992927001122']);
  });
});

describe("a forged sender with an officer's exact number", () => {
  it('changes no case and no duty: the officer is asked, on their own phone, to send the code; with it, it works', async () => {
    const h = await escalationHarness(store, { ESCALATION_ACK_TIMEOUT_SECONDS: '600' });
    try {
      const { emma, farrukh } = OFFICERS;
      await h.officers.putOfficers([emma, farrukh].map(officerImport));
      const report = await storeReport(h, 'forged-1');
      const ref = report.reference;
      await h.deps.reports.updateStatus(ref, 'escalated', {});
      const sentBefore = (await h.sent()).length;

      // The forger knows Emma's number and the reference, not the code her phone received.
      expect(await handleOfficerSms(h.deps, emma.phone, `DONE ${ref} nothing to see`)).toBe(true);
      expect(await handleOfficerSms(h.deps, emma.phone, `ACK ${ref} 123456`)).toBe(true);
      expect(await handleOfficerSms(h.deps, emma.phone, 'OFF')).toBe(true);
      expect((await h.reports.getByReference(ref))?.status).toBe('escalated');
      expect(await h.deps.escalations.get(ref)).toBeUndefined();
      expect((await h.officers.get(officerImport(emma).key))?.onDuty).toBe(true);
      // Every answer went to Emma's own phone (a forger does not receive it) and says what to send back.
      const answers = (await h.sent()).slice(sentBefore);
      expect(answers.map((m) => m.to)).toEqual([emma.phone, emma.phone, emma.phone]);
      expect(answers.map((m) => m.text)).toEqual([
        `To confirm, reply: DONE ${ref} ${caseCode(emma.phone, ref)} nothing to see. If you did not send this, tell your supervisor.`,
        `Wrong code. To confirm, reply: ACK ${ref} ${caseCode(emma.phone, ref)}. If you did not send this, tell your supervisor.`,
        `To confirm, reply: OFF ${dutyCode(emma.phone)}. If you did not send this, tell your supervisor.`,
      ]);
      // A level-2 officer may not act on a level-1 case, even with their own code for it.
      expect(await handleOfficerSms(h.deps, farrukh.phone, `ACK ${ref} ${caseCode(farrukh.phone, ref)}`)).toBe(true);
      expect(await h.deps.escalations.get(ref)).toBeUndefined();
      // With the code, Emma takes it; every refusal is in the audit trail.
      expect(await handleOfficerSms(h.deps, emma.phone, `ACK ${ref} ${caseCode(emma.phone, ref)}`)).toBe(true);
      expect((await h.deps.escalations.get(ref))?.acknowledgedBy?.name).toBe('Emma');
      expect((await auditTrail(h.deps, ref)).map((r) => [r.action, r.actor?.name])).toEqual([
        ['code_requested', 'Emma'],
        ['code_rejected', 'Emma'],
        ['denied', 'Farrukh'],
        ['ack', 'Emma'],
        ['reporter_notified', undefined],
      ]);
      expect((await h.officers.listDutyAudit()).map((r) => r.action)).toEqual(['code_requested']);
    } finally {
      await h.stop();
    }
  });
});

describe('a webhook body over 64 KB', () => {
  it('is refused with 413 before any guard or parser reads it, nothing stored', async () => {
    const hotline = testHotline(store);
    const before = await itemCount();
    const huge = new URLSearchParams({ from: '+992927001122', to: '21525', id: 'huge-1', text: 'x'.repeat(70 * 1024) }).toString();
    for (const path of ['/sms/africastalking', '/sms/twilio', '/ussd/africastalking', '/voice/twilio']) {
      const response = await hotline.app.request(
        new Request(`http://localhost${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: huge }),
      );
      expect({ path, status: response.status }).toEqual({ path, status: 413 });
    }
    // A body within the limit is read as usual.
    const fits = new URLSearchParams({ from: '+992927001122', to: '21525', id: 'fits-1', text: 'HELP' }).toString();
    const ok = await hotline.app.request(
      new Request('http://localhost/sms/africastalking', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fits }),
    );
    expect(ok.status).toBe(200);
    expect(await itemCount()).toBeGreaterThan(before);
  });
});
