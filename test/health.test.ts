import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryRepository } from '../shared/store/registry';
import { startTestStore, type TestStore } from './support/dynalite';
import { testHotline } from './support/hotline';
import { sampleRegistryEntries } from './support/registry';
import { createActiveTable } from './support/tables';

/** Fictional credentials: the answer must never echo them. */
const CREDENTIALS = {
  AT_USERNAME: 'sandbox',
  AT_API_KEY: 'at-api-key-fictional-0001',
  AT_WEBHOOK_TOKEN: 'at-webhook-token-fictional-0001',
  TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000',
  TWILIO_FROM: '+447700900000',
};

let store: TestStore;
let tables = 0;
beforeAll(async () => {
  store = await startTestStore('safejob-health');
});
afterAll(async () => store.close());

async function hotline({ registry = true, env = CREDENTIALS as Record<string, string> } = {}) {
  const tableName = `health-${++tables}`;
  await createActiveTable(store.client, tableName);
  if (registry) await new RegistryRepository(store.client, tableName).putEntries(sampleRegistryEntries());
  return { ...testHotline(store, { TABLE_NAME: tableName, ...env }), tableName };
}

async function get(app: Awaited<ReturnType<typeof hotline>>['app'], path: string) {
  const response = await app.request(path);
  return { status: response.status, body: await response.json() };
}

describe('GET /health/deep', () => {
  it('answers 200 when the store answers, the registry is loaded and every SMS route has its credentials', async () => {
    const { app } = await hotline();
    expect(await get(app, '/health/deep')).toEqual({
      status: 200,
      body: { status: 'ok', checks: { store: { ok: true }, registry: { ok: true }, credentials: { ok: true } } },
    });
  });

  it('answers 503 naming the store when the table is gone, while /health stays a cheap 200', async () => {
    const { app, tableName } = await hotline();
    await store.client.send(new DeleteTableCommand({ TableName: tableName }));
    expect(await get(app, '/health')).toEqual({ status: 200, body: { status: 'ok' } });
    const deep = await get(app, '/health/deep');
    expect(deep.status).toBe(503);
    expect(deep.body).toMatchObject({
      status: 'failing',
      checks: { store: { ok: false, problem: 'store read failed: ResourceNotFoundException' }, credentials: { ok: true } },
    });
  });

  it('answers 503 naming an empty registry and the missing credentials, never a secret', async () => {
    const { app } = await hotline({ registry: false, env: {} });
    const deep = await get(app, '/health/deep');
    expect(deep).toEqual({
      status: 503,
      body: {
        status: 'failing',
        checks: {
          store: { ok: true },
          registry: { ok: false, problem: 'registry is empty: import it' },
          credentials: { ok: false, problem: 'missing credentials: africastalking, twilio, africastalking webhook token' },
        },
      },
    });
    expect(JSON.stringify(deep.body)).not.toContain('test-auth-token');
  });
});

describe('the scheduled deep health check (AWS)', () => {
  it('recognises only its own event, and logs what the deep check names when it fails', async () => {
    const { isScheduledHealthCheck, probeDeepHealth } = await import('../functions/ussd/health-probe');
    const { createLogger } = await import('../shared/log');
    expect(isScheduledHealthCheck({ healthCheck: 'deep' })).toBe(true);
    expect(isScheduledHealthCheck({ rawPath: '/health/deep', requestContext: {} })).toBe(false);
    const lines: string[] = [];
    const log = createLogger('test', (line) => lines.push(line));
    const failing = { request: () => Response.json({ status: 'failing', checks: { store: { ok: false, problem: 'store read failed: ResourceNotFoundException' } } }, { status: 503 }) };
    expect(await probeDeepHealth(failing, log)).toEqual({ status: 503 });
    expect(lines.join('\n')).toContain('deep health check failing');
    expect(lines.join('\n')).toContain('store read failed: ResourceNotFoundException');
    const healthy = { request: () => Response.json({ status: 'ok' }) };
    expect(await probeDeepHealth(healthy, log)).toEqual({ status: 200 });
    expect(lines).toHaveLength(1);
  });
});
