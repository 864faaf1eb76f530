import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { twilioSignature } from '../shared/channels/twilio';
import { OfficerRepository } from '../shared/store/officers';
import { fixture, fixtureRequest, type Fixture } from './support/fixtures';
import { startTestStore, type TestStore } from './support/dynalite';
import { recordStoreCalls, type StoreCall } from './support/faults';
import { testHotline } from './support/hotline';

let store: TestStore;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(async () => store.close());

async function outbox(hotline: ReturnType<typeof testHotline>) {
  await hotline.deps.localQueue.drain();
  return hotline.deps.localOutbox.list(hotline.deps.messages);
}

async function send(hotline: ReturnType<typeof testHotline>, request: Request) {
  const response = await hotline.app.request(request);
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
}

const itemCount = async () => (await store.client.send(new ScanCommand({ TableName: store.tableName }))).Items?.length ?? 0;

describe("Africa's Talking inbound SMS", () => {
  it('answers the fixture through the outbox, once, even when the provider retries', async () => {
    const hotline = testHotline(store);
    const f = fixture('africastalking/sms-incoming');
    const first = await send(hotline, fixtureRequest(f));
    const retry = await send(hotline, fixtureRequest(f));
    expect(first).toMatchObject({ status: 200, body: 'OK' });
    expect(retry).toMatchObject({ status: 200, body: 'OK' });
    const messages = await outbox(hotline);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ to: '+992927001122', provider: 'local', status: 'sent' });
    expect(messages[0]!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('accepts the ISO date form', async () => {
    const hotline = testHotline(store);
    expect((await send(hotline, fixtureRequest(fixture('africastalking/sms-incoming-iso-date')))).status).toBe(200);
    expect(await outbox(hotline)).toHaveLength(1);
  });

  it('remembers LANG and answers in it from then on', async () => {
    const hotline = testHotline(store);
    const f = fixture('africastalking/sms-incoming');
    await send(hotline, fixtureRequest(f, { id: 'lang-1', from: '+992900000201', text: 'язык ru' }));
    await send(hotline, fixtureRequest(f, { id: 'lang-2', from: '+992900000201', text: 'HELP' }));
    const texts = (await outbox(hotline)).map((m) => m.text);
    expect(texts).toEqual([
      'Хорошо, будем отвечать вам по-русски. Меню: *384*1234#.',
      'SafeJob: помощь против обмана с работой и визами. Не платите за работу или визу. ПРОВЕРКА и имя или номер, ЖАЛОБА и что случилось, СТАТУС и номер жалобы. Меню: *384*1234#. Язык: LANG RU/TG/EN/UZ/KY',
    ]);
  });

  it('sends one flood notice past the hourly limit, then stays silent', async () => {
    const hotline = testHotline(store, { SMS_RATE_LIMIT_PER_HOUR: '2' });
    const f = fixture('africastalking/sms-incoming');
    for (let i = 1; i <= 5; i++) {
      expect((await send(hotline, fixtureRequest(f, { id: `flood-${i}`, from: '+992900000202', text: 'HELP' }))).status).toBe(200);
    }
    const texts = (await outbox(hotline)).map((m) => m.text);
    expect(texts).toHaveLength(3);
    expect(texts[2]).toBe(
      'You have sent us many messages. We will answer again within the hour. Never pay anyone for a job or a visa.',
    );
  });

  it('answers an officer past the hourly limit (the rota read only then)', async () => {
    const hotline = testHotline(store, { SMS_RATE_LIMIT_PER_HOUR: '1' });
    const officer = { name: 'Dilnoza (TEST)', phone: '+992900009104', role: 'officer' as const, languages: ['en' as const], level: 1 };
    await new OfficerRepository(store.client, store.tableName).putOfficers([{ ...officer, key: hotline.deps.callerKey(officer.phone) }]);
    const f = fixture('africastalking/sms-incoming');
    for (let i = 1; i <= 3; i++) {
      expect((await send(hotline, fixtureRequest(f, { id: `officer-flood-${i}`, from: officer.phone, text: 'HELP' }))).status).toBe(200);
      expect((await send(hotline, fixtureRequest(f, { id: `migrant-flood-${i}`, from: '+992900000204', text: 'HELP' }))).status).toBe(200);
    }
    const sent = await outbox(hotline);
    expect(sent.filter((m) => m.to === officer.phone).map((m) => m.text.slice(0, 8))).toEqual(['SafeJob:', 'SafeJob:', 'SafeJob:']);
    expect(sent.filter((m) => m.to === '+992900000204').map((m) => m.text.slice(0, 8))).toEqual(['SafeJob:', 'You have']);
  });

  it("does not count a provider's retries of a message toward the flood limit", async () => {
    const hotline = testHotline(store, { SMS_RATE_LIMIT_PER_HOUR: '2' });
    const f = fixture('africastalking/sms-incoming');
    const from = '+992900000203';
    // Counted beside the claim, and given back when the claim finds the message handled.
    for (let i = 0; i < 4; i++) expect((await send(hotline, fixtureRequest(f, { id: 'retried-1', from, text: 'HELP' }))).status).toBe(200);
    expect((await send(hotline, fixtureRequest(f, { id: 'retried-2', from, text: 'LANG RU' }))).status).toBe(200);
    const texts = (await outbox(hotline)).map((m) => m.text);
    expect(texts).toHaveLength(2);
    expect(texts[1]).toBe('Хорошо, будем отвечать вам по-русски. Меню: *384*1234#.');
  });

  it('gives the count back when a message is not handled, so that the retry counts it once', async () => {
    const hotline = testHotline(store, { SMS_RATE_LIMIT_PER_HOUR: '2' });
    const f = fixture('africastalking/sms-incoming');
    const from = '+992900000206';
    // The first attempt's reply cannot be recorded: the provider is asked to retry (5xx), after the count was taken.
    const send1 = vi.spyOn(hotline.deps.outbox, 'send').mockRejectedValueOnce(new Error('table unavailable'));
    try {
      expect((await send(hotline, fixtureRequest(f, { id: 'failed-1', from, text: 'HELP' }))).status).toBeGreaterThanOrEqual(500);
    } finally {
      send1.mockRestore();
    }
    expect((await send(hotline, fixtureRequest(f, { id: 'failed-1', from, text: 'HELP' }))).status).toBe(200);
    // Two messages within the limit of two: both answered, no flood notice.
    expect((await send(hotline, fixtureRequest(f, { id: 'failed-2', from, text: 'LANG RU' }))).status).toBe(200);
    const texts = (await outbox(hotline)).map((m) => m.text);
    expect(texts).toHaveLength(2);
    expect(texts[1]).toBe('Хорошо, будем отвечать вам по-русски. Меню: *384*1234#.');
  });

  it('requires the token when one is configured', async () => {
    const hotline = testHotline(store, { AT_WEBHOOK_TOKEN: 'sms-token-0123456789' });
    const f = fixture('africastalking/sms-incoming');
    const before = await itemCount();
    expect((await send(hotline, fixtureRequest(f, { id: 'tok-1' }))).status).toBe(403);
    expect((await send(hotline, fixtureRequest(f, { id: 'tok-1' }, `${f.path}?token=nope`))).status).toBe(403);
    expect(await itemCount()).toBe(before);
    expect((await send(hotline, fixtureRequest(f, { id: 'tok-1' }, `${f.path}?token=sms-token-0123456789`))).status).toBe(200);
  });

  it('rejects a malformed request with 400 and a reason', async () => {
    const hotline = testHotline(store);
    const f = fixture('africastalking/sms-incoming');
    const { from: _from, ...withoutFrom } = f.body;
    const response = await send(hotline, fixtureRequest({ ...f, body: withoutFrom }));
    expect(response.status).toBe(400);
    expect(response.body).toMatch(/^Bad request: from: /);
    expect(await outbox(hotline)).toEqual([]);
  });

  it('answers 503 when the store is down, and handles the retry once it is back', async () => {
    const down = testHotline(store, { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' });
    const f = fixture('africastalking/sms-incoming');
    expect((await send(down, fixtureRequest(f, { id: 'outage-1' }))).status).toBe(503);
    const up = testHotline(store);
    expect((await send(up, fixtureRequest(f, { id: 'outage-1' }))).status).toBe(200);
    expect(await outbox(up)).toHaveLength(1);
  });
});

describe('Twilio inbound SMS', () => {
  const twilioRequest = (f: Fixture, signature?: string) =>
    fixtureRequest({ ...f, headers: signature === undefined ? {} : { 'X-Twilio-Signature': signature } });

  it('the signature vector from Twilio’s own tests validates', () => {
    const v = JSON.parse(JSON.stringify(fixture('twilio/signature-vector'))) as Fixture & { expectedSignature: string };
    expect(twilioSignature(v.authToken!, v.url!, Object.entries(v.body))).toBe(v.expectedSignature);
    expect(twilioSignature(v.authToken!, v.url!, Object.entries({ ...v.body, Digits: '1235' }))).not.toBe(v.expectedSignature);
  });

  it('accepts the signed fixture, answers empty TwiML and replies through the outbox', async () => {
    const hotline = testHotline(store);
    const f = fixture('twilio/sms-incoming');
    const response = await send(hotline, fixtureRequest(f));
    expect(response).toEqual({
      status: 200,
      type: 'text/xml',
      body: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>',
    });
    const messages = await outbox(hotline);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.to).toBe('+992901234999');
  });

  it('refuses a missing or wrong signature with 403, storing and sending nothing', async () => {
    const hotline = testHotline(store);
    const f = fixture('twilio/sms-incoming');
    const before = await itemCount();
    expect((await send(hotline, twilioRequest(f))).status).toBe(403);
    expect((await send(hotline, twilioRequest(f, 'CsW1j7hN2oWtbDWFoAKhzn8kWnX='))).status).toBe(403);
    // A changed field invalidates the signature.
    expect((await send(hotline, fixtureRequest(f, { Body: 'HELP' }))).status).toBe(403);
    // The signature covers the public URL: another base URL does not match.
    const elsewhere = testHotline(store, { PUBLIC_BASE_URL: 'https://other.example.org' });
    expect((await send(elsewhere, fixtureRequest(f))).status).toBe(403);
    expect(await itemCount()).toBe(before);
    expect(await outbox(hotline)).toEqual([]);
  });
});

describe('delivery reports', () => {
  async function sentMessage(hotline: ReturnType<typeof testHotline>, provider: string, providerId: string) {
    const id = await hotline.deps.outbox.send('+992927001122', 'test');
    await hotline.deps.localQueue.drain();
    await hotline.deps.messages.recordSent(id, provider, providerId, 1);
    return id;
  }

  it("Africa's Talking: Success → delivered; a late Sent does not move it back", async () => {
    const hotline = testHotline(store);
    const f = fixture('africastalking/sms-delivery-success');
    const id = await sentMessage(hotline, 'africastalking', f.body.id!);
    expect((await send(hotline, fixtureRequest(f))).status).toBe(200);
    expect((await hotline.deps.messages.get(id))?.status).toBe('delivered');
    await send(hotline, fixtureRequest(f, { status: 'Sent' }));
    expect((await hotline.deps.messages.get(id))?.status).toBe('delivered');
  });

  it("Africa's Talking: Failed → failed with its reason", async () => {
    const hotline = testHotline(store);
    const f = fixture('africastalking/sms-delivery-failed');
    const id = await sentMessage(hotline, 'africastalking', f.body.id!);
    await send(hotline, fixtureRequest(f));
    expect(await hotline.deps.messages.get(id)).toMatchObject({ status: 'failed', lastError: 'UserInBlackList' });
  });

  it('Twilio: signed status callbacks move the status forward', async () => {
    const hotline = testHotline(store);
    const f = fixture('twilio/sms-status');
    const id = await sentMessage(hotline, 'twilio', f.body.MessageSid!);
    expect((await send(hotline, fixtureRequest(f))).status).toBe(200);
    expect((await hotline.deps.messages.get(id))?.status).toBe('delivered');
  });

  it('accepts and ignores reports about unknown messages', async () => {
    const hotline = testHotline(store);
    const before = await itemCount();
    const at = fixture('africastalking/sms-delivery-success');
    expect((await send(hotline, fixtureRequest(at, { id: 'ATXid_unknown' }))).status).toBe(200);
    expect((await send(hotline, fixtureRequest(fixture('twilio/sms-status')))).status).toBe(200);
    expect(await itemCount()).toBe(before);
  });
});

describe('the store round trips of an SMS', () => {
  it("CHECK: the claim beside the reads, the counter beside the reply's record, the queue, the done mark", async () => {
    const hotline = testHotline(store);
    // The registry index is held in memory (its version read at most every 30 s), not per message.
    await hotline.deps.registry.get();
    const calls = recordStoreCalls(hotline.deps.db);
    const f = fixture('africastalking/sms-incoming');
    expect((await send(hotline, fixtureRequest(f, { id: 'rounds-1', from: '+992900000205', text: 'CHECK SAMPLE-TJ-0001' }))).status).toBe(200);
    // The reply's delivery (its lease, the provider's id, the local queue letting it go) runs on behind the answer.
    const delivery = (call: StoreCall) => (call.item === 'OUTMSG' && call.command !== 'PutItem') || call.item === 'PROVIDERMSG' || (call.item === 'LOCALOUTBOX' && call.command === 'DeleteItem');
    const rounds = new Map<number, string[]>();
    for (const call of calls.reset().filter((c) => !delivery(c))) rounds.set(call.round, [...(rounds.get(call.round) ?? []), `${call.command} ${call.item}`].sort());
    expect([...rounds]).toEqual([
      // The claim, and beside it the caller's language and the flood count.
      [1, ['GetItem CALLER', 'PutItem INBOUND', 'UpdateItem CALLER']],
      // The reply recorded in the outbox, and beside it the analysts' counter.
      [2, ['PutItem OUTMSG', 'UpdateItem VERIFICATIONS']],
      // The reply queued (here the local queue's spool; on AWS an SQS message).
      [3, ['PutItem LOCALOUTBOX']],
      [4, ['UpdateItem INBOUND']],
    ]);
    expect((await outbox(hotline)).find((m) => m.to === '+992900000205')?.status).toBe('sent');
  });
});
