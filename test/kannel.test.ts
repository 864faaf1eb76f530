/**
 * The Kannel adapter without a Kannel: its request fixtures (test/fixtures/kannel/, in the form Kannel 1.4.5 sends
 * them), the webhooks on a test store, the sender against nock, and the Tajik operator table.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { kannelParams, parseKannelSms, parseKannelUssd, parseMetaData, ussdReplyMetaData, type KannelUssd } from '../shared/channels/kannel';
import { KANNEL_DLR_MASK, kannelSender, kannelSmscFor, type KannelSending } from '../shared/channels/kannel-sender';
import { OPERATOR_PREFIXES, mobileOperatorOf } from '../shared/channels/mobile-operators';
import { loadConfig } from '../shared/config';
import { createLogger } from '../shared/log';
import { PROVIDER_TIMEOUT_MS } from '../shared/ports';
import { RegistryRepository } from '../shared/store/registry';
import { startTestStore, type TestStore } from './support/dynalite';
import { injectTargetedFaults, recordStoreCalls } from './support/faults';
import { freePort } from './support/kannel';
import { FIXTURES_DIR } from './support/fixtures';
import { testHotline } from './support/hotline';
import { sampleRegistryEntries } from './support/registry';

interface KannelFixture {
  description: string;
  method: 'GET' | 'POST';
  path: string;
  contentType?: string;
  rawBody?: string;
  expect: {
    status: number;
    reason?: string;
    sms?: { from: string; to: string; id: string; smsc?: string; text: string };
    ussd?: { op: number; sessionInfo: string; text: string; from: string };
  };
}

const FIXTURE_TOKEN = 'kannel-fixture-token-0123456789';
const fixtures = readdirSync(join(FIXTURES_DIR, 'kannel'))
  .filter((name) => name.endsWith('.json'))
  .map((name) => [name.replace(/\.json$/, ''), JSON.parse(readFileSync(join(FIXTURES_DIR, 'kannel', name), 'utf8')) as KannelFixture] as const);

const request = (f: Pick<KannelFixture, 'method' | 'path' | 'contentType' | 'rawBody'>, path = f.path) =>
  new Request(`http://localhost${path}`, {
    method: f.method,
    ...(f.method === 'POST' ? { headers: { 'content-type': f.contentType ?? 'text/plain' }, body: f.rawBody ?? '' } : {}),
  });

let store: TestStore;
const logLines: string[] = [];
beforeAll(async () => {
  store = await startTestStore('safejob-kannel-unit');
  await new RegistryRepository(store.client, store.tableName).putEntries(sampleRegistryEntries());
});
afterAll(async () => store.close());

const hotlineWith = (env: Record<string, string> = {}) =>
  testHotline(store, { KANNEL_WEBHOOK_TOKEN: FIXTURE_TOKEN, ...env }, createLogger('kannel-unit', (line) => logLines.push(line)));
const items = async () => (await store.client.send(new ScanCommand({ TableName: store.tableName }))).Items ?? [];
const outbox = async (hotline: ReturnType<typeof testHotline>) => {
  await hotline.deps.localQueue.drain();
  return hotline.deps.localOutbox.list(hotline.deps.messages);
};
const withQuery = (path: string, changes: Record<string, string | undefined>) => {
  const [route, query] = path.split('?') as [string, string];
  const pairs = query.split('&').filter((pair) => !(pair.split('=')[0]! in changes));
  for (const [name, value] of Object.entries(changes)) if (value !== undefined) pairs.push(`${name}=${value}`);
  return `${route}?${pairs.join('&')}`;
};

describe('the Kannel fixtures, parsed', () => {
  it.each(fixtures)('%s', async (name, f) => {
    const params = await kannelParams(request(f));
    const parsed = name.startsWith('ussd-') ? parseKannelUssd(params) : parseKannelSms(params);
    if (f.expect.status !== 200) {
      expect(parsed.ok).toBe(false);
      expect(!parsed.ok && parsed.reason).toContain(f.expect.reason);
      return;
    }
    expect(parsed.ok, !parsed.ok ? parsed.reason : '').toBe(true);
    if (!parsed.ok) return;
    if (f.expect.sms) expect(parsed.data).toEqual(f.expect.sms);
    if (f.expect.ussd) {
      const { op, sessionInfo, text, from } = parsed.data as KannelUssd;
      expect({ op, sessionInfo: sessionInfo.toString('hex'), text, from }).toEqual(f.expect.ussd);
    }
  });

  it('reads meta-data values as bytes, and refuses what is not in its form', () => {
    const meta = parseMetaData('?smpp?ussd_service_op=%01&its_session_info=%124&?other?a=b&');
    expect(meta?.get('smpp')?.get('its_session_info')).toEqual(Buffer.from([0x12, 0x34]));
    expect(meta?.get('other')?.get('a')?.toString()).toBe('b');
    expect(parseMetaData('?smpp?ussd_service_op')).toBeUndefined();
    expect(parseMetaData('smpp?x=1')).toBeUndefined();
  });

  it("renders the reply's TLVs: 02 for a menu, 17 for the last screen, its_session_info echoed byte for byte", () => {
    expect(ussdReplyMetaData({ end: false, text: 'x' }, Buffer.from([0x2a, 0x01]))).toBe('?smpp?ussd_service_op=02&its_session_info=%2A%01');
    expect(ussdReplyMetaData({ end: true, text: 'x' }, Buffer.from([0x07, 0x00]))).toBe('?smpp?ussd_service_op=17&its_session_info=%07%00');
    expect(ussdReplyMetaData({ end: true, text: 'x' }, Buffer.alloc(0))).toBe('?smpp?ussd_service_op=17');
  });
});

describe('GET/POST /sms/kannel', () => {
  it.each(fixtures.filter(([name]) => name.startsWith('sms-')))('%s', async (_name, f) => {
    const hotline = hotlineWith();
    const before = (await items()).length;
    const response = await hotline.app.request(request(f));
    expect(response.status).toBe(f.expect.status);
    if (f.expect.status === 200) {
      // Empty: the answer leaves through the outbox (max-messages = 0 in the sample kannel.conf).
      expect(await response.text()).toBe('');
      expect((await outbox(hotline)).map((m) => m.to)).toEqual([f.expect.sms!.from]);
    } else {
      expect(await response.text()).toContain(f.expect.reason);
      expect((await items()).length).toBe(before);
    }
  });

  it('answers a message once however often Kannel retries it (%I)', async () => {
    const hotline = hotlineWith();
    const f = fixtures.find(([name]) => name === 'sms-incoming')![1];
    const path = withQuery(f.path, { id: 'retry-0001', from: '%2B992900000711' });
    for (let i = 0; i < 3; i++) expect((await hotline.app.request(request(f, path))).status).toBe(200);
    const sent = await outbox(hotline);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: '+992900000711', provider: 'local', status: 'sent' });
    expect(sent[0]!.text).toMatch(/^Ширкати Ҷаҳонгир Сафар \(SAMPLE\): ЛИЦЕНЗИЯ ЕСТЬ/);
  });

  it('refuses a missing or wrong token with 403 and changes nothing', async () => {
    const hotline = hotlineWith();
    const f = fixtures.find(([name]) => name === 'sms-incoming')![1];
    const before = (await items()).length;
    for (const token of [undefined, 'wrong-token-0123456789', `${FIXTURE_TOKEN}x`]) {
      const response = await hotline.app.request(request(f, withQuery(f.path, { token, id: 'tok-0001' })));
      expect(response.status).toBe(403);
    }
    expect((await items()).length).toBe(before);
    expect(await outbox(hotline)).toEqual([]);
  });
});

describe('GET /sms/kannel/delivery', () => {
  async function sentThroughKannel(hotline: ReturnType<typeof testHotline>, id: string) {
    await hotline.deps.messages.recordQueued({ id, toKey: 'k', toLast4: '0001', createdAt: new Date().toISOString() });
    // The sender records our own id as Kannel's: the dlr-url carries it.
    await hotline.deps.messages.recordSent(id, 'kannel', id, 1);
  }
  const report = (hotline: ReturnType<typeof testHotline>, id: string, type: string, token = FIXTURE_TOKEN) =>
    hotline.app.request(`/sms/kannel/delivery?id=${id}&type=${type}&token=${token}`);

  it('moves the status forward on 8 then 1, and never back on a late 8', async () => {
    const hotline = hotlineWith();
    await sentThroughKannel(hotline, 'dlr-0001');
    expect((await report(hotline, 'dlr-0001', '8')).status).toBe(200);
    expect((await hotline.deps.messages.get('dlr-0001'))?.status).toBe('sent');
    expect((await report(hotline, 'dlr-0001', '1')).status).toBe(200);
    expect((await report(hotline, 'dlr-0001', '8')).status).toBe(200);
    expect((await hotline.deps.messages.get('dlr-0001'))?.status).toBe('delivered');
  });

  it('applies a report that overtakes the outbox recording the send (Kannel reports within milliseconds)', async () => {
    const hotline = hotlineWith();
    await hotline.deps.messages.recordQueued({ id: 'dlr-early', toKey: 'k', toLast4: '0001', createdAt: new Date().toISOString() });
    expect((await report(hotline, 'dlr-early', '8')).status).toBe(200);
    expect((await hotline.deps.messages.get('dlr-early'))?.status).toBe('sent');
    // "Delivered" arrives before the outbox records the send: the status stays, and who sent it is still recorded.
    expect((await report(hotline, 'dlr-early', '1')).status).toBe(200);
    await hotline.deps.messages.recordSent('dlr-early', 'kannel', 'dlr-early', 1);
    expect(await hotline.deps.messages.get('dlr-early')).toMatchObject({
      status: 'delivered',
      provider: 'kannel',
      providerMessageId: 'dlr-early',
      attempts: 1,
    });
    expect((await report(hotline, 'dlr-unknown', '1')).status).toBe(200);
    expect(await hotline.deps.messages.get('dlr-unknown')).toBeUndefined();
  });

  it.each([
    ['2', 'failed'],
    ['16', 'failed'],
    ['4', 'sent'],
    ['32', 'sent'],
  ])('type %s leaves the message %s', async (type, status) => {
    const hotline = hotlineWith();
    const id = `dlr-type-${type}`;
    await sentThroughKannel(hotline, id);
    expect((await report(hotline, id, type)).status).toBe(200);
    expect(await hotline.deps.messages.get(id)).toMatchObject({ status, ...(status === 'failed' ? { lastError: `Kannel DLR type ${type}` } : {}) });
  });

  it('refuses a wrong token (403) or a report without its type (400), changing nothing', async () => {
    const hotline = hotlineWith();
    await sentThroughKannel(hotline, 'dlr-0002');
    expect((await report(hotline, 'dlr-0002', '1', 'wrong-token-0123456789')).status).toBe(403);
    expect((await hotline.app.request(`/sms/kannel/delivery?id=dlr-0002&token=${FIXTURE_TOKEN}`)).status).toBe(400);
    expect((await report(hotline, 'dlr-0002', 'x')).status).toBe(400);
    expect((await hotline.deps.messages.get('dlr-0002'))?.status).toBe('sent');
  });
});

/** The polite last screen (common.unavailable) in Tajik. */
const BUSY_TG = 'Бубахшед, хидмат банд аст. Пас аз як дақиқа кӯшиш кунед.';

describe('GET /ussd/kannel', () => {
  const dial = fixtures.find(([name]) => name === 'ussd-dial')![1];
  const answer = fixtures.find(([name]) => name === 'ussd-answer')![1];
  const ussdItems = async () => (await items()).filter((item) => String(item.sk).startsWith('USSD#'));
  const screen = async (response: Response) => ({
    status: response.status,
    body: await response.text(),
    coding: response.headers.get('x-kannel-coding'),
    meta: response.headers.get('x-kannel-meta-data'),
    binfo: response.headers.get('x-kannel-binfo'),
  });

  it('keeps the path in the store: the dial, an answer, and the same answer delivered twice', async () => {
    const hotline = hotlineWith();
    expect(await screen(await hotline.app.request(request(dial)))).toEqual({
      status: 200,
      body: 'Забон / Язык\n1. Тоҷикӣ\n2. Русский\n3. English\n4. Oʻzbekcha\n5. Кыргызча',
      coding: '2',
      meta: '?smpp?ussd_service_op=02&its_session_info=%2A%01',
      binfo: 'USSD',
    });
    const main = '1. Санҷиши ширкат/рақам\n2. Шикоят аз фиреб\n98. Давом';
    expect(await screen(await hotline.app.request(request(answer)))).toMatchObject({ status: 200, body: main, meta: '?smpp?ussd_service_op=02&its_session_info=%2A%03' });
    expect(await screen(await hotline.app.request(request(answer)))).toMatchObject({ status: 200, body: main });
    const callerKey = hotline.deps.callerKey('+992900000889');
    expect((await hotline.deps.ussdSessions.read(callerKey, '2a')).session).toMatchObject({ path: ['1'], lastMessageId: '5d75ee59-7582-43ee-b48d-d6b0edbf27c7' });
    // Keyed by the caller's hash: the raw number is nowhere in the table.
    expect(JSON.stringify(await items())).not.toMatch(/900000889/);
  });

  it('ends an answer to a session it does not hold (expired) politely, in the caller language, storing nothing', async () => {
    const hotline = hotlineWith();
    const before = await ussdItems();
    const response = await screen(await hotline.app.request(request(answer, withQuery(answer.path, { from: '%2B992900000893', id: 'expired-0001' }))));
    expect(response).toMatchObject({ status: 200, meta: '?smpp?ussd_service_op=17&its_session_info=%2A%03', body: BUSY_TG });
    expect(await ussdItems()).toEqual(before);
  });

  it('treats an expired session as absent', async () => {
    let now = Date.now();
    const { UssdSessionRepository, USSD_SESSION_TTL_SECONDS } = await import('../shared/store/ussd-sessions');
    const sessions = new UssdSessionRepository(store.client, store.tableName, () => now);
    await sessions.save('ttl-caller', '01', { uid: 'u', path: ['1'], lastMessageId: 'm' });
    expect((await sessions.read('ttl-caller', '01')).session).toEqual({ uid: 'u', path: ['1'], lastMessageId: 'm' });
    now += (USSD_SESSION_TTL_SECONDS + 1) * 1000;
    expect((await sessions.read('ttl-caller', '01')).session).toBeUndefined();
  });

  it.each(fixtures.filter(([name, f]) => name.startsWith('ussd-') && f.expect.status !== 200))('%s: 400, nothing stored', async (_name, f) => {
    const hotline = hotlineWith();
    const before = (await items()).length;
    const response = await hotline.app.request(request(f));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(f.expect.reason);
    expect((await items()).length).toBe(before);
  });

  it('refuses a wrong token with 403', async () => {
    const hotline = hotlineWith();
    const before = (await items()).length;
    expect((await hotline.app.request(request(dial, withQuery(dial.path, { token: 'nope-nope-nope-nope' })))).status).toBe(403);
    expect((await items()).length).toBe(before);
  });

  it('a store that does not answer: the polite last screen, and no session half-stored', async () => {
    const hotline = hotlineWith();
    const faults = injectTargetedFaults(hotline.deps.db);
    const from = '%2B992900000894';
    faults.fail({ command: 'BatchGetItem', item: '', when: 'before' });
    const failedRead = await screen(await hotline.app.request(request(dial, withQuery(dial.path, { from, id: 'fault-1' }))));
    expect(failedRead).toMatchObject({ status: 200, meta: '?smpp?ussd_service_op=17&its_session_info=%2A%01' });
    expect(failedRead.body).toBe(BUSY_TG);
    faults.fail({ command: 'PutItem', item: 'CALLER', when: 'before' });
    const failedWrite = await screen(await hotline.app.request(request(dial, withQuery(dial.path, { from, id: 'fault-2' }))));
    expect(failedWrite).toMatchObject({ status: 200, meta: '?smpp?ussd_service_op=17&its_session_info=%2A%01' });
    expect(faults.hits).toBe(2);
    expect((await hotline.deps.ussdSessions.read(hotline.deps.callerKey('+992900000894'), '2a')).session).toBeUndefined();
  });

  it('costs one read and one write per step, and a check its counter (measured at the SDK)', async () => {
    const hotline = hotlineWith();
    // The registry index is held in memory (read at most every 30 s), not per step.
    await hotline.deps.registry.get();
    const calls = recordStoreCalls(hotline.deps.db);
    const from = '%2B992900000895';
    const step = async (f: KannelFixture, changes: Record<string, string>) => {
      calls.reset();
      expect((await hotline.app.request(request(f, withQuery(f.path, { from, ...changes })))).status).toBe(200);
      return calls.reset().map((call) => `${call.kind} ${call.command} ${call.item}`);
    };
    expect(await step(dial, { id: 'trip-0' })).toEqual(['read BatchGetItem -', 'write PutItem CALLER']);
    // Choosing the language also remembers it (as on Africa's Talking), the one extra write of a session.
    expect(await step(answer, { id: 'trip-1', text: '1' })).toEqual(['read BatchGetItem -', 'write PutItem CALLER', 'write PutItem CALLER']);
    expect(await step(answer, { id: 'trip-2', text: '1' })).toEqual(['read BatchGetItem -', 'write PutItem CALLER']);
    expect(await step(answer, { id: 'trip-3', text: '1' })).toEqual(['read BatchGetItem -', 'write PutItem CALLER']);
    // A check adds the analysts' daily counter.
    expect(await step(answer, { id: 'trip-4', text: 'SAMPLE-TJ-0001' })).toEqual(['read BatchGetItem -', 'write UpdateItem VERIFICATIONS', 'write PutItem CALLER']);
  });
});

describe('the Kannel sender', () => {
  const KANNEL = 'http://kannel.example.org:13013';
  const sending: KannelSending = {
    sendsmsUrl: `${KANNEL}/cgi-bin/sendsms`,
    username: 'hotline',
    password: 'sendsms-secret',
    from: '1234',
    smscRoutes: { megafon: 'SMPP_MEGAFON', tcell: 'SMPP_TCELL', '*': 'SMPP_DEFAULT' },
  };
  const sender = kannelSender(sending, { publicBaseUrl: 'https://hotline.example.org', webhookToken: 'dlr-token-0123456789' });
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it('sends Cyrillic as UTF-8 into UCS-2, through the operator bind, with a delivery report URL for our id', async () => {
    let query: Record<string, string> = {};
    nock(KANNEL)
      .get('/cgi-bin/sendsms')
      .query((q) => ((query = q as Record<string, string>), true))
      .reply(202, '0: Accepted for delivery');
    expect(await sender.send('+992900000721', 'Ҳисоб: литсензия дуруст аст', 'msg-0001')).toEqual({ ok: true, providerMessageId: 'msg-0001' });
    expect(query).toEqual({
      username: 'hotline',
      password: 'sendsms-secret',
      to: '+992900000721',
      text: 'Ҳисоб: литсензия дуруст аст',
      from: '1234',
      charset: 'UTF-8',
      coding: '2',
      smsc: 'SMPP_MEGAFON',
      'dlr-mask': String(KANNEL_DLR_MASK),
      'dlr-url': 'https://hotline.example.org/sms/kannel/delivery?id=msg-0001&type=%d&token=dlr-token-0123456789',
    });
  });

  it('sends GSM text without UCS-2, and a non-Tajik number through the catch-all bind', async () => {
    let query: Record<string, string> = {};
    nock(KANNEL)
      .get('/cgi-bin/sendsms')
      .query((q) => ((query = q as Record<string, string>), true))
      .reply(202, '3: Queued for later delivery');
    expect(await sender.send('+447700900123', 'Reply HELP for help', 'msg-0002')).toMatchObject({ ok: true });
    expect(query).toMatchObject({ charset: 'UTF-8', smsc: 'SMPP_DEFAULT', text: 'Reply HELP for help' });
    expect(query.coding).toBeUndefined();
  });

  it.each([
    [403, 'Authorization failed for sendsms', false],
    [400, 'Missing receiver number', false],
    [503, 'Temporal failure, try again later.', true],
    [500, 'Internal error', true],
  ])('HTTP %i is a failure (retryable: %s)', async (status, body, retryable) => {
    nock(KANNEL).get('/cgi-bin/sendsms').query(true).reply(status, body);
    expect(await sender.send('+992930000722', 'HELP', 'msg-0003')).toEqual({ ok: false, retryable, reason: `HTTP ${status}: ${body}` });
  });

  it('a Kannel that refuses the connection is retryable', async () => {
    // A real refusal: a loopback port nobody listens on.
    nock.enableNetConnect('127.0.0.1');
    try {
      const down = kannelSender({ ...sending, sendsmsUrl: `http://127.0.0.1:${await freePort()}/cgi-bin/sendsms` }, { publicBaseUrl: 'https://hotline.example.org' });
      expect(await down.send('+992930000723', 'HELP', 'msg-0004')).toMatchObject({ ok: false, retryable: true, reason: expect.stringMatching(/fetch failed|ECONNREFUSED/) });
    } finally {
      nock.disableNetConnect();
    }
  });

  it('a Kannel that hangs is given up after PROVIDER_TIMEOUT_MS, not before', async () => {
    // A real sendsms that takes the request and never answers, on loopback.
    const hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/cgi-bin/sendsms`;
    nock.enableNetConnect('127.0.0.1');
    // A fake clock, as for the other senders (test/faults.test.ts).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const sent = kannelSender({ ...sending, sendsmsUrl: url }, { publicBaseUrl: 'https://hotline.example.org' }).send('+992930000724', 'HELP', 'msg-0005');
      // The request reaches the server before the clock moves.
      await new Promise((resolve) => hanging.once('request', resolve));
      let settled = false;
      void sent.then(() => (settled = true));
      await vi.advanceTimersByTimeAsync(PROVIDER_TIMEOUT_MS - 1);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(await sent).toEqual({ ok: false, retryable: true, reason: `no answer within ${PROVIDER_TIMEOUT_MS} ms` });
    } finally {
      vi.useRealTimers();
      nock.disableNetConnect();
      hanging.closeAllConnections();
      await new Promise<void>((resolve) => hanging.close(() => resolve()));
    }
  });
});

describe('the Tajik, Uzbek and Kyrgyz operators by prefix', () => {
  it.each([
    ['+992935551122', 'tcell'],
    ['+992110000001', 'tcell'],
    ['+992900000001', 'megafon'],
    ['+992000000001', 'megafon'],
    ['+992918000001', 'zet-mobile'],
    ['+992440000001', 'zet-mobile'],
    ['+992449000001', 'zet-mobile'],
    ['+992980000001', 'babilon-m'],
    ['+992170000001', 'babilon-m'],
    ['+992200000001', 'o-mobile'],
    ['+992290000001', 'o-mobile'],
    ['+992300000001', 'o-mobile'],
    ['+998900001001', 'beeline-uz'],
    ['+998935551122', 'ucell'],
    ['+998500000001', 'ucell'],
    ['+998970000001', 'mobiuz'],
    ['+998880000001', 'mobiuz'],
    ['+998990000001', 'uzmobile'],
    ['+998980000001', 'perfectum'],
    ['+998330000001', 'humans'],
    ['+996770000001', 'beeline-kg'],
    ['+996999000001', 'beeline-kg'],
    ['+996555000001', 'megacom'],
    ['+996998000001', 'megacom'],
    ['+996700000101', 'o-kg'],
  ])('%s is %s', (number, operator) => {
    expect(mobileOperatorOf(number)).toBe(operator);
  });

  it('names no operator for a prefix nobody has, a short number, or another country', () => {
    for (const number of ['+992441000001', '+992600000001', '+99290000001', '+447700900123', '992900000001', '+998610000001', '+996510000001', '+99890000100']) {
      expect(mobileOperatorOf(number)).toBeUndefined();
    }
  });

  it('gives every prefix to one operator only, none the start of another operator', () => {
    const all = OPERATOR_PREFIXES.flatMap(({ code, digits, prefixes }) =>
      Object.entries(prefixes).flatMap(([operator, list]) => list.map((prefix) => ({ operator, prefix: `${code}${prefix}`, length: code.length + digits }))),
    );
    for (const a of all) {
      for (const b of all) if (a !== b && b.prefix.startsWith(a.prefix)) expect(b.operator).toBe(a.operator);
      expect(mobileOperatorOf(a.prefix.padEnd(a.length, '5'))).toBe(a.operator);
    }
  });

  it('chooses the Kannel smsc by operator, then the catch-all, else none', () => {
    expect(kannelSmscFor('+992935551122', { tcell: 'T', '*': 'D' })).toBe('T');
    expect(kannelSmscFor('+992900000001', { tcell: 'T', '*': 'D' })).toBe('D');
    expect(kannelSmscFor('+992900000001', { tcell: 'T' })).toBeUndefined();
  });
});

describe('the Kannel configuration', () => {
  const base = { KANNEL_SENDSMS_URL: 'http://kannel:13013/cgi-bin/sendsms', KANNEL_USERNAME: 'hotline', KANNEL_PASSWORD: 'pw' };

  it('reads credentials, sender, token and per-operator binds; SMS_ROUTES accepts kannel', () => {
    const config = loadConfig({ ...base, KANNEL_FROM: 'SafeJob', KANNEL_WEBHOOK_TOKEN: FIXTURE_TOKEN, KANNEL_SMSC_ROUTES: 'tcell=SMPP_TCELL, *=SMPP_ANY', SMS_ROUTES: '+992=kannel,*=twilio' });
    expect(config.kannel).toEqual({
      webhookToken: FIXTURE_TOKEN,
      sending: { sendsmsUrl: base.KANNEL_SENDSMS_URL, username: 'hotline', password: 'pw', from: 'SafeJob', smscRoutes: { tcell: 'SMPP_TCELL', '*': 'SMPP_ANY' } },
    });
    expect(config.sms.routes).toEqual([{ prefix: '+992', provider: 'kannel' }, { prefix: '*', provider: 'twilio' }]);
  });

  it.each([
    [{ KANNEL_SENDSMS_URL: base.KANNEL_SENDSMS_URL }, ['KANNEL_USERNAME', 'KANNEL_PASSWORD']],
    [{ ...base, KANNEL_SENDSMS_URL: 'ftp://kannel/sendsms' }, ['KANNEL_SENDSMS_URL']],
    [{ ...base, KANNEL_SMSC_ROUTES: 'beeline=SMPP_X' }, ['KANNEL_SMSC_ROUTES']],
    [{ ...base, KANNEL_FROM: 'A sender far too long' }, ['KANNEL_FROM']],
    [{ KANNEL_WEBHOOK_TOKEN: 'short' }, ['KANNEL_WEBHOOK_TOKEN']],
    [{ ...base, HOTLINE_MODE: 'aws', AT_WEBHOOK_TOKEN: FIXTURE_TOKEN, PHONE_HASH_KEY: 'k'.repeat(32), PUBLIC_BASE_URL: 'https://x.example' }, ['KANNEL_WEBHOOK_TOKEN']],
  ])('names what is wrong: %j', (env, names) => {
    let message = '';
    try {
      loadConfig(env as Record<string, string>);
    } catch (error) {
      message = (error as Error).message;
    }
    const named = [...message.matchAll(/^- (\w+):/gm)].map((m) => m[1]);
    expect(named).toEqual(names);
  });
});
