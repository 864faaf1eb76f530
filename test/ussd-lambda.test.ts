import type { APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { LambdaEvent } from 'hono/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stubLambdaEnvironment } from './support/lambda-env';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR, fixture, formBody } from './support/fixtures';
import { httpApiEvent } from './support/apigateway';
import { startTestStore, type TestStore } from './support/dynalite';
import { withTableAccessChecked } from './support/partition-keys';

let store: TestStore;
const token = 'lambda-test-token-0123';

beforeAll(async () => {
  store = await startTestStore('safejob-lambda-test');
  // The handler reads its configuration from the environment on first use, as on Lambda.
  stubLambdaEnvironment({
    HOTLINE_MODE: 'aws',
    AWS_ENDPOINT_URL_DYNAMODB: store.endpoint,
    TABLE_NAME: store.tableName,
    AT_WEBHOOK_TOKEN: token,
    // The token of the Kannel fixtures.
    KANNEL_WEBHOOK_TOKEN: 'kannel-fixture-token-0123456789',
    PHONE_HASH_KEY: 'lambda-test-hash-key-0123456789abcdef',
    PUBLIC_BASE_URL: 'https://abc123.execute-api.eu-west-2.amazonaws.com',
    // Queues and the key are only touched by a report or a reply, which these requests do not make.
    OUTBOX_QUEUE_URL: 'https://sqs.eu-west-2.amazonaws.com/123456789012/outbox',
    REPORT_JOURNAL_QUEUE_URL: 'https://sqs.eu-west-2.amazonaws.com/123456789012/intake-journal',
    NUMBER_VAULT_KMS_KEY_ID: 'alias/safejob-reporter-numbers',
    ESCALATION_FUNCTION_ARN: 'arn:aws:lambda:eu-west-2:123456789012:function:SafeJobHotline-EscalationFunction',
    ESCALATION_SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/SafeJobHotline-EscalationSchedulerRole',
    ESCALATION_SCHEDULE_GROUP: 'EscalationSchedules-test',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
});
afterAll(async () => {
  // Every table item the handler touched is one its grant allows (infra/constructs/table-access.ts).
  expect(invokeChecked.keysSeen()).toBeGreaterThan(0);
  await store.close();
});

let invokeChecked: ReturnType<typeof withTableAccessChecked<[unknown], Exclude<APIGatewayProxyResultV2, string>>>;
async function invoke(event: ReturnType<typeof httpApiEvent>) {
  const { handler } = await import('../functions/ussd/index');
  // Hono types the event more narrowly than @types/aws-lambda (an authorizer is always present there); this is the
  // shape AWS documents and sends.
  invokeChecked ??= withTableAccessChecked(store, 'UssdFunction', async (lambdaEvent: unknown) =>
    (await handler(lambdaEvent as LambdaEvent, {} as Context)) as Exclude<APIGatewayProxyResultV2, string>,
  );
  return invokeChecked(event);
}

describe('the USSD Lambda handler behind an HTTP API', () => {
  it('decodes the base64 form body and answers in the gateway format', async () => {
    const f = fixture('africastalking/ussd-first-dial');
    const result = await invoke(httpApiEvent('POST', f.path, formBody(f.body), `token=${token}`));
    expect(result.statusCode).toBe(200);
    const body = result.isBase64Encoded ? Buffer.from(result.body!, 'base64').toString('utf8') : result.body;
    expect(body).toBe('CON Забон / Язык / Language\n1. Тоҷикӣ\n2. Русский\n3. English\n4. Oʻzbekcha\n5. Кыргызча');
  });

  it('refuses a request without the token', async () => {
    const f = fixture('africastalking/ussd-first-dial');
    expect((await invoke(httpApiEvent('POST', f.path, formBody(f.body)))).statusCode).toBe(403);
  });

  it("keeps Kannel's raw query bytes (the TLVs in %D) and answers with its headers", async () => {
    const { path } = JSON.parse(readFileSync(join(FIXTURES_DIR, 'kannel', 'ussd-dial.json'), 'utf8')) as { path: string };
    const [route, query] = path.split('?') as [string, string];
    const result = await invoke(httpApiEvent('GET', route, undefined, query));
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ 'x-kannel-meta-data': '?smpp?ussd_service_op=02&its_session_info=%2A%01', 'x-kannel-coding': '2' });
    const body = result.isBase64Encoded ? Buffer.from(result.body!, 'base64').toString('utf8') : result.body;
    expect(body).toBe('Забон / Язык\n1. Тоҷикӣ\n2. Русский\n3. English\n4. Oʻzbekcha\n5. Кыргызча');
  });

  it('answers the health check', async () => {
    expect((await invoke(httpApiEvent('GET', '/health'))).statusCode).toBe(200);
  });
});
