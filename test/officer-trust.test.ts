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
