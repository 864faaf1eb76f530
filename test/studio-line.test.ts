/**
 * The prompt studio on the telephone, end to end through the voice app as `npm start` composes it: staff record
 * Tajik prompts on the studio line (Twilio and Africa's Talking, the takes fetched from the provider by nock), and
 * a Tajik caller then hears those takes on both providers, played from AUDIO_BASE_URL; a prompt whose text changes
 * afterwards is stale, still plays, and is listed for recording.
 */
import { XMLParser } from 'fast-xml-parser';
import nock from 'nock';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readWav } from '../shared/audio/wav';
import { AUDIO_MANIFEST } from '../shared/channels/voice-speech';
import { PROMPTS, type Lang } from '../shared/domain/prompts';
import { SPOKEN_PROMPT_KEYS } from '../shared/domain/voice';
import { buildCatalogue } from '../shared/studio/catalogue';
import { nextToRecord, studioStateFromQuery, studioStateToQuery } from '../shared/domain/studio/line';
import { formatReport } from '../infra/prompts-check';
import { createLogger } from '../shared/log';
import { startTestStore, type TestStore } from './support/dynalite';
import { formBody } from './support/fixtures';
import { testHotline } from './support/hotline';
import { onlyNetworkTo } from './support/strict-network';
import { sampleMp3, sampleRecording } from './support/audio';

const BASE = 'https://hotline.example.org';
const AUTH_TOKEN = 'test-auth-token';
const ACCOUNT_SID = `AC${'0'.repeat(31)}7`;
const STAFF = '+992900000701';
const PIN = '2468';
/** A staff number whose caller ID someone else is using to guess the PIN. */
const GUESSER = '+992900000704';
const WELCOME = SPOKEN_PROMPT_KEYS.indexOf('voice.welcome') + 1;
const MENU = SPOKEN_PROMPT_KEYS.indexOf('voice.menu') + 1;
const TWILIO_TAKE = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/RE0000000000000000000000000000000a`;
const AT_TAKE = 'https://voice.africastalking.com/recordings/studio-take-0001.mp3';

let store: TestStore;
let network: ReturnType<typeof onlyNetworkTo>;
const logLines: string[] = [];
type Hotline = ReturnType<typeof testHotline>;
let hotline: Hotline;

beforeAll(async () => {
  store = await startTestStore();
  network = onlyNetworkTo(new URL(store.endpoint).host);
  hotline = testHotline(
    store,
    { STUDIO_STAFF: `${STAFF}=Nigora Test,${GUESSER}=Farrukh Test`, STUDIO_PIN: PIN, TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_FROM: '+447700900001' },
    createLogger('test', (line) => logLines.push(line)),
  );
});
afterEach(() => network.verify());
afterAll(async () => {
  network.release();
  await store.close();
});

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, alwaysCreateTextNode: true, isArray: (_n, _p, _l, isAttribute) => !isAttribute });

interface Answer {
  body: string;
  xml: any;
}

/** What is said or played, in order (plays as `play:<url>`). */
const heard = (body: string) =>
  [...body.matchAll(/<(Say|Play)([^>]*?)(\/>|>([^<]*)<\/\1>)/g)].map(([, tag, attrs, , text]) => (tag === 'Play' ? `play:${/url="([^"]*)"/.exec(attrs!)?.[1] ?? text}` : text ?? ''));

async function request(path: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await hotline.app.request(`http://localhost${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: formBody(params) });
  expect(response.status).toBe(200);
  const body = await response.text();
  return { body, xml: parser.parse(body).Response[0] };
}

/** A Twilio call to `start` (the studio's or the line's route), following the action URLs it is given. */
function twilioCall(start: string, from: string, callSid: string) {
  let last: Answer | undefined;
  const post = (url: string, extra: Record<string, string>) => {
    const params = { CallSid: callSid, AccountSid: ACCOUNT_SID, From: from, To: '+447700900002', CallStatus: 'in-progress', ...extra };
    const { pathname, search } = new URL(url);
    return request(`${pathname}${search}`, params, { 'x-twilio-signature': getExpectedTwilioSignature(AUTH_TOKEN, url, params) });
  };
  return {
    start: async () => (last = await post(`${BASE}${start}`, {})),
    press: async (digits: string) => (last = await post(last!.xml.Gather[0].action, { Digits: digits })),
    record: async (url: string) => (last = await post(last!.xml.Record[0].action, { RecordingUrl: url, RecordingDuration: '3', Digits: '#' })),
    get last() {
      return last!;
    },
  };
}

function atCall(start: string, from: string, sessionId: string) {
  let last: Answer | undefined;
  const post = (url: string, extra: Record<string, string>) => {
    const { pathname, search } = new URL(url);
    return request(`${pathname}${search}`, { isActive: '1', sessionId, direction: 'Inbound', callerNumber: from, destinationNumber: '+254711082000', ...extra });
  };
  return {
    start: async () => (last = await post(`${BASE}${start}`, {})),
    press: async (digits: string) => (last = await post(last!.xml.GetDigits[0].callbackUrl, { dtmfDigits: digits })),
    record: async (url: string) => (last = await post(last!.xml.Record[0].callbackUrl, { recordingUrl: url })),
    get last() {
      return last!;
    },
  };
}

const text = (lang: Lang, key: string) => (PROMPTS[lang] as Record<string, string>)[key]!;

describe('the studio line', () => {
  it('is for staff only: another number is told so and the call ends', async () => {
    const call = twilioCall('/voice/twilio/studio', '+992900000799', 'CAstudio-stranger');
    const answer = await call.start();
    expect(heard(answer.body)).toEqual(['Этот номер только для сотрудников. До свидания.']);
    expect(answer.xml.Hangup).toHaveLength(1);
  });

  it('ends the call after three wrong PINs', async () => {
    const call = twilioCall('/voice/twilio/studio', STAFF, 'CAstudio-wrong-pin');
    expect(heard((await call.start()).body)).toEqual(['Студия записи SafeJob. Nigora Test, введите PIN-код и нажмите решётку.']);
    expect(heard((await call.press('1111')).body)).toEqual(['Неверный PIN-код. Попробуйте ещё раз и нажмите решётку.']);
    await call.press('2469');
    const last = await call.press('246');
    expect(heard(last.body)).toEqual(['Неверный PIN-код. До свидания.']);
    expect(last.xml.Hangup).toHaveLength(1);
  });

  it('stops asking a number for the PIN after five wrong ones in an hour, across calls, even for the right one', async () => {
    const first = twilioCall('/voice/twilio/studio', GUESSER, 'CAstudio-guess-1');
    await first.start();
    for (const guess of ['0000', '1111', '2222']) await first.press(guess);
    const second = twilioCall('/voice/twilio/studio', GUESSER, 'CAstudio-guess-2');
    await second.start();
    await second.press('3333');
    expect(heard((await second.press('4444')).body)).toEqual(['Неверный PIN-код. Попробуйте ещё раз и нажмите решётку.']);
    // The fifth wrong one this hour: now not even the right PIN opens the line.
    expect(heard((await second.press(PIN)).body)).toEqual(['Слишком много неверных PIN-кодов. Попробуйте через час.']);
    const third = twilioCall('/voice/twilio/studio', GUESSER, 'CAstudio-guess-3');
    const locked = await third.start();
    expect(heard(locked.body)).toEqual(['Слишком много неверных PIN-кодов. Попробуйте через час.']);
    expect(locked.xml.Hangup).toHaveLength(1);
  });

  it('records a Tajik prompt by phone on Twilio: PIN, language, number, its text, the beep, listen back, save', async () => {
    const call = twilioCall('/voice/twilio/studio', STAFF, 'CAstudio-twilio');
    await call.start();
    expect(heard((await call.press(PIN)).body)).toEqual(['Выберите язык записи: таджикский — 1, русский — 2, узбекский — 3, кыргызский — 4.']);
    const choose = await call.press('1');
    expect(heard(choose.body)).toEqual([`Введите номер фразы и нажмите решётку. Следующая незаписанная фраза — номер 1; для неё нажмите ноль и решётку.`]);
    expect(choose.xml.Gather[0]).toMatchObject({ finishOnKey: '#', action: `${BASE}/voice/twilio/studio?s=choose&t=0&l=tg` });

    const prompt = await call.press(String(WELCOME));
    // Its text, by the Russian voice (no voice speaks Tajik), then the beep.
    expect(heard(prompt.body).join(' ')).toContain(`Фраза ${WELCOME}, не записана. Текст:`);
    expect(prompt.body).toContain('Хуш омадед ба SafeJob');
    expect(prompt.xml.Record[0]).toMatchObject({ playBeep: 'true', finishOnKey: '#', maxLength: '60' });

    const review = await call.record(TWILIO_TAKE);
    expect(heard(review.body)).toEqual(['Вы записали:', `play:${TWILIO_TAKE}`, 'Сохранить — нажмите 1. Записать заново — 2. Другая фраза — 3.']);

    // Redo: the same prompt again.
    expect((await call.press('2')).xml.Record[0].action).toBe(`${BASE}/voice/twilio/studio?s=review&t=0&l=tg&p=${WELCOME}`);
    await call.record(TWILIO_TAKE);
    nock('https://api.twilio.com').get(new URL(TWILIO_TAKE).pathname).basicAuth({ user: ACCOUNT_SID, pass: AUTH_TOKEN }).reply(200, Buffer.from(sampleRecording()), { 'content-type': 'audio/x-wav' });
    const saved = await call.press('1');
    expect(heard(saved.body)[0]).toMatch(new RegExp(`^Фраза ${WELCOME} сохранена\\. Введите номер фразы и нажмите решётку\\. Следующая незаписанная фраза — номер ${WELCOME + 1};`));

    const entry = (await hotline.deps.studio.catalogue()).find((e) => e.lang === 'tg' && e.key === 'voice.welcome')!;
    expect(entry).toMatchObject({ status: 'current', recording: { source: 'studio', take: { recordedBy: 'Nigora Test', via: 'phone', durationSeconds: 1 } } });
  });

  it("records by phone on Africa's Talking too (its MP3 take normalised to an 8 kHz WAV)", async () => {
    const call = atCall('/voice/africastalking/studio', STAFF, 'ATVId_studio_at');
    await call.start();
    await call.press(PIN);
    await call.press('1');
    const prompt = await call.press(String(MENU));
    expect(prompt.xml.Record[0]).toMatchObject({ playBeep: 'true', callbackUrl: `${BASE}/voice/africastalking/studio?s=review&t=0&l=tg&p=${MENU}` });
    await call.record(AT_TAKE);
    nock('https://voice.africastalking.com').get('/recordings/studio-take-0001.mp3').reply(200, Buffer.from(sampleMp3()), { 'content-type': 'audio/mpeg' });
    expect(heard((await call.press('1')).body)[0]).toMatch(new RegExp(`^Fraza ${MENU} sokhranena`));
    const entry = (await hotline.deps.studio.catalogue()).find((e) => e.lang === 'tg' && e.key === 'voice.menu')!;
    expect(entry).toMatchObject({ status: 'current', recording: { take: { via: 'phone', recordedBy: 'Nigora Test' } } });
  });

  it('says so and keeps the take to try again when the provider will not give the recording', async () => {
    const call = twilioCall('/voice/twilio/studio', STAFF, 'CAstudio-gone');
    await call.start();
    await call.press(PIN);
    await call.press('2');
    await call.press(String(WELCOME));
    await call.record(TWILIO_TAKE);
    nock('https://api.twilio.com').get(new URL(TWILIO_TAKE).pathname).reply(404, 'gone');
    const answer = await call.press('1');
    expect(heard(answer.body)).toEqual(['Не удалось сохранить запись. Вы записали:', `play:${TWILIO_TAKE}`, 'Сохранить — нажмите 1. Записать заново — 2. Другая фраза — 3.']);
    expect(answer.xml.Gather[0].action).toContain('s=decide');
    expect((await hotline.deps.studio.catalogue()).find((e) => e.lang === 'ru' && e.key === 'voice.welcome')!.status).toBe('missing');
    expect(logLines.some((l) => l.includes('studio take could not be fetched from the provider') && l.includes('HTTP 404'))).toBe(true);
  });
});

describe('done when: a Tajik caller hears the recorded Tajik', () => {
  it('on Twilio and on Africa\'s Talking, played from AUDIO_BASE_URL, and the take is served as 8 kHz mono', async () => {
    const takes = await hotline.deps.studio.catalogue();
    const fileOf = (key: string) => takes.find((e) => e.lang === 'tg' && e.key === key)!.recording!.file;
    const welcome = `${BASE}/audio/${fileOf('voice.welcome')}`;
    const menu = `${BASE}/audio/${fileOf('voice.menu')}`;

    const twilio = twilioCall('/voice/twilio', '+992900000702', 'CAtajik-caller');
    await twilio.start();
    const chosen = await twilio.press('1');
    expect(heard(chosen.body).slice(0, 2)).toEqual([`play:${welcome}`, `play:${menu}`]);

    const at = atCall('/voice/africastalking', '+992900000703', 'ATVId_tajik_caller');
    await at.start();
    expect(heard((await at.press('1')).body).slice(0, 2)).toEqual([`play:${welcome}`, `play:${menu}`]);

    const audio = await hotline.app.request(new URL(welcome).pathname);
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/wav');
    expect(readWav(new Uint8Array(await audio.arrayBuffer()))).toMatchObject({ sampleRate: 8000, channels: 1, bitsPerSample: 16 });
  });

  it('flags a take stale once its text changes, keeps playing it, and lists it in prompts:check', async () => {
    const takes = await hotline.deps.studio.catalogue();
    const changed = { ...PROMPTS, tg: { ...PROMPTS.tg, 'voice.welcome': `${text('tg', 'voice.welcome')} Ҳамеша ройгон.` } } as Record<Lang, Record<string, string>>;
    const catalogue = buildCatalogue({ takes: takes.flatMap((e) => (e.recording?.take ? [e.recording.take] : [])), manifest: AUDIO_MANIFEST, prompts: changed });
    const welcome = catalogue.find((e) => e.lang === 'tg' && e.key === 'voice.welcome')!;
    expect(welcome).toMatchObject({ status: 'stale', recording: { source: 'studio' } });
    expect(catalogue.find((e) => e.lang === 'tg' && e.key === 'voice.menu')!.status).toBe('current');
    expect(formatReport(catalogue)).toContain(`Stale: the text changed since it was recorded (the old take plays until it is recorded again):\n  tg (every provider: no Tajik speech anywhere): 1\n    ${String(WELCOME).padStart(3)} voice.welcome`);
    // Still played: resolution never looks at the text.
    const resolve = await hotline.deps.studio.resolver(`${BASE}/audio`, () => undefined);
    expect(resolve('voice.welcome', 'tg')?.url).toBe(`${BASE}/audio/${welcome.recording!.file}`);
  });
});

describe('the studio line state', () => {
  it('travels in the callback URL and refuses what it could not have rendered', () => {
    const state = { step: 'decide' as const, tries: 0, lang: 'tg' as const, prompt: 12, take: TWILIO_TAKE };
    expect(studioStateFromQuery(studioStateToQuery(state))).toEqual(state);
    for (const bad of [{ s: 'admin' }, { s: 'decide', l: 'xx' }, { s: 'decide', p: '0' }, { s: 'decide', r: 'http://169.254.169.254/latest' }, { s: 'pin', t: '12' }]) {
      expect(studioStateFromQuery(bad), JSON.stringify(bad)).toBeUndefined();
    }
    const prompts = [
      { number: 1, text: 'a', status: 'current' as const },
      { number: 2, text: 'b', status: 'missing' as const },
      { number: 3, text: 'c', status: 'stale' as const },
    ];
    expect(nextToRecord(prompts)?.number).toBe(2);
    expect(nextToRecord(prompts, 2)?.number).toBe(3);
    expect(nextToRecord(prompts, 3)?.number).toBe(2);
    expect(nextToRecord(prompts.slice(0, 1))).toBeUndefined();
  });
});
