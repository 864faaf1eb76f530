import { createHmac } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStore, type TestStore } from './support/dynalite';
import { fixture } from './support/fixtures';
import { testHotline } from './support/hotline';

/**
 * Twilio signs the URL followed by every form parameter, sorted by name, as name + value (Twilio's "Secure
 * webhooks" page). Written out here by hand so that the test does not trust the code it tests.
 */
function signPairs(authToken: string, url: string, pairs: [string, string][]): string {
  const sorted = [...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHmac('sha1', authToken).update(sorted.reduce((data, [name, value]) => data + name + value, url)).digest('base64');
}

const encodePairs = (pairs: [string, string][]) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

let store: TestStore;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(async () => store.close());

const itemCount = async () => (await store.client.send(new ScanCommand({ TableName: store.tableName }))).Items?.length ?? 0;

describe('a Twilio signature covers the body exactly as it was signed', () => {
  const f = fixture('twilio/sms-incoming');
  const url = 'https://hotline.example.org/sms/twilio';
  const genuine = Object.entries(f.body) as [string, string][];
  const post = (body: string, signature: string, contentType = 'application/x-www-form-urlencoded') =>
    new Request(`http://localhost${f.path}`, { method: 'POST', headers: { 'content-type': contentType, 'x-twilio-signature': signature }, body });

  it('the hand-written signer agrees with the fixture Twilio signed', () => {
    expect(signPairs(f.authToken!, url, genuine)).toBe(f.headers!['X-Twilio-Signature']);
  });

  it('a parameter added in front of a signed body (a second Body, a second To) is refused with 403, nothing stored', async () => {
    const hotline = testHotline(store);
    const signature = f.headers!['X-Twilio-Signature']!;
    const before = await itemCount();
    for (const [name, value] of [
      ['Body', 'ЖАЛОБА forged'],
      ['To', '+447700900999'],
      ['From', '+992900000901'],
    ] as [string, string][]) {
      const response = await hotline.app.request(post(encodePairs([[name, value], ...genuine]), signature));
      expect(response.status, name).toBe(403);
    }
    // A pair repeated exactly: Twilio's SDK folds repeats into a set; the hotline counts every pair as signed.
    const repeated = await hotline.app.request(post(encodePairs([...genuine, ['Body', f.body.Body!]]), signature));
    expect(repeated.status).toBe(403);
    await hotline.deps.localQueue.drain();
    expect(await hotline.deps.localOutbox.list(hotline.deps.messages)).toEqual([]);
    expect(await itemCount()).toBe(before);
  });

  it('a body signed with a repeated name (two To values, in order) passes the signature but is refused as ambiguous', async () => {
    const hotline = testHotline(store);
    const pairs: [string, string][] = [...genuine, ['To', '+447700900999']];
    const before = await itemCount();
    const response = await hotline.app.request(post(encodePairs(pairs), signPairs('test-auth-token', url, pairs)));
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('Bad request: To is repeated');
    // Repeated values are signed in the order they arrive, not sorted: the other order is another body.
    const swapped: [string, string][] = [...genuine.filter(([k]) => k !== 'To'), ['To', '+447700900999'], ['To', f.body.To!]];
    expect((await hotline.app.request(post(encodePairs(pairs), signPairs('test-auth-token', url, swapped)))).status).toBe(403);
    expect(await itemCount()).toBe(before);
  });

  it('multipart/form-data (never sent by Twilio) is refused with 415 before anything is parsed or stored, even when signed', async () => {
    const hotline = testHotline(store);
    const boundary = 'x-safejob-test';
    const body = `${genuine.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('')}--${boundary}--\r\n`;
    const before = await itemCount();
    const response = await hotline.app.request(post(body, f.headers!['X-Twilio-Signature']!, `multipart/form-data; boundary=${boundary}`));
    expect(response.status).toBe(415);
    expect(await response.text()).toBe('Unsupported media type: send application/x-www-form-urlencoded');
    expect(await itemCount()).toBe(before);
  });

  it('the genuine body, signed, is still accepted', async () => {
    const hotline = testHotline(store);
    const response = await hotline.app.request(post(encodePairs(genuine), f.headers!['X-Twilio-Signature']!));
    expect(response.status).toBe(200);
  });
});

describe('the voice line checks the same way', () => {
  it('a second Digits in front of a signed Gather callback is refused with 403', async () => {
    const hotline = testHotline(store);
    const url = 'https://hotline.example.org/voice/twilio';
    const pairs: [string, string][] = [
      ['CallSid', 'CA00000000000000000000000000000901'],
      ['From', '+992900000902'],
      ['To', '+447700900123'],
      ['Digits', '2'],
    ];
    const signature = signPairs('test-auth-token', url, pairs);
    const request = (body: string) =>
      new Request('http://localhost/voice/twilio', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body });
    expect((await hotline.app.request(request(encodePairs(pairs)))).status).toBe(200);
    expect((await hotline.app.request(request(encodePairs([['Digits', '9'], ...pairs])))).status).toBe(403);
  });
});
