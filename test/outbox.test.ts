import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { africasTalkingSender } from '../shared/channels/africastalking-sender';
import { twilioSender } from '../shared/channels/twilio-sender';
import { createLogger } from '../shared/log';
import { deliver, type DeliveryContext } from '../shared/outbox/deliver';
import { LocalQueue } from '../shared/outbox/local';
import { Outbox } from '../shared/outbox/outbox';
import { providersFor } from '../shared/outbox/routing';
import { MessageRepository } from '../shared/store/messages';
import { createDocumentClient } from '../shared/store/client';
import { startTestStore, type TestStore } from './support/dynalite';

const AT_API = 'https://api.africastalking.com';
const TWILIO_API = 'https://api.twilio.com';
const ACCOUNT = 'AC00000000000000000000000000000000';
const routes = [
  { prefix: '+992', provider: 'africastalking' as const },
  { prefix: '+44', provider: 'twilio' as const },
  { prefix: '*', provider: 'africastalking' as const },
];

let store: TestStore;
beforeAll(async () => {
  store = await startTestStore();
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  nock.enableNetConnect();
  await store.close();
});

function atRecipient(statusCode: number, status: string, messageId = 'ATXid_test_1') {
  return { SMSMessageData: { Message: 'Sent to 1/1', Recipients: [{ statusCode, number: '+992927001122', status, cost: 'TJS 0.1000', messageId }] } };
}

function outboxUnderTest(maxAttempts = 3) {
  const messages = new MessageRepository(store.client, store.tableName);
  const context: DeliveryContext = {
    senders: {
      africastalking: africasTalkingSender({ username: 'safejob', apiKey: 'at-test-key', senderId: 'SafeJob' }),
      twilio: twilioSender({ accountSid: ACCOUNT, authToken: 'twilio-test-token', from: '+447700900123' }, 'https://hotline.example.org'),
    },
    routes,
    messages,
    maxAttempts,
    log: createLogger('test', () => undefined),
  };
  const queue = new LocalQueue((m, attempt) => deliver(context, m, attempt), { maxAttempts, retryBaseMs: 1 });
  const outbox = new Outbox(messages, queue, (raw) => `key-${raw}`);
  return { messages, queue, outbox };
}

describe('holding deliveries (the benchmark times a webhook without its reply being sent beside it)', () => {
  it('records and keeps a held message, sends nothing until released, then sends it once', async () => {
    let sends = 0;
    nock(AT_API)
      .post('/version1/messaging', () => ++sends > 0)
      .reply(201, atRecipient(101, 'Success', 'ATXid_held'));
    const { messages, queue, outbox } = outboxUnderTest();
    const release = queue.hold();
    const id = await outbox.send('+992927001122', 'Held');
    await queue.drain();
    expect(sends).toBe(0);
    expect(await messages.get(id)).toMatchObject({ status: 'queued', attempts: 0 });
    release();
    await queue.drain();
    expect(sends).toBe(1);
    expect(await messages.get(id)).toMatchObject({ status: 'sent', providerMessageId: 'ATXid_held', attempts: 1 });
    expect(nock.isDone()).toBe(true);
  });
});

describe('routing', () => {
  it('tries the longest matching prefix first, then the others', () => {
    expect(providersFor('+992927001122', routes, ['africastalking', 'twilio'])).toEqual(['africastalking', 'twilio']);
    expect(providersFor('+447911123456', routes, ['africastalking', 'twilio'])).toEqual(['twilio', 'africastalking']);
    expect(providersFor('+15550100', routes, ['twilio', 'africastalking'])).toEqual(['africastalking', 'twilio']);
    expect(providersFor('+447911123456', routes, ['africastalking'])).toEqual(['africastalking']);
  });
});

describe('sending through the providers (SDKs intercepted at HTTP)', () => {
  it("sends through Africa's Talking and records its message id", async () => {
    let sentBody = '';
    nock(AT_API)
      .post('/version1/messaging', (body) => {
        sentBody = new URLSearchParams(body as string).toString();
        return true;
      })
      .matchHeader('apikey', 'at-test-key')
      .reply(201, atRecipient(101, 'Success', 'ATXid_ok'));
    const { messages, queue, outbox } = outboxUnderTest();
    const id = await outbox.send('+992927001122', 'Салом');
    await queue.drain();
    expect(Object.fromEntries(new URLSearchParams(sentBody))).toEqual({
      username: 'safejob',
      to: '+992927001122',
      message: 'Салом',
      from: 'SafeJob',
      bulkSMSMode: '1',
    });
    expect(await messages.get(id)).toMatchObject({
      status: 'sent',
      provider: 'africastalking',
      providerMessageId: 'ATXid_ok',
      attempts: 1,
      toKey: 'key-+992927001122',
      toLast4: '1122',
    });
    expect(nock.isDone()).toBe(true);
  });

  it('fails over to Twilio when Africa’s Talking answers 201 but rejects the recipient', async () => {
    nock(AT_API).post('/version1/messaging').reply(201, atRecipient(403, 'InvalidPhoneNumber'));
    let twilioBody: Record<string, string> = {};
    nock(TWILIO_API)
      .post(`/2010-04-01/Accounts/${ACCOUNT}/Messages.json`, (body: Record<string, string>) => {
        twilioBody = body;
        return true;
      })
      .reply(201, { sid: 'SMfailover', status: 'queued' });
    const { messages, queue, outbox } = outboxUnderTest();
    const id = await outbox.send('+992927001122', 'Reference K7QX3M');
    await queue.drain();
    expect(twilioBody).toMatchObject({
      To: '+992927001122',
      From: '+447700900123',
      Body: 'Reference K7QX3M',
      StatusCallback: 'https://hotline.example.org/sms/twilio/status',
    });
    expect(await messages.get(id)).toMatchObject({ status: 'sent', provider: 'twilio', providerMessageId: 'SMfailover' });
  });

  it('routes a UK number to Twilio first', async () => {
    nock(TWILIO_API).post(`/2010-04-01/Accounts/${ACCOUNT}/Messages.json`).reply(201, { sid: 'SMuk', status: 'queued' });
    const { messages, queue, outbox } = outboxUnderTest();
    const id = await outbox.send('+447911123456', 'Hello');
    await queue.drain();
    expect(await messages.get(id)).toMatchObject({ provider: 'twilio', providerMessageId: 'SMuk' });
  });

  it('retries with backoff after Twilio 429 and Africa’s Talking 500, and succeeds later', async () => {
    nock(TWILIO_API)
      .post(`/2010-04-01/Accounts/${ACCOUNT}/Messages.json`)
      .reply(429, { code: 20429, message: 'Too Many Requests', status: 429 })
      .post(`/2010-04-01/Accounts/${ACCOUNT}/Messages.json`)
      .reply(201, { sid: 'SMlater', status: 'queued' });
    nock(AT_API).post('/version1/messaging').reply(500, 'Internal Server Error');
    const { messages, queue, outbox } = outboxUnderTest();
    const id = await outbox.send('+447911123456', 'Hello');
    await queue.drain();
    expect(await messages.get(id)).toMatchObject({ status: 'sent', provider: 'twilio', providerMessageId: 'SMlater', attempts: 2 });
    expect(queue.deadLetters).toEqual([]);
  });

  it('dead-letters and marks failed when both providers stay down', async () => {
    nock(AT_API).post('/version1/messaging').times(3).reply(500, 'down');
    nock(TWILIO_API)
      .post(`/2010-04-01/Accounts/${ACCOUNT}/Messages.json`)
      .times(3)
      .reply(500, { code: 20500, message: 'Internal Server Error', status: 500 });
    const { messages, queue, outbox } = outboxUnderTest(3);
    const id = await outbox.send('+992927001122', 'Hello');
    await queue.drain();
    const record = await messages.get(id);
    expect(record).toMatchObject({ status: 'failed', attempts: 3 });
    expect(record?.lastError).toMatch(/^africastalking: HTTP 500; twilio: 500 \(20500\)/);
    expect(queue.deadLetters.map((m) => m.id)).toEqual([id]);
    expect(nock.isDone()).toBe(true);
  });

  it('gives up at once when both providers refuse the recipient', async () => {
    nock(AT_API).post('/version1/messaging').reply(201, atRecipient(403, 'InvalidPhoneNumber'));
    nock(TWILIO_API)
      .post(`/2010-04-01/Accounts/${ACCOUNT}/Messages.json`)
      .reply(400, { code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 });
    const { messages, queue, outbox } = outboxUnderTest(3);
    const id = await outbox.send('+992927001122', 'Hello');
    await queue.drain();
    expect(await messages.get(id)).toMatchObject({ status: 'failed', attempts: 1 });
    expect(queue.deadLetters).toHaveLength(1);
  });

  it("keeps no phone number in lastError, though the providers' error texts quote it", async () => {
    nock(AT_API).post('/version1/messaging').reply(201, atRecipient(403, 'InvalidPhoneNumber: +992900000901'));
    nock(TWILIO_API)
      .post(`/2010-04-01/Accounts/${ACCOUNT}/Messages.json`)
      .reply(400, { code: 21211, message: "The 'To' number +992900000901 is not a valid phone number.", status: 400 });
    const { messages, queue, outbox } = outboxUnderTest(3);
    const id = await outbox.send('+992900000901', 'Hello');
    await queue.drain();
    const record = await messages.get(id);
    expect(record?.status).toBe('failed');
    expect(record?.lastError).toContain('***0901');
    expect(record?.lastError).not.toMatch(/992900000901/);
  });

  it('sends a message handed over twice only once (at-least-once queues)', async () => {
    nock(AT_API).post('/version1/messaging').once().reply(201, atRecipient(101, 'Success', 'ATXid_once'));
    const { messages, queue, outbox } = outboxUnderTest();
    const id = await outbox.send('+992927001122', 'Once');
    await queue.drain();
    const again = await deliver(
      {
        senders: { africastalking: africasTalkingSender({ username: 'safejob', apiKey: 'at-test-key' }) },
        routes,
        messages,
        maxAttempts: 3,
        log: createLogger('test', () => undefined),
      },
      { id, to: '+992927001122', text: 'Once', createdAt: new Date().toISOString() },
      2,
    );
    expect(again).toBe('sent');
    expect(await messages.get(id)).toMatchObject({ providerMessageId: 'ATXid_once', attempts: 1 });
  });

  it('sends once when the lease write succeeded but its response was lost (the SDK retries into ConditionalCheckFailed)', async () => {
    nock(AT_API).post('/version1/messaging').once().reply(201, atRecipient(101, 'Success', 'ATXid_lease'));
    // Its own client, so the lost response (below the SDK's retries) touches only this test.
    const client = createDocumentClient({ region: 'eu-west-2', endpoint: store.endpoint, tableName: store.tableName });
    let lost = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        const input = args.input as { UpdateExpression?: string };
        if ((context as { commandName?: string }).commandName === 'UpdateItemCommand' && input.UpdateExpression?.includes('leaseUntil =') && lost === 0) {
          lost++;
          // The store did the write; the answer never came back (a reset socket the SDK retries).
          throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        }
        return result;
      },
      { step: 'deserialize', name: 'loseLeaseResponse', priority: 'low' },
    );
    const messages = new MessageRepository(client, store.tableName);
    const context: DeliveryContext = {
      senders: { africastalking: africasTalkingSender({ username: 'safejob', apiKey: 'at-test-key' }) },
      routes,
      messages,
      maxAttempts: 3,
      log: createLogger('test', () => undefined),
    };
    const queue = new LocalQueue((m, attempt) => deliver(context, m, attempt), { maxAttempts: 3, retryBaseMs: 1 });
    const id = await new Outbox(messages, queue, (raw) => `key-${raw}`).send('+992927001122', 'Lease');
    await queue.drain();
    expect(lost).toBe(1);
    expect(await messages.get(id)).toMatchObject({ status: 'sent', providerMessageId: 'ATXid_lease' });
    expect(nock.isDone()).toBe(true);
  });
});
