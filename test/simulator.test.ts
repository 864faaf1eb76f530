/**
 * The phone simulator's server side (infra/simulator.ts), without a browser: the page and its assets, the
 * local-only helpers, and the Twilio signer checked against Twilio's own vector and the real webhook.
 * The browser tests are in test/e2e/ (`npm run test:e2e`).
 */
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHotline, type LocalHotline } from '../infra/local';
import { SIM_RECORDINGS, simulatorRoutes, twilioSignatureFor } from '../infra/simulator';
import { loadWholeConfig } from '../shared/config-sections';
import { fixture } from './support/fixtures';

let hotline: LocalHotline;
const SIMULATOR = new URL('../simulator/', import.meta.url);

beforeAll(async () => {
  hotline = await startLocalHotline({
    PORT: '0',
    AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:0',
    TABLE_NAME: 'safejob-simulator-test',
    REPORT_JOURNAL_PATH: join(tmpdir(), `safejob-simulator-journal-${process.pid}.jsonl`),
    SEED_SAMPLE_DATA: 'false',
  });
});
afterAll(async () => hotline.stop());

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const signer = (path: string, params: Record<string, string>) =>
  fetch(`${hotline.url}/dev/sim/twilio-sign`, json({ url: path, params }));

const twilioSms = (from: string, body: string) => ({
  MessageSid: `SM${'ab'.repeat(16)}`,
  From: from,
  To: '+447700900123',
  Body: body,
  NumMedia: '0',
  NumSegments: '1',
  AccountSid: `AC${'0'.repeat(32)}`,
  ApiVersion: '2010-04-01',
});

describe('the simulator page', () => {
  it('is served at / by the local hotline, with its assets and a policy that lets nothing else in', async () => {
    const page = await fetch(`${hotline.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/dev/sim/main.js"></script>');
    expect(html).toContain('href="/dev/sim/simulator.css"');

    const style = await fetch(`${hotline.url}/dev/sim/simulator.css`);
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
    // Every module main.js imports, and the modules they import, is served as JavaScript, and with the same policy.
    const modules = (await readdir(SIMULATOR)).filter((name) => name.endsWith('.js'));
    expect(modules).toEqual(expect.arrayContaining(['main.js', 'ussd-session.js', 'sms-thread.js', 'voice-call.js', 'providers.js']));
    for (const name of modules) {
      const script = await fetch(`${hotline.url}/dev/sim/${name}`);
      expect(script.status, name).toBe(200);
      expect(script.headers.get('content-type'), name).toBe('text/javascript; charset=utf-8');
      expect(script.headers.get('content-security-policy'), name).toBe(policy);
      const source = await script.text();
      expect(source.startsWith('// @ts-check\n'), name).toBe(true);
      for (const [, imported] of source.matchAll(/^import [^']+ from '\.\/([a-z-]+\.js)';$/gm)) expect(modules, `${name} imports ${imported}`).toContain(imported);
    }
    // Nothing else: not the folder's type-checking settings, not a file outside it, not the server's own source.
    expect((await fetch(`${hotline.url}/dev/sim/tsconfig.json`)).status).toBe(404);
    expect((await fetch(`${hotline.url}/dev/sim/index.ts`)).status).toBe(404);
    expect((await fetch(`${hotline.url}/dev/sim/simulator.ts`)).status).toBe(404);
    expect((await fetch(`${hotline.url}/dev/sim/..%2Finfra%2Fsimulator.ts`)).status).toBe(404);
    expect((await fetch(`${hotline.url}/dev/sim/index.html`)).status).toBe(404);
  });

  it('needs no network: no file refers to another origin', async () => {
    const files = (await readdir(SIMULATOR)).filter((name) => /\.(html|js|css)$/.test(name));
    expect(files.length).toBeGreaterThan(3);
    for (const name of files) {
      const text = await readFile(new URL(`../simulator/${name}`, import.meta.url), 'utf8');
      // Only the hotline's own address, in the help text for when it is not running.
      expect(text, name).not.toMatch(/https?:\/\/(?!localhost:3000\/)|["'(]\/\/[a-z]|@import/i);
    }
  });

  it('is local only: nothing that is deployed imports it', async () => {
    for (const folder of ['functions', 'shared']) {
      const root = new URL(`../${folder}/`, import.meta.url);
      const files = (await readdir(root, { recursive: true })).filter((name) => name.endsWith('.ts'));
      for (const name of files) {
        expect(await readFile(new URL(name, root), 'utf8'), `${folder}/${name}`).not.toMatch(/infra\/simulator|\/simulator\//);
      }
    }
  });

  it('has a keypad of buttons named exactly 1…9, 0, *, # and the Call/Send, Clear and End keys', async () => {
    const html = await readFile(new URL('../simulator/index.html', import.meta.url), 'utf8');
    const labels = [...html.matchAll(/<button[^>]*class="key[^"]*"[^>]*aria-label="([^"]+)"/g)].map((m) => m[1]);
    expect(labels.sort()).toEqual(['#', '*', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'Call/Send', 'Clear', 'End'].sort());
    expect(html).toContain('id="voice-log"');
  });
});

describe('/dev/sim/config', () => {
  it("gives the page the service code, the limits and the numbers, but never Twilio's auth token", async () => {
    const response = await fetch(`${hotline.url}/dev/sim/config`);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({
      ussdServiceCode: '*384*1234#',
      ussdLimits: { gsm: 182, ucs2: 80 },
      atWebhookToken: null,
      twilioSigning: true,
      officerNumber: '+992900009001',
      reference: { length: 6 },
    });
    expect(text).not.toContain(hotline.deps.config.twilio.authToken!);
    expect(text).not.toContain(hotline.deps.config.phoneHashKey);
  });

  it("passes on the Africa's Talking token and a configured service code (the gateway puts both on the wire)", async () => {
    const config = loadWholeConfig({ AT_WEBHOOK_TOKEN: 'simulator-test-token-123', USSD_SERVICE_CODE: '*500*7#' });
    const response = await simulatorRoutes({ config }).request('http://localhost/dev/sim/config', { headers: { host: 'localhost:3000' } });
    expect(await response.json()).toMatchObject({ atWebhookToken: 'simulator-test-token-123', ussdServiceCode: '*500*7#' });
  });

  it('answers only a page on this machine', async () => {
    const app = simulatorRoutes({ config: loadWholeConfig({}) });
    const get = (headers: Record<string, string>) => app.request('http://localhost/dev/sim/config', { headers });
    expect((await get({ host: 'localhost:3000' })).status).toBe(200);
    expect((await get({ host: '127.0.0.1:3000' })).status).toBe(200);
    expect((await get({ host: '[::1]:3000' })).status).toBe(200);
    // DNS rebinding: another site's name pointed at 127.0.0.1.
    expect((await get({ host: 'attacker.example:3000' })).status).toBe(403);
    expect((await get({ host: 'localhost:3000', 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    // A cross-site form can post only form encodings; JSON needs a preflight that is never granted.
    const form = await app.request('http://localhost/dev/sim/twilio-sign', {
      method: 'POST',
      headers: { host: 'localhost:3000', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'url=/sms/twilio',
    });
    expect(form.status).toBe(415);
  });
});

describe('/dev/sim/measure', () => {
  it('measures a screen as the gateway does: 80 with any non-GSM character, else 182', async () => {
    const measure = async (text: string) => (await fetch(`${hotline.url}/dev/sim/measure`, json({ text }))).json();
    expect(await measure('Забон / Язык / Language')).toMatchObject({ encoding: 'ucs2', length: 23, limit: 80, smsParts: 1 });
    expect(await measure('SafeJob: free help')).toMatchObject({ encoding: 'gsm', length: 18, limit: 182 });
    // An extension-table character takes two septets; ӣ in NFD is counted once, after NFC.
    expect(await measure('{x}')).toMatchObject({ encoding: 'gsm', length: 5 });
    expect(await measure('Тоҷикӣ'.normalize('NFD'))).toMatchObject({ encoding: 'ucs2', length: 6 });
    expect((await fetch(`${hotline.url}/dev/sim/measure`, json({ nope: 1 }))).status).toBe(400);
  });
});

describe('/dev/sim/twilio-sign', () => {
  it("computes Twilio's signature: the SDK test vector and the team's fixture", () => {
    const vector = fixture('twilio/signature-vector') as unknown as { authToken: string; body: Record<string, string>; expectedSignature: string };
    const config = { publicBaseUrl: 'https://mycompany.com', twilio: { authToken: vector.authToken } };
    expect(twilioSignatureFor(config, '/myapp.php?foo=1&bar=2', vector.body)?.signature).toBe(vector.expectedSignature);

    const incoming = fixture('twilio/sms-incoming');
    const signed = twilioSignatureFor({ publicBaseUrl: 'https://hotline.example.org', twilio: { authToken: incoming.authToken } }, '/sms/twilio', incoming.body);
    expect(signed).toEqual({ url: incoming.url, signature: incoming.headers!['X-Twilio-Signature'] });
  });

  it('signs a request the real webhook accepts; a changed parameter is refused', async () => {
    const params = twilioSms('+992900000777', 'HELP');
    const response = await signer('/sms/twilio', params);
    expect(response.status).toBe(200);
    const { signature, url } = (await response.json()) as { signature: string; url: string };
    expect(url).toBe(`${hotline.deps.config.publicBaseUrl}/sms/twilio`);

    const post = (body: Record<string, string>) =>
      fetch(`${hotline.url}/sms/twilio`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams(body),
      });
    expect((await post({ ...params, Body: 'HELP me' })).status).toBe(403);
    const accepted = await post(params);
    expect(accepted.status).toBe(200);
    expect(await accepted.text()).toContain('<Response>');
    await hotline.deps.localQueue.drain();
    const outbox = (await (await fetch(`${hotline.url}/dev/outbox`)).json()) as { to: string }[];
    expect(outbox.some((message) => message.to === '+992900000777')).toBe(true);
  });

  it('signs Twilio webhook paths only, and says so when no auth token is configured', async () => {
    expect((await signer('/ussd/africastalking', {})).status).toBe(403);
    expect((await signer('https://elsewhere.example/other', {})).status).toBe(403);
    expect((await signer('/sms/twilio/status', { MessageSid: 'SM1', MessageStatus: 'delivered' })).status).toBe(200);
    expect((await fetch(`${hotline.url}/dev/sim/twilio-sign`, json({ url: '/sms/twilio' }))).status).toBe(400);

    const config = loadWholeConfig({});
    const app = simulatorRoutes({ config: { ...config, twilio: { ...config.twilio, authToken: undefined } } });
    const response = await app.request('http://localhost/dev/sim/twilio-sign', {
      ...json({ url: '/sms/twilio', params: {} }),
      headers: { host: 'localhost', 'content-type': 'application/json' },
    });
    expect(response.status).toBe(409);
  });
});

describe('/dev/sim/recordings', () => {
  const wav = (size: number) => {
    const bytes = new Uint8Array(size);
    bytes.set([0x52, 0x49, 0x46, 0x46]); // RIFF
    return bytes;
  };
  const upload = (body: Uint8Array, type = 'audio/wav', base = hotline.url) =>
    fetch(`${base}/dev/sim/recordings`, { method: 'POST', headers: { 'content-type': type }, body });

  it('stores a recording and serves it back at the URL it gives, for the hotline to keep', async () => {
    const response = await upload(wav(1000));
    expect(response.status).toBe(201);
    const stored = (await response.json()) as { id: string; path: string; url: string; bytes: number };
    expect(stored.path).toMatch(/^\/dev\/sim\/recordings\/[0-9a-f]{24}$/);
    expect(stored.url).toBe(`${hotline.url}${stored.path}`);
    expect(stored.bytes).toBe(1000);
    const served = await fetch(stored.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('audio/wav');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(wav(1000));
    expect((await fetch(stored.url, { method: 'HEAD' })).status).toBe(200); // the page checks a Play with HEAD
    // What the browser records: Opus in WebM, with its codecs parameter.
    const webm = (await (await upload(new Uint8Array([0x1a, 0x45, 0xdf, 0xa3]), 'audio/webm;codecs=opus')).json()) as { url: string };
    expect((await fetch(webm.url)).headers.get('content-type')).toBe('audio/webm');
    expect((await fetch(`${hotline.url}/dev/sim/recordings/${'0'.repeat(24)}`)).status).toBe(404);
    expect((await fetch(`${hotline.url}/dev/sim/recordings/..%2F..%2Fpackage.json`)).status).toBe(404);
  });

  it('takes audio only, and not an empty one', async () => {
    for (const type of ['application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'image/png', 'audio/x-unknown', 'text/html']) {
      expect((await upload(wav(100), type)).status, type).toBe(415);
    }
    expect((await upload(new Uint8Array(0))).status).toBe(400);
  });

  it(`is size-limited (${SIM_RECORDINGS.maxBytes} bytes), whether or not the request says its length`, async () => {
    expect((await upload(wav(SIM_RECORDINGS.maxBytes))).status).toBe(201);
    expect((await upload(wav(SIM_RECORDINGS.maxBytes + 1))).status).toBe(413);
    // Streamed without a Content-Length: counted as it arrives.
    const app = simulatorRoutes({ config: loadWholeConfig({}) });
    const chunk = new Uint8Array(256 * 1024);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > SIM_RECORDINGS.maxBytes) controller.close();
        else {
          sent += chunk.length;
          controller.enqueue(chunk);
        }
      },
    });
    const streamed = await app.request(
      new Request('http://localhost/dev/sim/recordings', {
        method: 'POST',
        headers: { host: 'localhost:3000', 'content-type': 'audio/wav' },
        body: stream,
        duplex: 'half',
      } as RequestInit),
    );
    expect(streamed.status).toBe(413);
  });

  it('answers only a page on this machine, like the other helpers', async () => {
    const app = simulatorRoutes({ config: loadWholeConfig({}) });
    const post = (headers: Record<string, string>) =>
      app.request('http://localhost/dev/sim/recordings', { method: 'POST', headers: { 'content-type': 'audio/wav', ...headers }, body: wav(10) });
    const ok = await post({ host: 'localhost:3000' });
    expect(ok.status).toBe(201);
    const { path } = (await ok.json()) as { path: string };
    expect((await app.request(`http://localhost${path}`, { headers: { host: '127.0.0.1:3000' } })).status).toBe(200);
    // DNS rebinding: another site's name pointed at 127.0.0.1, neither uploads nor reads a caller's message.
    expect((await post({ host: 'attacker.example:3000' })).status).toBe(403);
    expect((await app.request(`http://localhost${path}`, { headers: { host: 'attacker.example' } })).status).toBe(403);
    expect((await post({ host: 'localhost:3000', 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await app.request(`http://localhost${path}`, { headers: { host: 'localhost', 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    // The audio types are allowed on this route only; the others still take JSON alone.
    const signer = await app.request('http://localhost/dev/sim/twilio-sign', { method: 'POST', headers: { host: 'localhost', 'content-type': 'audio/wav' }, body: '{}' });
    expect(signer.status).toBe(415);
  });

  it(`keeps the last ${SIM_RECORDINGS.kept} recordings, so that memory stays bounded`, async () => {
    const app = simulatorRoutes({ config: loadWholeConfig({}) });
    const paths: string[] = [];
    for (let i = 0; i <= SIM_RECORDINGS.kept; i++) {
      const response = await app.request('http://localhost/dev/sim/recordings', {
        method: 'POST',
        headers: { host: 'localhost', 'content-type': 'audio/wav' },
        body: wav(10),
      });
      paths.push(((await response.json()) as { path: string }).path);
    }
    const status = async (path: string) => (await app.request(`http://localhost${path}`, { headers: { host: 'localhost' } })).status;
    expect(await status(paths[0]!)).toBe(404);
    expect(await status(paths[1]!)).toBe(200);
    expect(await status(paths.at(-1)!)).toBe(200);
  });
});

describe('/dev/sim/config for the voice line', () => {
  it("gives the voice numbers and the base URL the voice line's callback URLs start with", async () => {
    const response = await fetch(`${hotline.url}/dev/sim/config`);
    expect(await response.json()).toMatchObject({
      voiceNumbers: { africastalking: '+254711082000', twilio: '+447700900123' },
      publicBaseUrl: hotline.deps.config.publicBaseUrl,
      recordingMaxBytes: SIM_RECORDINGS.maxBytes,
    });
  });
});

