import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createVoiceApp } from '../functions/voice/app';
import type { Report } from '../shared/domain/report';
import { PROMPTS, type Lang } from '../shared/domain/prompts';
import { submitReport } from '../shared/intake';
import { createLogger } from '../shared/log';
import { OfficerRepository } from '../shared/store/officers';
import { RegistryRepository } from '../shared/store/registry';
import { startTestStore, type TestStore } from './support/dynalite';
import { fixture, fixtureRequest, formBody } from './support/fixtures';
import { testHotline } from './support/hotline';
import { sampleRegistryEntries } from './support/registry';
import { strictXmlError } from './support/strict-xml';

const BASE = 'https://hotline.example.org';
const AUTH_TOKEN = 'test-auth-token';
const OFFICER_PHONES = { level1: ['+992900009101', '+992900009102'], level2: ['+992900009103'] };
/** A registry name as hostile as a CSV file can make it. */
const HOSTILE_NAME = `Evil <b>&amp; "Jobs" 'Ltd'</b> (SAMPLE)`;
const HOSTILE_PHONE = '+992900009999';

let store: TestStore;
const logLines: string[] = [];
type Hotline = ReturnType<typeof testHotline>;

beforeAll(async () => {
  store = await startTestStore();
  const [first] = sampleRegistryEntries();
  await new RegistryRepository(store.client, store.tableName).putEntries([
    ...sampleRegistryEntries(),
    { ...first!, id: 'hostile', name: HOSTILE_NAME, aliases: [], licenceNumber: 'EVIL-0666', phones: [HOSTILE_PHONE], websites: [] },
  ]);
  const hotline = hotlineWith();
  const officer = (phone: string, name: string, level: number) => ({
    key: hotline.deps.callerKey(phone),
    name,
    phone,
    role: 'officer' as const,
    languages: ['ru' as Lang],
    level,
  });
  await new OfficerRepository(store.client, store.tableName).putOfficers([
    officer(OFFICER_PHONES.level1[0]!, 'Aziz', 1),
    officer(OFFICER_PHONES.level1[1]!, 'Emma', 1),
    officer(OFFICER_PHONES.level2[0]!, 'Farrukh', 2),
  ]);
});
afterAll(async () => store.close());
beforeEach(() => {
  logLines.length = 0;
});

function hotlineWith(env: Record<string, string> = {}): Hotline {
  return testHotline(store, env, createLogger('test', (line) => logLines.push(line)));
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  alwaysCreateTextNode: true,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

interface Answer {
  status: number;
  type: string | null;
  body: string;
  xml: any;
}

async function send(app: Hotline['app'], request: Request): Promise<Answer> {
  const response = await app.request(request);
  const body = await response.text();
  const xml = response.status === 200 ? (expect(strictXmlError(body), body).toBeUndefined(), parser.parse(body).Response[0]) : undefined;
  return { status: response.status, type: response.headers.get('content-type'), body, xml };
}

/** Everything the caller hears in a response, in document order, as text (recordings as `play:<url>`). */
function heardText(body: string): string[] {
  return [...body.matchAll(/<(Say|Play)([^>]*?)(\/>|>([^<]*)<\/\1>)/g)].map(([, tag, attrs, , text]) =>
    tag === 'Play' ? `play:${/url="([^"]*)"/.exec(attrs!)?.[1] ?? text}` : decode(text ?? ''),
  );
}
const decode = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
/** The digits played from the committed Russian digit recordings (prompts/audio/ru/), in order. */
const recordedDigits = (body: string) =>
  heardText(body)
    .map((item) => /^play:.*\/audio\/ru\/voice\.digit\.(\d)\.wav$/.exec(item)?.[1] ?? '')
    .join('');

const text = (lang: Lang, key: string) => (PROMPTS[lang] as Record<string, string>)[key]!;

/** A number officers confirmed a scam in these tests. */
const CONFIRMED_PHONE = '+992927000777';

/** The revoked agency's number (+992900001003): the warning is heard right after the digits, never "official contact". */
function expectWarningFirst(heard: string[], lang: Lang) {
  const at = heard.findIndex((line) => line.includes(text(lang, 'voice.phone.officialWarning')));
  expect(at, heard.join(' | ')).toBeGreaterThan(-1);
  expect(heard.slice(0, at).join(' ')).not.toContain(text(lang, 'status.revoked'));
  const said = heard.join(' ');
  expect(said).toContain(text(lang, 'status.revoked'));
  expect(said).toContain(text(lang, 'voice.licence.warning'));
  expect(said).not.toContain(text(lang, 'voice.phone.official'));
}

function expectConfirmed(said: string, lang: Lang) {
  expect(said).toContain(`${text(lang, 'voice.phone.confirmed')} 24.11.2026`);
  expect(said).not.toContain(text(lang, 'voice.phone.none'));
}

// ----------------------------------------------------------------------------------------------------------------
// Twilio

const twilioBase = fixture('twilio/voice-gather-digits').body;

/** A Twilio callback to `url` (an action URL the hotline rendered), signed over it as Twilio would. */
function twilioPost(url: string, params: Record<string, string>, signature?: string): Request {
  const { pathname, search } = new URL(url);
  return new Request(`http://localhost${pathname}${search}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature ?? getExpectedTwilioSignature(AUTH_TOKEN, url, params),
    },
    body: formBody(params),
  });
}

/** One caller's Twilio call: follows the action URLs the hotline renders. */
function twilioCall(app: Hotline['app'], from: string, callSid: string) {
  const params = (extra: Record<string, string>) => {
    const { Digits: _digits, ...base } = twilioBase;
    return { ...base, CallSid: callSid, From: from, Caller: from, ...extra };
  };
  let last: Answer | undefined;
  const next = (kind: 'Gather' | 'Record' | 'Dial' | 'Redirect') => {
    const verb = last!.xml[kind]?.[0];
    if (!verb) throw new Error(`no ${kind} in ${last!.body}`);
    return kind === 'Redirect' ? verb['#text'] : verb.action;
  };
  return {
    get last() {
      return last!;
    },
    async start() {
      return (last = await send(app, twilioPost(`${BASE}/voice/twilio`, params({ CallStatus: 'ringing' }))));
    },
    async press(digits: string) {
      return (last = await send(app, twilioPost(next('Gather'), params({ Digits: digits }))));
    },
    /** Nothing pressed: Twilio falls through to the Redirect after the Gather. */
    async silence() {
      return (last = await send(app, twilioPost(next('Redirect'), params({}))));
    },
    async record(url: string, seconds: string) {
      return (last = await send(app, twilioPost(next('Record'), params({ RecordingUrl: url, RecordingDuration: seconds, Digits: '#' }))));
    },
    /** The Dial's end, as fixtures/twilio/voice-dial-action: its status, and the officer's leg when one was picked up. */
    async dialed(status: string, officerLeg?: string) {
      const { DialCallSid: _leg, ...dialEnd } = fixture('twilio/voice-dial-action').body;
      return (last = await send(app, twilioPost(next('Dial'), params({ ...dialEnd, DialCallStatus: status, ...(officerLeg ? { DialCallSid: officerLeg } : {}) }))));
    },
  };
}

async function outbox(hotline: Hotline) {
  await hotline.deps.localQueue.drain();
  return hotline.deps.localOutbox.list(hotline.deps.messages);
}

describe('Twilio voice with the provider fixtures', () => {
  it('walks a first call: languages → Tajik chosen (keys at the number’s URL) → a message left → a report with its reference by SMS', async () => {
    const hotline = hotlineWith();
    const incoming = await send(hotline.app, fixtureRequest(fixture('twilio/voice-incoming')));
    expect(incoming).toMatchObject({ status: 200, type: 'text/xml' });
    const gather = incoming.xml.Gather[0];
    expect(gather).toMatchObject({ input: 'dtmf', numDigits: '1', action: `${BASE}/voice/twilio?s=lang&t=0` });
    // No Tajik, Uzbek or Kyrgyz recordings yet: Tajik and Kyrgyz fall back to Russian speech, Uzbek (Latin letters)
    // to English, and the log says so.
    expect(gather.Say.map((s: any) => s.language)).toEqual(['ru-RU', 'en-GB', 'ru-RU']);
    // The Tajik line in its own words, read by the Russian voice (ҷ as дж, ӣ as и…).
    expect(heardText(incoming.body)).toEqual([
      `Барои забони тоджики 1-ро пахш кунед. ${text('ru', 'voice.lang.choose')}`,
      `${text('en', 'voice.lang.choose')} O'zbek tili uchun 4 ni bosing.`,
      'Кыргыз тили учун 5-баскычты басыныз.',
    ]);
    expect(logLines.join('\n')).toContain('voice prompt without a recording; heard in another language');
    expect(logLines.join('\n')).toContain('voice.lang.choose (tg → ru speech)');

    const digits = await send(hotline.app, fixtureRequest(fixture('twilio/voice-gather-digits')));
    expect(digits.xml.Gather[0].action).toBe(`${BASE}/voice/twilio?s=main&l=tg&t=0`);
    const callerKey = hotline.deps.callerKey('+447911123456');
    expect((await hotline.deps.languages.get(callerKey))?.lang).toBe('tg');

    const recorded = await send(hotline.app, fixtureRequest(fixture('twilio/voice-recording')));
    expect(recorded.status).toBe(200);
    expect(recorded.xml.Hangup).toHaveLength(1);
    const [report] = await hotline.deps.reports.listByReporter(callerKey, 5);
    expect(report).toMatchObject({
      channel: 'voice',
      lang: 'tg',
      category: 'other',
      status: 'received',
      recordingUrl: 'https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000/Recordings/RE0123456789abcdef0123456789abcdef',
      recordingDurationSeconds: 37,
      callbackConsent: false,
    });
    // Read out character by character, twice (no Tajik recordings yet: the recorded Russian digits).
    expect(recordedDigits(recorded.body)).toBe(report!.reference.replace(/\D/g, '').repeat(2));
    const sms = await outbox(hotline);
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ to: '+447911123456' });
    expect(sms[0]!.text).toContain(report!.reference);

    // Twilio's retry of the same callback: the same report, no second SMS.
    await send(hotline.app, fixtureRequest(fixture('twilio/voice-recording')));
    expect(await hotline.deps.reports.listByReporter(callerKey, 5)).toHaveLength(1);
    expect(await outbox(hotline)).toHaveLength(1);
  });

  it('checks the signature on every callback, action URLs with their query strings included', async () => {
    const hotline = hotlineWith();
    const from = '+447700900201';
    const params = { ...twilioBase, From: from, Digits: '2' };
    const url = `${BASE}/voice/twilio?s=lang&t=0`;
    const good = getExpectedTwilioSignature(AUTH_TOKEN, url, params);
    // Signed over the path alone, or over another state: refused, and nothing is remembered.
    expect((await send(hotline.app, twilioPost(url, params, getExpectedTwilioSignature(AUTH_TOKEN, `${BASE}/voice/twilio`, params)))).status).toBe(403);
    expect((await send(hotline.app, twilioPost(`${BASE}/voice/twilio?s=main&l=en&t=0`, params, good))).status).toBe(403);
    expect((await send(hotline.app, twilioPost(url, params, 'bm90IGEgc2lnbmF0dXJl'))).status).toBe(403);
    const unsigned = twilioPost(url, params);
    unsigned.headers.delete('x-twilio-signature');
    expect((await send(hotline.app, unsigned)).status).toBe(403);
    expect(await hotline.deps.languages.get(hotline.deps.callerKey(from))).toBeUndefined();
    const accepted = await send(hotline.app, twilioPost(url, params, good));
    expect(accepted.status).toBe(200);
    expect((await hotline.deps.languages.get(hotline.deps.callerKey(from)))?.lang).toBe('ru');
  });
});

describe('Twilio voice, every branch', () => {
  it('1: a phone number → whose official contact it is, or how many people reported it', async () => {
    const hotline = hotlineWith();
    const call = twilioCall(hotline.app, '+447700900301', 'CA-phone');
    await call.start();
    await call.press('3');
    const asked = await call.press('1');
    expect(asked.xml.Gather[0]).toMatchObject({ finishOnKey: '#', action: `${BASE}/voice/twilio?s=phone&l=en&t=0` });
    const official = await call.press('992900001001');
    const heard = heardText(official.body).join(' ');
    expect(heard).toContain(text('en', 'voice.phone.official'));
    expect(heard).toContain('Ширкати Ҷаҳонгир Сафар (SAMPLE)');
    expect(official.xml.Say.find((s: any) => s['#text'].includes('Ширкати')).language).toBe('ru-RU');
    expect(heard).toContain(text('en', 'status.licensed'));
    expect(official.xml.Gather[0].action).toBe(`${BASE}/voice/twilio?s=main&l=en&t=0`);

    // Two people reported a number: said with the count.
    for (const reporter of ['+992900000711', '+992900000712']) {
      await submitReport(
        hotline.deps.intake,
        { channel: 'sms', lang: 'en', category: 'fee_requested', paid: 'no', identifiers: [{ kind: 'phone', value: '+992927000555' }], callbackConsent: false, reporterPhone: reporter },
        `voice-test:${reporter}`,
      );
    }
    await call.press('1');
    const reported = await call.press('00992927000555');
    expect(heardText(reported.body).join(' ')).toContain(`${text('en', 'voice.phone.reported')} 2 ${text('en', 'voice.phone.reportedAdvice')}`);
  });

  it('1: a revoked body’s number is a warning first, and a number officers confirmed is "confirmed scam (date)"', async () => {
    const hotline = hotlineWith();
    await hotline.deps.campaigns.alerts.confirmIdentifier('phone', CONFIRMED_PHONE, '2026-11-24', 'K7QX3');
    const call = twilioCall(hotline.app, '+447700900331', 'CA-warning');
    await call.start();
    await call.press('3');
    await call.press('1');
    expectWarningFirst(heardText((await call.press('992900001003')).body), 'en');
    await call.press('1');
    expectConfirmed(heardText((await call.press(CONFIRMED_PHONE.slice(1))).body).join(' '), 'en');
  });

  it('7: scam alerts and departure tips by SMS, with the destination and month typed: the consent is recorded with the channel voice', async () => {
    const hotline = hotlineWith();
    const caller = '+447700900332';
    const call = twilioCall(hotline.app, caller, 'CA-subscribe');
    await call.start();
    await call.press('3');
    expect(heardText((await call.press('7')).body)).toEqual([text('en', 'voice.subscribe.menu')]);
    await call.press('2');
    await call.press('1');
    const done = await call.press('032027');
    expect(heardText(done.body)[0]).toBe(text('en', 'voice.subscribe.done'));
    expect(done.xml.Gather[0].action).toBe(`${BASE}/voice/twilio?s=main&l=en&t=0`);
    const key = hotline.deps.callerKey(caller);
    expect(await hotline.deps.campaigns.subscriptions.get(key)).toMatchObject({
      status: 'active',
      lang: 'en',
      topics: ['scam_alerts', 'departure_tips'],
      destination: 'uk',
      departureMonth: '2027-03',
      callingCode: '+44',
    });
    expect(await hotline.deps.campaigns.subscriptions.consentHistory(key)).toEqual([
      { at: expect.any(String), channel: 'voice', action: 'opt_in', topics: ['scam_alerts', 'departure_tips'], lang: 'en' },
    ]);
  });

  it('2: a licence number typed on the keypad → its holder and status', async () => {
    const hotline = hotlineWith();
    const call = twilioCall(hotline.app, '+447700900302', 'CA-licence');
    await call.start();
    await call.press('2');
    await call.press('2');
    const answer = await call.press('726753850003');
    const heard = heardText(answer.body).join(' ');
    expect(heard).toContain(text('ru', 'voice.licence.found'));
    expect(heard).toContain('Агентии корёбии Бахт (SAMPLE)');
    expect(heard).toContain(text('ru', 'status.suspended'));
    expect(heard).toContain(text('ru', 'voice.licence.warning'));
  });

  it('5: advice, then back to the main menu', async () => {
    const hotline = hotlineWith();
    const call = twilioCall(hotline.app, '+447700900303', 'CA-advice');
    await call.start();
    await call.press('3');
    await call.press('5');
    const advice = await call.press('1');
    expect(heardText(advice.body)[0]).toBe(text('en', 'advice.redflags.text'));
    expect(advice.xml.Gather[0].action).toBe(`${BASE}/voice/twilio?s=advice&l=en&t=0`);
    const back = await call.press('0');
    expect(heardText(back.body)).toEqual([text('en', 'voice.menu')]);
  });

  it('no input or a wrong key repeats the question a limited number of times, then says goodbye', async () => {
    const hotline = hotlineWith();
    const call = twilioCall(hotline.app, '+447700900304', 'CA-retry');
    await call.start();
    await call.press('3');
    const wrong = await call.press('8');
    expect(heardText(wrong.body)).toEqual([text('en', 'voice.invalid'), text('en', 'voice.menu')]);
    expect(wrong.xml.Gather[0].action).toBe(`${BASE}/voice/twilio?s=main&l=en&t=1`);
    const silent = await call.silence();
    expect(heardText(silent.body)[0]).toContain(text('en', 'voice.noInput'));
    const gone = await call.press('8');
    expect(heardText(gone.body)).toEqual([`${text('en', 'voice.giveUp')} ${text('en', 'voice.goodbye')}`]);
    expect(gone.xml.Hangup).toHaveLength(1);
    expect(gone.xml.Gather).toBeUndefined();
    expect(logLines.some((line) => line.includes('"event":"gave_up"'))).toBe(true);
  });

  it('3: a report with consent to a call-back; an empty recording asks again', async () => {
    const hotline = hotlineWith();
    const from = '+447700900305';
    const call = twilioCall(hotline.app, from, 'CA-report');
    await call.start();
    await call.press('3');
    await call.press('3');
    await call.press('1');
    const record = await call.press('1');
    expect(record.xml.Record[0]).toMatchObject({ maxLength: '120', finishOnKey: '#', action: `${BASE}/voice/twilio?s=report&l=en&t=0&c=1&p=1` });
    const empty = await call.silence();
    expect(heardText(empty.body)[0]).toContain(text('en', 'voice.report.empty'));
    const done = await call.record('https://api.twilio.com/Recordings/RE-report', '55');
    const [report] = await hotline.deps.reports.listByReporter(hotline.deps.callerKey(from), 5);
    expect(report).toMatchObject({ channel: 'voice', callbackConsent: true, sharingConsent: true, recordingDurationSeconds: 55, urgency: { urgent: false } });
    expect(heardText(done.body).join(' ')).toContain(`${[...report!.reference].join(', ')}.`);
    expect(await hotline.deps.reports.getSealedCallbackNumber(report!.reference)).toBeDefined();
  });

  it('4: rings the officers level by level, then takes a message and starts the escalation', async () => {
    const hotline = hotlineWith();
    const onUrgent = vi.fn(async (_report: Report) => {});
    hotline.deps.intake.onUrgent = onUrgent;
    const from = '+447700900306';
    const call = twilioCall(hotline.app, from, 'CA-urgent');
    await call.start();
    await call.press('1');
    const level1 = await call.press('4');
    expect(heardText(level1.body)).toEqual([text('ru', 'voice.urgent.connecting')]);
    expect(level1.xml.Dial[0]).toMatchObject({ timeout: '20', callerId: '+447700900123', action: `${BASE}/voice/twilio?s=dial&l=tg&t=0&v=1` });
    expect(level1.xml.Dial[0].Number.map((n: any) => n['#text'])).toEqual(OFFICER_PHONES.level1);
    const level2 = await call.dialed('no-answer');
    expect(level2.xml.Dial[0].Number.map((n: any) => n['#text'])).toEqual(OFFICER_PHONES.level2);
    expect(level2.xml.Dial[0].action).toBe(`${BASE}/voice/twilio?s=dial&l=tg&t=0&v=2`);
    const message = await call.dialed('busy');
    expect(message.xml.Record[0].action).toBe(`${BASE}/voice/twilio?s=urgent&l=tg&t=0`);
    expect(onUrgent).not.toHaveBeenCalled();

    const done = await call.record('https://api.twilio.com/Recordings/RE-urgent', '21');
    expect(onUrgent).toHaveBeenCalledTimes(1);
    const urgent = onUrgent.mock.calls[0]![0];
    expect(urgent).toMatchObject({ channel: 'voice', lang: 'tg', category: 'abroad_in_trouble', callbackConsent: true, urgency: { urgent: true } });
    expect(urgent.recordingUrl).toBe('https://api.twilio.com/Recordings/RE-urgent');
    expect(await hotline.deps.reports.getByReference(urgent.reference)).toMatchObject({ reference: urgent.reference, channel: 'voice' });
    expect(heardText(done.body).join(' ')).toContain(text('ru', 'voice.urgent.danger'));
    expect((await outbox(hotline)).map((m) => m.to)).toEqual([from]);
  });

  it('4 from a withheld number (Twilio’s placeholder): the urgent message is taken, but no call-back is consented or kept', async () => {
    const hotline = hotlineWith();
    const onUrgent = vi.fn(async (_report: Report) => {});
    hotline.deps.intake.onUrgent = onUrgent;
    const call = twilioCall(hotline.app, '+266696687', 'CA-urgent-withheld');
    await call.start();
    await call.press('1');
    await call.press('4');
    await call.dialed('no-answer');
    await call.dialed('busy');
    await call.record('https://api.twilio.com/Recordings/RE-withheld', '18');
    expect(onUrgent).toHaveBeenCalledTimes(1);
    const urgent = onUrgent.mock.calls[0]![0];
    expect(urgent).toMatchObject({ channel: 'voice', callbackConsent: false, urgency: { urgent: true } });
    expect(await hotline.deps.reports.getSealedCallbackNumber(urgent.reference)).toBeUndefined();
    expect(await outbox(hotline)).toEqual([]);
  });

  it('4: the message left when nobody answered pages the on-call officers by SMS (the escalation, unmocked)', async () => {
    const hotline = hotlineWith();
    const from = '+447700900309';
    const call = twilioCall(hotline.app, from, 'CA-escalation');
    await call.start();
    await call.press('3');
    await call.press('4');
    await call.dialed('no-answer');
    await call.dialed('no-answer');
    await call.record('https://api.twilio.com/Recordings/RE-escalation', '30');
    const [report] = await hotline.deps.reports.listByReporter(hotline.deps.callerKey(from), 5);
    const sent = await outbox(hotline);
    const pages = sent.filter((m) => OFFICER_PHONES.level1.includes(m.to));
    expect(pages.map((m) => m.to).sort()).toEqual([...OFFICER_PHONES.level1].sort());
    for (const page of pages) expect(page.text).toContain(report!.reference);
    expect(sent.filter((m) => m.to === from)).toHaveLength(1);
  });

  /** An officer's leg picked up: Twilio fetches the whisper (fixtures/twilio/voice-whisper), then its Gather's action. */
  async function whisper(app: Hotline['app'], dial: Answer, leg: string, pressed?: string) {
    const screenUrl = dial.xml.Dial[0].Number[0].url;
    const params = { ...fixture('twilio/voice-whisper').body, CallSid: leg };
    const asked = await send(app, twilioPost(screenUrl, params));
    if (pressed === undefined) return asked;
    return send(app, twilioPost(asked.xml.Gather[0].action, { ...params, Digits: pressed }));
  }

  it('4: the officers hear a whisper first: press 1 to accept, or the leg hangs up', async () => {
    const hotline = hotlineWith();
    const call = twilioCall(hotline.app, '+447700900311', 'CA-screened');
    await call.start();
    await call.press('3');
    const level1 = await call.press('4');
    for (const number of level1.xml.Dial[0].Number) expect(number).toMatchObject({ url: `${BASE}/voice/twilio/whisper`, method: 'POST' });
    const asked = await whisper(hotline.app, level1, 'CA-leg-asked');
    expect(asked.xml.Gather[0]).toMatchObject({ input: 'dtmf', numDigits: '1', action: `${BASE}/voice/twilio/whisper?key=1`, method: 'POST' });
    expect(heardText(asked.body)).toEqual(['SafeJob urgent hotline call. Press 1 to accept.']);
    // No key: Twilio falls through the Gather to the Hangup, and the Dial goes on as not answered.
    expect(asked.xml.Hangup).toHaveLength(1);
    expect((await whisper(hotline.app, level1, 'CA-leg-2', '2')).xml.Hangup).toHaveLength(1);
    const accepted = await whisper(hotline.app, level1, 'CA-leg-1', '1');
    expect(accepted.body).not.toContain('Hangup');
    expect(await hotline.deps.urgentCalls.accepted('twilio', 'CA-leg-1', hotline.deps.now())).toBe(true);
    expect(await hotline.deps.urgentCalls.accepted('twilio', 'CA-leg-2', hotline.deps.now())).toBe(false);
  });

  it('4: a voicemail that picks up (the Dial "completed", nobody pressed 1) is no answer: the next level rings', async () => {
    const hotline = hotlineWith();
    const call = twilioCall(hotline.app, '+447700900310', 'CA-voicemail');
    await call.start();
    await call.press('3');
    const level1 = await call.press('4');
    await whisper(hotline.app, level1, 'CA-leg-voicemail');
    const level2 = await call.dialed('completed', 'CA-leg-voicemail');
    expect(level2.xml.Dial[0].Number.map((n: any) => n['#text'])).toEqual(OFFICER_PHONES.level2);
    expect(logLines.some((line) => line.includes('"event":"officer_answered"'))).toBe(false);
  });

  it('4: an officer who presses 1 takes the call; nothing is filed', async () => {
    const hotline = hotlineWith();
    const onUrgent = vi.fn(async (_report: Report) => {});
    hotline.deps.intake.onUrgent = onUrgent;
    const call = twilioCall(hotline.app, '+447700900307', 'CA-answered');
    await call.start();
    await call.press('3');
    const level1 = await call.press('4');
    await whisper(hotline.app, level1, 'CA-leg-officer', '1');
    const after = await call.dialed('completed', 'CA-leg-officer');
    expect(heardText(after.body)).toEqual([`${text('en', 'voice.urgent.ended')} ${text('en', 'voice.goodbye')}`]);
    expect(after.xml.Hangup).toHaveLength(1);
    expect(onUrgent).not.toHaveBeenCalled();
    expect(logLines.some((line) => line.includes('"event":"officer_answered"'))).toBe(true);
  });

  it('escapes hostile registry text', async () => {
    const hotline = hotlineWith();
    const call = twilioCall(hotline.app, '+447700900308', 'CA-hostile');
    await call.start();
    await call.press('3');
    await call.press('1');
    const answer = await call.press(HOSTILE_PHONE.slice(1));
    expect(heardText(answer.body).join(' ')).toContain(HOSTILE_NAME);
    expect(answer.body).not.toContain('<b>');
  });
});

// ----------------------------------------------------------------------------------------------------------------
// Africa's Talking

/** One caller's Africa's Talking call: follows the callback URLs the hotline renders. */
function atCall(app: Hotline['app'], caller: string, sessionId: string) {
  const base: Record<string, string> = { ...fixture('africastalking/voice-digits').body, sessionId, callerNumber: caller };
  let last: Answer | undefined;
  const post = (url: string, params: Record<string, string>) => {
    const { pathname, search } = new URL(url);
    return send(app, new Request(`http://localhost${pathname}${search}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: formBody(params),
    }));
  };
  const { dtmfDigits: _digits, ...noDigits } = base;
  return {
    get last() {
      return last!;
    },
    async start(url = `${BASE}/voice/africastalking`) {
      return (last = await post(url, noDigits));
    },
    async press(digits: string) {
      return (last = await post(last!.xml.GetDigits[0].callbackUrl, { ...noDigits, dtmfDigits: digits }));
    },
    /** No key, or a Dial nobody picked up: the Redirect after it. */
    async redirect() {
      return (last = await post(last!.xml.Redirect[0]['#text'], noDigits));
    },
    async recorded(url: string) {
      return (last = await post(last!.xml.Record[0].callbackUrl, { ...noDigits, recordingUrl: url }));
    },
    async ended(url: string, extra: Record<string, string> = {}) {
      const target = last?.xml?.Record?.[0]?.callbackUrl ?? `${BASE}/voice/africastalking`;
      return post(target, { ...noDigits, isActive: '0', recordingUrl: url, durationInSeconds: '80', ...extra });
    },
  };
}

describe("Africa's Talking voice with the provider fixtures", () => {
  it('walks a first call: languages → Russian chosen → hang-up with a recording → a report with its reference by SMS', async () => {
    const hotline = hotlineWith();
    const incoming = await send(hotline.app, fixtureRequest(fixture('africastalking/voice-incoming')));
    expect(incoming).toMatchObject({ status: 200, type: 'application/xml' });
    expect(incoming.xml.GetDigits[0]).toMatchObject({ numDigits: '1', callbackUrl: `${BASE}/voice/africastalking?s=lang&t=0` });
    expect(incoming.xml.Redirect[0]['#text']).toBe(`${BASE}/voice/africastalking?s=lang&t=0`);
    // English speech only at Africa's Talking, and no recordings yet: each line in its own words in Latin letters,
    // and logged.
    expect(heardText(incoming.body)).toEqual([
      `Baroi zaboni tojiki 1-ro pakhsh kuned. Dlya russkogo yazyka nazhmite 2. ${text('en', 'voice.lang.choose')} O'zbek tili uchun 4 ni bosing. Kyrgyz tili uchun 5-baskychty basyngyz.`,
    ]);
    expect(logLines.join('\n')).toContain('voice.lang.choose (ru → en speech)');

    const digits = await send(hotline.app, fixtureRequest(fixture('africastalking/voice-digits')));
    expect(digits.xml.GetDigits[0].callbackUrl).toBe(`${BASE}/voice/africastalking?s=main&l=ru&t=0`);
    const callerKey = hotline.deps.callerKey('+992927001122');
    expect((await hotline.deps.languages.get(callerKey))?.lang).toBe('ru');

    const ended = await send(hotline.app, fixtureRequest(fixture('africastalking/voice-ended-recording')));
    expect(ended).toMatchObject({ status: 200, type: 'application/xml' });
    const [report] = await hotline.deps.reports.listByReporter(callerKey, 5);
    expect(report).toMatchObject({
      channel: 'voice',
      lang: 'ru',
      recordingUrl: 'https://recordings.example.org/ATVId_3c9d1e7f0a2b4c6d8e0f.mp3',
      recordingDurationSeconds: 94,
    });
    const sms = await outbox(hotline);
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ to: '+992927001122' });
    expect(sms[0]!.text).toContain(report!.reference);
    await send(hotline.app, fixtureRequest(fixture('africastalking/voice-ended-recording')));
    expect(await hotline.deps.reports.listByReporter(callerKey, 5)).toHaveLength(1);
    expect(await outbox(hotline)).toHaveLength(1);
  });

  it('answers a final callback without a recording with 200 and files nothing', async () => {
    const hotline = hotlineWith();
    const f = fixture('africastalking/voice-ended-recording');
    const { recordingUrl: _url, ...body } = f.body;
    const response = await hotline.app.request(
      new Request(`http://localhost${f.path}`, { method: 'POST', headers: { 'content-type': f.contentType }, body: formBody({ ...body, callerNumber: '+992900000801' }) }),
    );
    expect(response.status).toBe(200);
    expect(await hotline.deps.reports.listByReporter(hotline.deps.callerKey('+992900000801'), 5)).toEqual([]);
  });

  it('requires the token on every callback, and renders it into the callback URLs', async () => {
    const token = 'voice-token-0123456789';
    const hotline = hotlineWith({ AT_WEBHOOK_TOKEN: token });
    const f = fixture('africastalking/voice-digits');
    const caller = { callerNumber: '+992900000802' };
    expect((await send(hotline.app, fixtureRequest(f, caller))).status).toBe(403);
    expect((await send(hotline.app, fixtureRequest(f, caller, `${f.path}?token=wrong`))).status).toBe(403);
    expect((await send(hotline.app, fixtureRequest(fixture('africastalking/voice-ended-recording'), caller, `${f.path}?s=report&l=en&t=0`))).status).toBe(403);
    expect(await hotline.deps.languages.get(hotline.deps.callerKey(caller.callerNumber))).toBeUndefined();
    expect(await hotline.deps.reports.listByReporter(hotline.deps.callerKey(caller.callerNumber), 5)).toEqual([]);

    const call = atCall(hotline.app, caller.callerNumber, 'ATVId_token');
    const first = await call.start(`${BASE}/voice/africastalking?token=${token}`);
    expect(first.status).toBe(200);
    expect(first.xml.GetDigits[0].callbackUrl).toBe(`${BASE}/voice/africastalking?s=lang&t=0&token=${token}`);
    expect((await call.press('3')).status).toBe(200);
    expect(call.last.xml.GetDigits[0].callbackUrl).toBe(`${BASE}/voice/africastalking?s=main&l=en&t=0&token=${token}`);
  });
});

describe("Africa's Talking voice, every branch", () => {
  it('checks a number, with hostile registry text escaped', async () => {
    const hotline = hotlineWith();
    const call = atCall(hotline.app, '+992900000803', 'ATVId_phone');
    await call.start();
    await call.press('3');
    const asked = await call.press('1');
    expect(asked.xml.GetDigits[0]).toMatchObject({ finishOnKey: '#', callbackUrl: `${BASE}/voice/africastalking?s=phone&l=en&t=0` });
    const answer = await call.press(`${HOSTILE_PHONE.slice(1)}#`);
    expect(heardText(answer.body).join(' ')).toContain(HOSTILE_NAME);
    expect(answer.body).toContain('Evil &lt;b&gt;&amp;amp; &quot;Jobs&quot; &apos;Ltd&apos;&lt;/b&gt;');
    // A Cyrillic name, in Latin letters for the English-only speech.
    await call.press('1');
    const cyrillic = await call.press('992900001001');
    expect(heardText(cyrillic.body).join(' ')).toContain('Shirkati Jahongir Safar (SAMPLE)');
  });

  it('a revoked body’s number is a warning first, and a number officers confirmed is "confirmed scam (date)"', async () => {
    const hotline = hotlineWith();
    await hotline.deps.campaigns.alerts.confirmIdentifier('phone', CONFIRMED_PHONE, '2026-11-24', 'K7QX3');
    const call = atCall(hotline.app, '+992900000831', 'ATVId_warning');
    await call.start();
    await call.press('3');
    await call.press('1');
    expectWarningFirst(heardText((await call.press('992900001003#')).body), 'en');
    await call.press('1');
    expectConfirmed(heardText((await call.press(`${CONFIRMED_PHONE.slice(1)}#`)).body).join(' '), 'en');
  });

  it('7: scam alerts by SMS in Tajik, then 7 and 4 stop them: both consents recorded with the channel voice', async () => {
    const hotline = hotlineWith();
    const caller = '+992900000832';
    const call = atCall(hotline.app, caller, 'ATVId_subscribe');
    await call.start();
    await call.press('1');
    await call.press('7');
    const done = await call.press('1');
    expect(done.xml.GetDigits[0].callbackUrl).toBe(`${BASE}/voice/africastalking?s=main&l=tg&t=0`);
    const key = hotline.deps.callerKey(caller);
    expect(await hotline.deps.campaigns.subscriptions.get(key)).toMatchObject({ status: 'active', lang: 'tg', topics: ['scam_alerts'], callingCode: '+992' });
    await call.press('7');
    await call.press('4');
    expect(await hotline.deps.campaigns.subscriptions.get(key)).toMatchObject({ status: 'stopped' });
    expect((await hotline.deps.campaigns.subscriptions.consentHistory(key)).map(({ action, channel, lang }) => `${action}:${channel}:${lang}`)).toEqual([
      'opt_in:voice:tg',
      'opt_out:voice:tg',
    ]);
  });

  it('the quiz on the keypad: no group code, nine answers, the code read out and texted once', async () => {
    const hotline = hotlineWith();
    const caller = '+992900000817';
    const call = atCall(hotline.app, caller, 'ATVId_quiz');
    await call.start();
    await call.press('3');
    expect(heardText((await call.press('6')).body)).toEqual([text('en', 'voice.quiz.cohort')]);
    const first = await call.press('');
    expect(heardText(first.body).join(' ')).toContain(text('en', 'quiz.q.telegramFee.text'));
    for (const answer of '22212213') await call.press(answer);
    const last = await call.press('2');
    const heard = heardText(last.body).join(' ');
    expect(heard).toContain(`${text('en', 'quiz.right')} ${text('en', 'quiz.q.realOperator.why')}`);
    expect(heard).toContain(text('en', 'voice.quiz.passed'));
    const sms = (await outbox(hotline)).filter((m) => m.to === caller).map((m) => m.text);
    expect(sms).toHaveLength(1);
    const code = /Completion code: ([2-9A-HJKMNP-TV-Z]{8})\./.exec(sms[0]!)?.[1];
    expect(code).toBeDefined();
    // The code is read out character by character.
    expect(heard).toContain(`${text('en', 'voice.quiz.passed')} ${[...code!].join(', ')}.`);
    expect(await hotline.deps.quiz.completion(code!)).toMatchObject({ code, lang: 'en' });
  });

  it('a licence, advice, retries and goodbye', async () => {
    const hotline = hotlineWith();
    const call = atCall(hotline.app, '+992900000804', 'ATVId_misc');
    await call.start();
    await call.press('3');
    await call.press('2');
    expect(heardText((await call.press('0001')).body).join(' ')).toContain(text('en', 'voice.licence.licensedAdvice'));
    await call.press('5');
    expect(heardText((await call.press('4')).body)[0]).toBe(text('en', 'advice.contacts.text'));
    await call.press('0');
    await call.redirect();
    await call.press('8');
    const gone = await call.redirect();
    expect(heardText(gone.body)).toEqual([`${text('en', 'voice.giveUp')} ${text('en', 'voice.goodbye')}`]);
    expect(gone.xml.GetDigits).toBeUndefined();
    expect(gone.xml.Redirect).toBeUndefined();
  });

  it('escalates an urgent caller who hangs up while speaking: the final callback carries no state', async () => {
    const hotline = hotlineWith();
    const onUrgent = vi.fn(async (_report: Report) => {});
    hotline.deps.intake.onUrgent = onUrgent;
    const caller = '+992900000816';
    const call = atCall(hotline.app, caller, 'ATVId_urgent_hangup');
    await call.start();
    await call.press('2');
    await call.press('4');
    await call.redirect();
    const message = await call.redirect();
    expect(message.xml.Record).toBeDefined();
    // Africa's Talking posts the recording to the number's own URL, not to the Record's callback URL.
    const ended = await send(
      hotline.app,
      new Request('http://localhost/voice/africastalking', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: formBody({
          ...fixture('africastalking/voice-ended-recording').body,
          sessionId: 'ATVId_urgent_hangup',
          callerNumber: caller,
          recordingUrl: 'https://recordings.example.org/ATVId_urgent_hangup.mp3',
        }),
      }),
    );
    expect(ended.status).toBe(200);
    expect(onUrgent).toHaveBeenCalledTimes(1);
    expect(onUrgent.mock.calls[0]![0]).toMatchObject({ channel: 'voice', lang: 'ru', urgency: { urgent: true } });
  });

  it('rings each level (Dial, then a Redirect when nobody picks up), then takes a message: one urgent report', async () => {
    const hotline = hotlineWith();
    const onUrgent = vi.fn(async (_report: Report) => {});
    hotline.deps.intake.onUrgent = onUrgent;
    const caller = '+992900000805';
    const call = atCall(hotline.app, caller, 'ATVId_urgent');
    await call.start();
    await call.press('2');
    const level1 = await call.press('4');
    expect(level1.xml.Dial[0]).toMatchObject({ phoneNumbers: OFFICER_PHONES.level1.join(','), sequential: 'false', callerId: '+254711082000' });
    expect(level1.xml.Redirect[0]['#text']).toBe(`${BASE}/voice/africastalking?s=dial&l=ru&t=0&v=1`);
    const level2 = await call.redirect();
    expect(level2.xml.Dial[0].phoneNumbers).toBe(OFFICER_PHONES.level2.join(','));
    const message = await call.redirect();
    expect(message.xml.Record[0]).toMatchObject({ callbackUrl: `${BASE}/voice/africastalking?s=urgent&l=ru&t=0`, maxLength: '120', playBeep: 'true' });

    const recording = 'https://recordings.example.org/ATVId_urgent.mp3';
    const done = await call.recorded(recording);
    expect(onUrgent).toHaveBeenCalledTimes(1);
    const report = onUrgent.mock.calls[0]![0];
    expect(report).toMatchObject({ channel: 'voice', lang: 'ru', recordingUrl: recording, urgency: { urgent: true, reasons: ['abroad_in_trouble'] } });
    // No Russian speech at Africa's Talking: the reference with the recorded Russian digits, not in English words.
    expect(recordedDigits(done.body)).toBe(report.reference.replace(/\D/g, '').repeat(2));
    // The final callback repeats the recording: the same report, no second SMS; the escalation is handed the same
    // report again, which pages nobody twice (test/escalation-e2e.test.ts).
    expect((await call.ended(recording)).status).toBe(200);
    expect(new Set(onUrgent.mock.calls.map(([r]) => r.reference))).toEqual(new Set([report.reference]));
    expect(await hotline.deps.reports.listByReporter(hotline.deps.callerKey(caller), 5)).toHaveLength(1);
    expect(await outbox(hotline)).toHaveLength(1);
  });
});

describe('when something breaks', () => {
  it('apologises politely instead of dropping the call', async () => {
    const hotline = hotlineWith();
    hotline.deps.callerKey = () => {
      throw new Error('boom');
    };
    const twilio = await send(hotline.app, fixtureRequest(fixture('twilio/voice-incoming')));
    expect(twilio.status).toBe(200);
    expect(heardText(twilio.body)).toEqual([text('ru', 'voice.unavailable'), text('en', 'voice.unavailable')]);
    expect(twilio.xml.Hangup).toHaveLength(1);
    const at = await send(hotline.app, fixtureRequest(fixture('africastalking/voice-incoming')));
    expect(at.status).toBe(200);
    expect(heardText(at.body)).toEqual([text('en', 'voice.unavailable')]);
    expect(logLines.some((line) => line.includes('"message":"unexpected error"'))).toBe(true);
  });
});

describe('recorded prompts, served locally', () => {
  it('plays recordings from PUBLIC_BASE_URL/audio and serves them from prompts/audio', async () => {
    const hotline = hotlineWith();
    const dir = mkdtempSync(join(tmpdir(), 'safejob-audio-test-'));
    mkdirSync(join(dir, 'tg'));
    writeFileSync(join(dir, 'tg', 'voice.lang.choose.mp3'), Buffer.from('ID3 fake mp3'));
    const app = createVoiceApp(async () => hotline.deps, {
      serveAudio: true,
      audioDir: dir,
      manifest: {
        recordings: {
          'voice.lang.choose': { tg: { file: 'tg/voice.lang.choose.mp3', placeholder: true, textHash: 'x' } },
          // Listed, but its file is not there: not played.
          'voice.welcome': { tg: { file: 'tg/voice.welcome.mp3', placeholder: false, textHash: 'x' } },
        },
      },
    });
    const call = atCall(app as unknown as Hotline['app'], '+992900000806', 'ATVId_audio');
    const first = await call.start();
    expect(first.xml.GetDigits[0].Play[0].url).toBe(`${BASE}/audio/tg/voice.lang.choose.mp3`);
    const chosen = await call.press('1');
    expect(chosen.body).not.toContain('voice.welcome.mp3');

    const audio = await app.request('/audio/tg/voice.lang.choose.mp3');
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/mpeg');
    expect(await audio.text()).toBe('ID3 fake mp3');
    for (const path of ['/audio/tg/missing.mp3', '/audio/xx/voice.lang.choose.mp3', '/audio/tg/..%2F..%2Fpackage.json', '/audio/tg/.hidden.mp3']) {
      expect((await app.request(path)).status, path).toBe(404);
    }
    // Not served by the Lambda app.
    expect((await createVoiceApp(async () => hotline.deps).request('/audio/tg/voice.lang.choose.mp3')).status).toBe(404);
  });
});
