/**
 * The outbox Lambda handler as SQS invokes it: real-shaped SQS events, the table on dynalite, and the two things it
 * talks to over HTTP intercepted with nock at the HTTP layer: Africa's Talking's SMS API (through its SDK) and SQS
 * itself (through the AWS SDK v3 client, JSON protocol: `POST /` with `x-amz-target: AmazonSQS.<Action>`, sent to
 * the queue URL's host). Nothing else may leave the process: net connect is allowed to dynalite only, and any
 * request nock does not expect fails the test.
 */
import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { QueuedSms } from '../shared/ports';
import { MessageRepository } from '../shared/store/messages';
import { stubLambdaEnvironment } from './support/lambda-env';
import { md5, sqsEvent, sqsRecord as record } from './support/sqs';
import { onlyNetworkTo } from './support/strict-network';
import { startTestStore, type TestStore } from './support/dynalite';
import { withTableAccessChecked } from './support/partition-keys';

const AT_API = 'https://api.africastalking.com';
const AT_API_KEY = 'at-lambda-test-key';
/** A stand-in SQS endpoint on loopback where nothing listens: only nock answers it. */
const SQS_ORIGIN = 'http://127.0.0.1:9324';
const OUTBOX_QUEUE_URL = `${SQS_ORIGIN}/123456789012/SafeJobHotline-OutboxQueue`;
const DEAD_LETTER_QUEUE_URL = `${SQS_ORIGIN}/123456789012/SafeJobHotline-OutboxDeadLetterQueue`;
/** As the stack sets it (infra/constructs/outbox.ts SMS_MAX_ATTEMPTS); the redrive allows one receive more. */
const MAX_ATTEMPTS = 4;
/** functions/outbox: attempt n is retried after 30 × 2^(n-1) seconds. */
const RETRY_BASE_SECONDS = 30;

type Handler = (event: SQSEvent) => Promise<SQSBatchResponse>;

let store: TestStore;
let messages: MessageRepository;
let handler: ReturnType<typeof withTableAccessChecked<[SQSEvent], SQSBatchResponse>>;
let network: ReturnType<typeof onlyNetworkTo>;

beforeAll(async () => {
  store = await startTestStore('safejob-outbox-lambda-test');
  // The handler reads its configuration from the environment on first use, as on Lambda (no SECRETS_ARN here:
  // the values Secrets Manager would lay over the environment are set directly).
  stubLambdaEnvironment({
    HOTLINE_MODE: 'aws',
    AWS_ENDPOINT_URL_DYNAMODB: store.endpoint,
    TABLE_NAME: store.tableName,
    AT_WEBHOOK_TOKEN: 'outbox-lambda-test-token',
    PHONE_HASH_KEY: 'outbox-lambda-test-hash-key-0123456789abcdef',
    PUBLIC_BASE_URL: 'https://abc123.execute-api.eu-west-2.amazonaws.com',
    AT_USERNAME: 'safejob',
    AT_API_KEY,
    OUTBOX_QUEUE_URL,
    DEAD_LETTER_QUEUE_URL,
    SMS_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'eu-west-2',
  });
  network = onlyNetworkTo(new URL(store.endpoint).host);
  // Every table item the handler touches is one its grant allows (infra/constructs/table-access.ts).
  handler = withTableAccessChecked(store, 'OutboxFunction', ((await import('../functions/outbox/index')) as { handler: Handler }).handler);
  messages = new MessageRepository(store.client, store.tableName);
});

afterEach(() => network.verify());

afterAll(async () => {
  expect(handler.keysSeen()).toBeGreaterThan(0);
  network?.release();
  await store?.close();
});


/** An outbound SMS as the SMS function queues it: recorded as queued in the table, then its JSON in SQS. */
async function queued(to = '+992927001122', text = 'Салом! Ин паём аз SafeJob аст.'): Promise<QueuedSms> {
  const id = randomUUID();
  const createdAt = new Date().toISOString();
  await messages.recordQueued({ id, toKey: `key-${to}`, toLast4: to.slice(-4), createdAt });
  return { id, to, text, createdAt };
}

const sqsRecord = (body: string, receiveCount = 1) => record('SafeJobHotline-OutboxQueue', body, receiveCount);


function atReply(statusCode: number, status: string, messageId: string) {
  return {
    SMSMessageData: {
      Message: 'Sent to 1/1 Total Cost: TJS 0.1000',
      Recipients: [{ statusCode, number: '+992927001122', status, cost: 'TJS 0.1000', messageId }],
    },
  };
}

/**
 * Africa's Talking's bulk SMS endpoint (what `SMS.send` calls), for one request (to one recipient, if given);
 * returns the form fields it received.
 */
function atApi(status: number, reply: unknown, to?: string): Record<string, string>[] {
  const received: Record<string, string>[] = [];
  nock(AT_API)
    .post('/version1/messaging', (body: string | Record<string, string>) => {
      const fields = typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : body;
      if (to !== undefined && fields.to !== to) return false;
      received.push(fields);
      return true;
    })
    .matchHeader('apikey', AT_API_KEY)
    .reply(status, reply as nock.Body);
  return received;
}

/**
 * One expected SQS call (JSON protocol), answered as SQS does: SendMessage with the MD5 of the body, which the SDK
 * checks. Returns the request bodies it received.
 */
function sqsApi(action: 'SendMessage' | 'ChangeMessageVisibility'): Record<string, unknown>[] {
  const received: Record<string, unknown>[] = [];
  nock(SQS_ORIGIN)
    .post('/', (body: string | Record<string, unknown>) => {
      received.push(typeof body === 'string' ? (JSON.parse(body) as Record<string, unknown>) : body);
      return true;
    })
    .matchHeader('x-amz-target', `AmazonSQS.${action}`)
    .matchHeader('content-type', /application\/x-amz-json-1\.0/)
    .reply(
      200,
      // nock 15 hands a reply function the fetch Request itself.
      async (request: Request) => {
        if (action !== 'SendMessage') return {};
        const input = (await request.json()) as { MessageBody: string };
        return { MessageId: randomUUID(), MD5OfMessageBody: md5(input.MessageBody) };
      },
      { 'Content-Type': 'application/x-amz-json-1.0' },
    );
  return received;
}

describe('the outbox Lambda handler (SQS event source)', () => {
  it("sends through Africa's Talking, records the provider's message id and reports no failure", async () => {
    const sms = await queued();
    const at = atApi(201, atReply(101, 'Success', 'ATXid_5f7e0c1a'));
    const record = sqsRecord(JSON.stringify(sms), 1);

    const result = await handler(sqsEvent(record));

    expect(result).toEqual({ batchItemFailures: [] });
    expect(at).toEqual([expect.objectContaining({ username: 'safejob', to: sms.to, message: sms.text })]);
    expect(await messages.get(sms.id)).toMatchObject({
      status: 'sent',
      provider: 'africastalking',
      providerMessageId: 'ATXid_5f7e0c1a',
      attempts: 1,
    });
  });

  it("backs off with ChangeMessageVisibility and reports the item failed when Africa's Talking answers 500", async () => {
    const sms = await queued();
    atApi(500, { error: 'Internal Server Error' });
    const visibility = sqsApi('ChangeMessageVisibility');
    const record = sqsRecord(JSON.stringify(sms), 1);

    const result = await handler(sqsEvent(record));

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
    expect(visibility).toEqual([
      { QueueUrl: OUTBOX_QUEUE_URL, ReceiptHandle: record.receiptHandle, VisibilityTimeout: RETRY_BASE_SECONDS },
    ]);
    const stored = await messages.get(sms.id);
    expect(stored).toMatchObject({ status: 'queued', attempts: 1 });
    expect(stored?.lastError).toMatch(/africastalking: HTTP 500/);
  });

  it('on the last attempt marks the message failed, moves it to the dead-letter queue itself and reports no failure', async () => {
    const sms = await queued();
    atApi(500, { error: 'Internal Server Error' });
    const deadLetters = sqsApi('SendMessage');
    const record = sqsRecord(JSON.stringify(sms), MAX_ATTEMPTS);

    const result = await handler(sqsEvent(record));

    // Not reported as failed: SQS deletes it from the outbox queue, the copy in the DLQ raises the alarm.
    expect(result).toEqual({ batchItemFailures: [] });
    expect(deadLetters).toEqual([{ QueueUrl: DEAD_LETTER_QUEUE_URL, MessageBody: record.body }]);
    expect(await messages.get(sms.id)).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
  });

  it('dead-letters a body that is not a queued SMS without calling a provider', async () => {
    const deadLetters = sqsApi('SendMessage');
    const record = sqsRecord(JSON.stringify({ id: 'x', text: 'no destination' }), 1);

    const result = await handler(sqsEvent(record));

    expect(result).toEqual({ batchItemFailures: [] });
    expect(deadLetters).toEqual([{ QueueUrl: DEAD_LETTER_QUEUE_URL, MessageBody: record.body }]);
  });

  it('dead-letters a body that is not JSON at once', async () => {
    const deadLetters = sqsApi('SendMessage');
    const record = sqsRecord('not json {', 1);

    const result = await handler(sqsEvent(record));

    expect(result).toEqual({ batchItemFailures: [] });
    expect(deadLetters).toEqual([{ QueueUrl: DEAD_LETTER_QUEUE_URL, MessageBody: record.body }]);
  });

  it('reports only the failed item of a batch, so the others are not sent again', async () => {
    const ok = await queued('+992927001122', 'first');
    const down = await queued('+992927003344', 'second');
    atApi(201, atReply(101, 'Success', 'ATXid_batch_ok'), ok.to);
    atApi(500, { error: 'Internal Server Error' }, down.to);
    const visibility = sqsApi('ChangeMessageVisibility');
    const [sent, failed] = [sqsRecord(JSON.stringify(ok), 1), sqsRecord(JSON.stringify(down), 2)];

    const result = await handler(sqsEvent(sent, failed));

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: failed.messageId }] });
    expect(await messages.get(ok.id)).toMatchObject({ status: 'sent', providerMessageId: 'ATXid_batch_ok' });
    expect(await messages.get(down.id)).toMatchObject({ status: 'queued', attempts: 2 });
    // The second attempt waits twice as long as the first.
    expect(visibility).toEqual([
      { QueueUrl: OUTBOX_QUEUE_URL, ReceiptHandle: failed.receiptHandle, VisibilityTimeout: 2 * RETRY_BASE_SECONDS },
    ]);
  });
});
