/**
 * Voice XML stays well-formed XML 1.0 whatever a provider's callback carries: control characters, U+FFFE/U+FFFF and
 * lone surrogates in any field (caller number, hotline number, digits, ids) and in registry text, checked with a
 * strict XML 1.0 parser (test/support/strict-xml.ts), for Twilio's TwiML and Africa's Talking's XML.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAtBridge, renderAtVoice } from '../shared/channels/africastalking-voice';
import { twilioSignature } from '../shared/channels/twilio';
import { bridgeTwiml } from '../shared/channels/twilio-call-bridge';
import { renderTwilioVoice, type VoiceRenderOptions } from '../shared/channels/twilio-voice';
import { PROMPTS, type Lang } from '../shared/domain/prompts';
import type { VoiceAction } from '../shared/domain/voice';
import { OfficerRepository } from '../shared/store/officers';
import { startTestStore, type TestStore } from './support/dynalite';
import { formBody } from './support/fixtures';
import { HOSTILE, anyText, codeUnits } from './support/hostile';
import { testHotline } from './support/hotline';
import { sized } from './support/scale';
import { strictXmlError } from './support/strict-xml';

const BASE = 'https://hotline.example.org';
const AUTH_TOKEN = 'test-auth-token';
const RUNS = { numRuns: sized(40, 300), seed: 20261201 };
/** Every character XML 1.0 forbids, one at a time. */
const FORBIDDEN = [...Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(code)).filter((ch) => !'\t\n\r'.includes(ch)), '\uFFFE', '\uFFFF', '\uD800', '\uDBFF', '\uDC00', '\uDFFF'];
const hostileText = fc.oneof(anyText, codeUnits, fc.constantFrom(...FORBIDDEN).map((ch) => `+99290${ch}0000901`));

describe('the strict parser is strict', () => {
  it('refuses every character XML 1.0 forbids, in text and in attributes, and takes tab, LF and CR', () => {
    for (const ch of FORBIDDEN) {
      expect(strictXmlError(`<a>${ch}</a>`), JSON.stringify(ch)).toBeDefined();
      expect(strictXmlError(`<a b="${ch}"/>`), JSON.stringify(ch)).toBeDefined();
    }
    expect(strictXmlError('<a b="\t\n\r">\t\n\r🙂</a>')).toBeUndefined();
  });
});

describe('the renderers, with hostile text in every place a value lands', () => {
  const actions = (text: string): VoiceAction[] => [
    { kind: 'say', segments: [{ kind: 'text', text, lang: 'en' }, { kind: 'chars', chars: text.slice(0, 12), lang: 'ru' }] },
    { kind: 'gather', segments: [{ kind: 'text', text, lang: 'ru' }], next: { step: 'main', lang: 'tg', tries: 1 }, numDigits: 1, timeoutSeconds: 8 },
    { kind: 'record', segments: [{ kind: 'text', text, lang: 'tg' }], next: { step: 'report', lang: 'ru', tries: 0 }, maxSeconds: 120 },
    { kind: 'dial', numbers: [text, '+992900009101'], next: { step: 'dial', lang: 'en', tries: 0, level: 1 }, timeoutSeconds: 20 },
    { kind: 'hangup' },
  ];
  const options = (text: string): VoiceRenderOptions => ({ actionUrl: () => `${BASE}/voice/x?s=main`, recordings: () => undefined, callerId: text });

  it('every forbidden character: Twilio and Africa’s Talking answer well-formed XML without it', () => {
    for (const ch of FORBIDDEN) {
      const text = `Evil${ch}Jobs +99290${ch}0000901`;
      for (const body of [
        renderTwilioVoice(actions(text), options(text)).body,
        renderAtVoice(actions(text), options(text)).body,
        renderAtBridge(text, `7K${ch}3`, text),
        bridgeTwiml(text, `7K${ch}3`, text),
      ]) {
        expect(strictXmlError(body), `${JSON.stringify(ch)} in ${body}`).toBeUndefined();
        expect(body).toContain('EvilJobs');
      }
    }
  });

  it('any text (property): both renderers stay well-formed', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        for (const body of [renderTwilioVoice(actions(text), options(text)).body, renderAtVoice(actions(text), options(text)).body]) {
          expect(strictXmlError(body), body).toBeUndefined();
        }
      }),
      RUNS,
    );
  });
});

describe('over HTTP, hostile values in every field of a callback (property)', () => {
  let store: TestStore;
  let hotline: ReturnType<typeof testHotline>;
  beforeAll(async () => {
    store = await startTestStore();
    hotline = testHotline(store);
    const phone = '+992900009101';
    await new OfficerRepository(store.client, store.tableName).putOfficers([
      { key: hotline.deps.callerKey(phone), name: 'Aziz', phone, role: 'officer', languages: ['ru' as Lang], level: 1 },
    ]);
  });
  afterAll(async () => store.close());

  /** Where a call can be: the first callback, the language menu, the main menu (4 rings the officers), a dial. */
  const QUERIES = ['', '?s=lang&t=0', '?s=main&l=en&t=0', '?s=main&l=ru&t=0', '?s=dial&l=en&t=0&v=1', '?s=report&l=en&t=0'];
  const apologies = (['ru', 'en'] as Lang[]).map((lang) => PROMPTS[lang]['voice.unavailable' as keyof (typeof PROMPTS)[Lang]] as string);
  /** A field keeps its genuine value, or gets a hostile one. */
  const field = (genuine: string) => fc.oneof({ weight: 1, arbitrary: fc.constant(genuine) }, { weight: 2, arbitrary: hostileText });

  async function expectWellFormed(request: Request) {
    const response = await hotline.app.request(request);
    const body = await response.text();
    expect(response.status, body.slice(0, 200)).toBeLessThan(500);
    if (response.status !== 200) return;
    expect(strictXmlError(body), body).toBeUndefined();
    // Answered, not apologised for: the hostile value was handled, not thrown on.
    for (const apology of apologies) expect(body).not.toContain(apology.slice(0, 30));
  }

  it('Twilio: CallSid, From, To, Digits, CallStatus, DialCallStatus, RecordingUrl, RecordingDuration', async () => {
    const twilioFields = fc.record({
      CallSid: field('CA00000000000000000000000000000911'),
      From: field('+992900000911'),
      To: field('+447700900123'),
      Caller: field('+992900000911'),
      Digits: field('4'),
      CallStatus: field('in-progress'),
      DialCallStatus: field('no-answer'),
      RecordingUrl: field('https://api.twilio.com/Recordings/RE911'),
      RecordingDuration: field('12'),
    });
    await fc.assert(
      fc.asyncProperty(twilioFields, fc.constantFrom(...QUERIES), async (params, query) => {
        const body = formBody(params);
        // Signed over what arrives (a lone surrogate arrives as U+FFFD).
        const signature = twilioSignature(AUTH_TOKEN, `${BASE}/voice/twilio${query}`, [...new URLSearchParams(body)]);
        await expectWellFormed(
          new Request(`http://localhost/voice/twilio${query}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body }),
        );
      }),
      RUNS,
    );
  });

  it("Africa's Talking: sessionId, callerNumber, destinationNumber, dtmfDigits, direction, recordingUrl, durationInSeconds", async () => {
    const atFields = fc.record({
      isActive: fc.constantFrom('1', '1', '0'),
      sessionId: field('ATVId_000000000911'),
      direction: fc.oneof(fc.constant('Inbound'), hostileText),
      callerNumber: field('+992900000912'),
      destinationNumber: field('+254711082000'),
      dtmfDigits: field('4'),
      recordingUrl: field('https://recordings.example.org/ATVId_911.mp3'),
      durationInSeconds: field('12'),
    });
    await fc.assert(
      fc.asyncProperty(atFields, fc.constantFrom(...QUERIES), async (params, query) => {
        await expectWellFormed(
          new Request(`http://localhost/voice/africastalking${query}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: formBody(params) }),
        );
      }),
      RUNS,
    );
  });

  it('the urgent line echoes the hotline number as caller ID: a control character in To is dropped, the Dial kept', async () => {
    for (const [path, params] of [
      ['/voice/twilio', { CallSid: 'CA00000000000000000000000000000913', From: '+992900000913', To: '+44770\u00010900123', Digits: '4' }],
      ['/voice/africastalking', { isActive: '1', sessionId: 'ATVId_913', callerNumber: '+992900000913', destinationNumber: '+25471\u001f1082000', dtmfDigits: '4' }],
    ] as const) {
      const query = '?s=main&l=en&t=0';
      const body = formBody(params);
      const signature = twilioSignature(AUTH_TOKEN, `${BASE}${path}${query}`, [...new URLSearchParams(body)]);
      const response = await hotline.app.request(
        new Request(`http://localhost${path}${query}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body }),
      );
      const xml = await response.text();
      expect(strictXmlError(xml), xml).toBeUndefined();
      expect(xml).toMatch(path === '/voice/twilio' ? /<Dial [^>]*callerId="\+447700900123"/ : /<Dial [^>]*callerId="\+254711082000"/);
    }
  });
});

// The hostile list itself carries forbidden characters: keep it that way, or the properties above prove little.
it('the hostile samples include forbidden characters', () => {
  expect(HOSTILE.some((text) => FORBIDDEN.some((ch) => text.includes(ch)))).toBe(true);
});
