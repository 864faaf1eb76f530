import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHotline, type LocalHotline } from '../infra/local';
import { SAMPLE_NOTE } from '../infra/seed';
import { createDocumentClient } from '../shared/store/client';
import { keys } from '../shared/store/keys';

let hotline: LocalHotline;

beforeAll(async () => {
  hotline = await startLocalHotline({
    PORT: '0',
    AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:0',
    TABLE_NAME: 'safejob-local-test',
  });
});
afterAll(async () => hotline.stop());

const ussd = (text: string, sessionId = 'local-1', phoneNumber = '+992900000111') =>
  fetch(`${hotline.url}/ussd/africastalking`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ sessionId, serviceCode: '*384*1234#', phoneNumber, networkCode: '99999', text }),
  }).then(async (r) => ({ status: r.status, body: await r.text() }));

describe('npm start (the local hotline)', () => {
  it('answers /health', async () => {
    const response = await fetch(`${hotline.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('serves the outbox as a JSON array', async () => {
    const response = await fetch(`${hotline.url}/dev/outbox`);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual([]);
  });

  it('serves the outbox and the CALL bridges (they hold phone numbers) to a page on this machine only', async () => {
    const { request } = await import('node:http');
    const status = (path: string, host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${hotline.url}${path}`, { headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    // A DNS-rebinding page reaches 127.0.0.1 under its own name.
    expect(await status('/dev/outbox', 'attacker.example')).toBe(403);
    expect(await status('/dev/calls', 'attacker.example:3000')).toBe(403);
    expect(await status('/dev/outbox', 'localhost:3000')).toBe(200);
    expect(await status('/dev/calls', '127.0.0.1')).toBe(200);
  });

  it('refuses to start with HOTLINE_MODE=aws: the local hotline is never taken for a deployed one', async () => {
    await expect(startLocalHotline({ HOTLINE_MODE: 'aws', PORT: '0', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:0' })).rejects.toThrow(
      /HOTLINE_MODE=aws/,
    );
  });

  it('walks the USSD menu over HTTP', async () => {
    expect(await ussd('')).toEqual({ status: 200, body: 'CON Забон / Язык / Language\n1. Тоҷикӣ\n2. Русский\n3. English\n4. Oʻzbekcha\n5. Кыргызча' });
    const menu =
      'CON SafeJob: free help for migrants\n1. Check an agency or number\n2. Report a fraud\n3. My reports\n4. Safe migration advice\n5. Language\n6. Spot the scam quiz\n7. Scam alerts by SMS';
    expect((await ussd('3')).body).toBe(menu);
    expect((await ussd('3*4*4')).body).toMatch(/^CON Official sources: UK visas: www\.gov\.uk\/seasonal-worker-visa\./);
    expect((await ussd('', 'local-2')).body).toBe(menu);
  });

  it('seeded the table, marked as sample data', async () => {
    const client = createDocumentClient({ region: 'eu-west-2', endpoint: hotline.dynamoEndpoint, tableName: 'safejob-local-test' });
    const { Item } = await client.send(new GetCommand({ TableName: 'safejob-local-test', Key: keys.sampleMarker() }));
    expect(Item).toMatchObject({ sample: true, note: SAMPLE_NOTE });
  });

  it('answers an unknown route with 404, not a crash', async () => {
    expect((await fetch(`${hotline.url}/nope`)).status).toBe(404);
  });
});
