/**
 * The SMS and voice Lambda handlers behind the HTTP API, as API Gateway (payload 2.0) invokes them: base64 form
 * bodies, Africa's Talking's `?token=`, and Twilio's X-Twilio-Signature computed over the public URL (the API's
 * endpoint, PUBLIC_BASE_URL, as the stack sets it), the table on dynalite. The SMS replies leave through the outbox
 * queue, which nock answers as SQS; nothing else may leave the process.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { LambdaEvent } from 'hono/aws-lambda';
import nock from 'nock';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { stubLambdaEnvironment } from './support/lambda-env';
import { httpApiEvent } from './support/apigateway';
import { onlyNetworkTo } from './support/strict-network';
import { startTestStore, type TestStore } from './support/dynalite';
import { withTableAccessChecked } from './support/partition-keys';
import { fixture, formBody } from './support/fixtures';

const SQS_ORIGIN = 'http://127.0.0.1:9324';
const OUTBOX_QUEUE_URL = `${SQS_ORIGIN}/123456789012/SafeJobHotline-OutboxQueue`;
const PUBLIC_BASE_URL = 'https://abc123.execute-api.eu-west-2.amazonaws.com';
const AT_TOKEN = 'channels-lambda-test-token-0123';
const TWILIO_TOKEN = 'channels-lambda-twilio-auth-token';

type Handler = (event: LambdaEvent, context: Context) => Promise<APIGatewayProxyResultV2>;
let store: TestStore;
let sms: Handler;
let voice: Handler;
let network: ReturnType<typeof onlyNetworkTo>;

beforeAll(async () => {
  store = await startTestStore('safejob-channels-lambda-test');
  stubLambdaEnvironment({
    HOTLINE_MODE: 'aws',
    AWS_ENDPOINT_URL_DYNAMODB: store.endpoint,
    TABLE_NAME: store.tableName,
    AT_WEBHOOK_TOKEN: AT_TOKEN,
    PHONE_HASH_KEY: 'channels-lambda-test-hash-key-0123456789abcdef',
    PUBLIC_BASE_URL,
    TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
    OUTBOX_QUEUE_URL,
    REPORT_JOURNAL_QUEUE_URL: `${SQS_ORIGIN}/123456789012/SafeJobHotline-ReportJournalQueue`,
    NUMBER_VAULT_KMS_KEY_ID: 'arn:aws:kms:eu-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    ESCALATION_FUNCTION_ARN: 'arn:aws:lambda:eu-west-2:123456789012:function:SafeJobHotline-EscalationFunction',
    ESCALATION_SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/SafeJobHotline-EscalationSchedulerRole',
    ESCALATION_SCHEDULE_GROUP: 'EscalationSchedules-test',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'eu-west-2',
  });
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  network = onlyNetworkTo(new URL(store.endpoint).host);
  // Hono types the event more narrowly than @types/aws-lambda; this is the shape AWS documents and sends.
  // Every table item each handler touches is one its grant allows (infra/constructs/table-access.ts).
  sms = withTableAccessChecked(store, 'SmsFunction', (await import('../functions/sms/index')).handler as unknown as Handler);
  voice = withTableAccessChecked(store, 'VoiceFunction', (await import('../functions/voice/index')).handler as unknown as Handler);
});

afterEach(() => network.verify());

afterAll(async () => {
  vi.restoreAllMocks();
  network?.release();
  await store?.close();
});

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

interface SendMessage {
  QueueUrl: string;
  MessageBody: string;
}
const parsed = (body: string | SendMessage): SendMessage => (typeof body === 'string' ? (JSON.parse(body) as SendMessage) : body);

/** SendMessage to the outbox queue, answered as SQS does; returns the queued SMS. */
function outbox(): { to: string; text: string }[] {
  const queued: { to: string; text: string }[] = [];
  nock(SQS_ORIGIN)
    .post('/', (raw: string | SendMessage) => {
      const body = parsed(raw);
      if (body.QueueUrl !== OUTBOX_QUEUE_URL) return false;
      queued.push(JSON.parse(body.MessageBody) as { to: string; text: string });
      return true;
    })
    .matchHeader('x-amz-target', 'AmazonSQS.SendMessage')
    // nock 15 hands a reply function the fetch Request itself.
    .reply(200, async (request: Request) => ({ MessageId: randomUUID(), MD5OfMessageBody: md5(parsed(await request.text()).MessageBody) }), {
      'Content-Type': 'application/x-amz-json-1.0',
    });
  return queued;
}

/** A Twilio webhook as API Gateway hands it over, signed as Twilio signs: over the public URL and the form fields. */
function twilioEvent(path: string, params: Record<string, string>, signatureToken = TWILIO_TOKEN) {
  const event = httpApiEvent('POST', path, formBody(params));
  event.headers['user-agent'] = 'TwilioProxy/1.1';
  event.headers['x-twilio-signature'] = getExpectedTwilioSignature(signatureToken, `${PUBLIC_BASE_URL}${path}`, params);
  return event;
}

async function invoke(handler: Handler, event: ReturnType<typeof httpApiEvent>) {
  const result = (await handler(event as unknown as LambdaEvent, {} as Context)) as Exclude<APIGatewayProxyResultV2, string>;
  const body = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64').toString('utf8') : (result.body ?? '');
  return { status: result.statusCode, body, headers: result.headers ?? {} };
}

describe('the SMS Lambda handler behind an HTTP API', () => {
  it('answers a signed Twilio SMS with empty TwiML and queues the reply to the sender', async () => {
    const f = fixture('twilio/sms-incoming');
    const from = '+992901234001';
    const queued = outbox();
    const result = await invoke(sms, twilioEvent('/sms/twilio', { ...f.body, MessageSid: `SM${randomUUID().replace(/-/g, '')}`, From: from, Body: 'HELP' }));
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toMatch(/text\/xml/);
    expect(result.body).toContain('<Response');
    expect(queued).toEqual([expect.objectContaining({ to: from, text: expect.any(String) })]);
  });

  it('refuses a Twilio request signed with another token, or over another URL', async () => {
    const f = fixture('twilio/sms-incoming');
    expect((await invoke(sms, twilioEvent('/sms/twilio', f.body, 'not-the-token'))).status).toBe(403);
    const signedElsewhere = twilioEvent('/sms/twilio', f.body);
    signedElsewhere.headers['x-twilio-signature'] = getExpectedTwilioSignature(TWILIO_TOKEN, `https://other.example.org/sms/twilio`, f.body);
    expect((await invoke(sms, signedElsewhere)).status).toBe(403);
  });

  it("answers an Africa's Talking SMS carrying the token, and applies a Twilio status callback", async () => {
    const f = fixture('africastalking/sms-incoming');
    const queued = outbox();
    const atEvent = httpApiEvent('POST', f.path, formBody({ ...f.body, id: `ATXid_${randomUUID()}` }), `token=${AT_TOKEN}`);
    expect((await invoke(sms, atEvent)).status).toBe(200);
    expect(queued).toHaveLength(1);
    expect((await invoke(sms, httpApiEvent('POST', f.path, formBody(f.body)))).status).toBe(403);
    const status = fixture('twilio/sms-status');
    expect((await invoke(sms, twilioEvent('/sms/twilio/status', status.body))).status).toBe(200);
  });
});

describe('the voice Lambda handler behind an HTTP API', () => {
  it('answers a signed Twilio call with TwiML whose callbacks go back to the public URL', async () => {
    const f = fixture('twilio/voice-incoming');
    const result = await invoke(voice, twilioEvent('/voice/twilio', { ...f.body, CallSid: `CA${randomUUID().replace(/-/g, '')}` }));
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toMatch(/text\/xml/);
    expect(result.body).toMatch(/<Response>[\s\S]*<Gather/);
    expect(result.body).toContain(`${PUBLIC_BASE_URL}/voice/twilio?`);
    expect((await invoke(voice, twilioEvent('/voice/twilio', f.body, 'not-the-token'))).status).toBe(403);
  });

  it("answers an Africa's Talking call carrying the token with its XML, the token in each callback", async () => {
    const f = fixture('africastalking/voice-incoming');
    const result = await invoke(voice, httpApiEvent('POST', f.path, formBody({ ...f.body, sessionId: `ATVId_${randomUUID()}` }), `token=${AT_TOKEN}`));
    expect(result.status).toBe(200);
    expect(result.body).toContain('<Response>');
    expect(result.body).toContain(`token=${AT_TOKEN}`);
    expect((await invoke(voice, httpApiEvent('POST', f.path, formBody(f.body)))).status).toBe(403);
  });

  it('serves no recorded prompts on Lambda (they come from AUDIO_BASE_URL)', async () => {
    expect((await invoke(voice, httpApiEvent('GET', '/audio/tg/voice.welcome.mp3'))).status).toBe(404);
  });
});
