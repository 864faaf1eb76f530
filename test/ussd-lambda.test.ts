import type { APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { LambdaEvent } from 'hono/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stubLambdaEnvironment } from './support/lambda-env';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleFunction, PHONE_METADATA_DATA_FILE, REPO_ROOT } from '../infra/bundling';
import { PHONE_METADATA_FILE } from '../infra/phone-metadata';
import { PROMPTS } from '../shared/domain/prompts';
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

const bodyOf = (result: Exclude<APIGatewayProxyResultV2, string>) =>
  result.isBase64Encoded ? Buffer.from(result.body!, 'base64').toString('utf8') : result.body;

describe('the USSD Lambda handler behind an HTTP API', () => {
  it('decodes the base64 form body and answers in the gateway format', async () => {
    const f = fixture('africastalking/ussd-first-dial');
    const result = await invoke(httpApiEvent('POST', f.path, formBody(f.body), `token=${token}`));
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toBe('CON Забон / Язык / Language\n1. Тоҷикӣ\n2. Русский\n3. English\n4. Oʻzbekcha\n5. Кыргызча');
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
    expect(bodyOf(result)).toBe('Забон / Язык\n1. Тоҷикӣ\n2. Русский\n3. English\n4. Oʻzbekcha\n5. Кыргызча');
  });

  it('answers the health check', async () => {
    expect((await invoke(httpApiEvent('GET', '/health'))).statusCode).toBe(200);
  });
});

describe('the USSD bundle as the stack deploys it (infra/bundling.ts), its texts in files beside index.mjs', () => {
  // Under node_modules, so that the bundle finds the runtime's `@aws-sdk/*` as it does on Lambda.
  const dir = join(REPO_ROOT, 'node_modules', '.cache', 'ussd-lambda-bundle');
  const MARKER = 'Санҷиш (аз файл)';
  type Handler = (event: unknown, context: Context) => Promise<Exclude<APIGatewayProxyResultV2, string>>;
  let bundled: Handler;

  beforeAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await bundleFunction('functions/ussd/index.ts', dir, { sourcemap: false });
    // The Tajik main menu's first choice changed in the file alone: an answer with it was read from the file.
    const tg = JSON.parse(readFileSync(join(dir, 'texts', 'tg.json'), 'utf8')) as Record<string, string>;
    writeFileSync(join(dir, 'texts', 'tg.json'), JSON.stringify({ ...tg, 'menu.check': MARKER }));
    ({ handler: bundled } = (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as { handler: Handler });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // A caller of their own for each session: no language remembered from another test.
  const step = (caller: string, text: string, phoneNumber = `+99290000${caller}`) => {
    const f = fixture('africastalking/ussd-first-dial');
    const body = { ...(f.body as Record<string, string>), sessionId: `ATUid_bundle_${caller}`, phoneNumber, text };
    return httpApiEvent('POST', f.path, formBody(body), `token=${token}`);
  };
  it('offers the languages in their own words, each read from its file', async () => {
    const result = await bundled(step('0101', ''), {} as Context);
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toBe('CON Забон / Язык / Language\n1. Тоҷикӣ\n2. Русский\n3. English\n4. Oʻzbekcha\n5. Кыргызча');
  });

  it("answers a caller who chose Tajik with the main menu from texts/tg.json, otherwise as the source's handler does", async () => {
    const fromBundle = bodyOf(await bundled(step('0102', '1'), {} as Context));
    const fromSource = bodyOf(await invoke(step('0103', '1')));
    expect(fromSource).toContain(PROMPTS.tg['menu.check']);
    expect(fromBundle).toBe(fromSource!.replace(PROMPTS.tg['menu.check'], MARKER));
  });

  it("reads the callers' numbers with the phone metadata in data/phone-metadata.json, which its code does not hold", async () => {
    const metadata = JSON.parse(readFileSync(join(dir, PHONE_METADATA_DATA_FILE), 'utf8')) as { countries: Record<string, unknown[]> };
    expect(metadata).toEqual(JSON.parse(readFileSync(PHONE_METADATA_FILE, 'utf8')));
    // Tajikistan's national number pattern, as esbuild would write it into the code.
    expect(readFileSync(join(dir, 'index.mjs'), 'utf8')).not.toContain(JSON.stringify(metadata.countries.TJ![2]).slice(1, -1));
    // A Tajik number parsed (+992): the languages in the hotline's order, Tajik first; a Kyrgyz one (+996): Kyrgyz first.
    expect(bodyOf(await bundled(step('0104', ''), {} as Context))).toBe('CON Забон / Язык / Language\n1. Тоҷикӣ\n2. Русский\n3. English\n4. Oʻzbekcha\n5. Кыргызча');
    expect(bodyOf(await bundled(step('0105', '', '+996700000105'), {} as Context))).toMatch(/^CON .*\n1\. Кыргызча\n2\. Русский\n3\. English\n/);
  });
});
