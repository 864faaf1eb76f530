import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { AT_TTS, atVoiceInput, atVoiceSchema, renderAtVoice } from '../shared/channels/africastalking-voice';
import { escapeXml } from '../shared/channels/xml';
import { TWILIO_TTS, renderTwilioVoice, twilioVoiceInput, twilioVoiceSchema, type VoiceRenderOptions } from '../shared/channels/twilio-voice';
import { latinise, planSpeech, promptTextHash, recordingResolver, speakable, type AudioManifest } from '../shared/channels/voice-speech';
import { PROMPTS } from '../shared/domain/prompts';
import { stateToQuery, type VoiceAction, type VoiceState } from '../shared/domain/voice';
import { fixture } from './support/fixtures';
import { strictXmlError } from './support/strict-xml';

const HOSTILE = `Evil <script>&amp; "quoted" 'single' Ltd\u0007\u0000`;

const manifest: AudioManifest = {
  recordings: {
    'voice.menu': {
      tg: { file: 'tg/voice.menu.mp3', placeholder: false, textHash: 'h' },
      ru: { file: 'ru/voice.menu.mp3', placeholder: true, textHash: 'h' },
    },
    'voice.welcome': { tg: { file: 'tg/voice.welcome.mp3', placeholder: true, textHash: 'h' } },
    'voice.digit.7': { ru: { file: 'ru/voice.digit.7.mp3', placeholder: false, textHash: 'h' } },
  },
};
const recordings = recordingResolver(manifest, 'https://audio.example.org/prompts/');

const options: VoiceRenderOptions = {
  actionUrl: (state: VoiceState) => `https://hotline.example.org/voice/x?${new URLSearchParams({ ...stateToQuery(state), token: 'tok' })}`,
  recordings,
  callerId: '+447700900123',
};

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  alwaysCreateTextNode: true,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

/** Well-formed XML, parsed: every element an array, attributes as plain keys. */
function parse(xml: string): any {
  expect(strictXmlError(xml), xml).toBeUndefined();
  return parser.parse(xml);
}

/** Every action kind, with a hostile registry name in the speech. */
const everything: VoiceAction[] = [
  { kind: 'say', segments: [{ kind: 'prompt', key: 'voice.welcome', lang: 'tg' }, { kind: 'text', text: HOSTILE, lang: 'en' }] },
  { kind: 'gather', segments: [{ kind: 'prompt', key: 'voice.menu', lang: 'tg' }], next: { step: 'main', lang: 'tg', tries: 1 }, numDigits: 1, timeoutSeconds: 8 },
  { kind: 'gather', segments: [{ kind: 'prompt', key: 'voice.phone.prompt', lang: 'en' }], next: { step: 'phone', lang: 'en', tries: 0 }, finishOnKey: '#', timeoutSeconds: 8 },
  { kind: 'record', segments: [{ kind: 'prompt', key: 'voice.report.prompt', lang: 'ru' }], next: { step: 'report', lang: 'ru', tries: 0, callback: true }, maxSeconds: 120 },
  { kind: 'dial', numbers: ['+992900009101', '+992900009102'], timeoutSeconds: 20, next: { step: 'dial', lang: 'ru', tries: 0, level: 1 } },
  { kind: 'hangup' },
];

describe('speech: recordings, text-to-speech and fallbacks', () => {
  it('plays a human recording, speaks where the provider can, plays a placeholder where it cannot', () => {
    const twilio = planSpeech(
      [
        { kind: 'prompt', key: 'voice.menu', lang: 'tg' },
        { kind: 'prompt', key: 'voice.menu', lang: 'ru' },
        { kind: 'prompt', key: 'voice.welcome', lang: 'tg' },
      ],
      { tts: TWILIO_TTS, recordings },
    );
    expect(twilio.speech).toEqual([
      { kind: 'play', url: 'https://audio.example.org/prompts/tg/voice.menu.mp3' },
      { kind: 'say', text: PROMPTS.ru['voice.menu' as keyof typeof PROMPTS.ru], lang: 'ru' },
      { kind: 'play', url: 'https://audio.example.org/prompts/tg/voice.welcome.mp3' },
    ]);
    expect(twilio.fallbacks).toEqual([]);
  });

  it('falls back from a missing Tajik recording to Russian speech (Twilio), to a Russian recording (AT), and says so', () => {
    const segments = [{ kind: 'prompt', key: 'voice.goodbye', lang: 'tg' }] as const;
    const twilio = planSpeech(segments, { tts: TWILIO_TTS, recordings });
    expect(twilio.speech).toEqual([{ kind: 'say', text: PROMPTS.ru['voice.goodbye' as keyof typeof PROMPTS.ru], lang: 'ru' }]);
    expect(twilio.fallbacks).toEqual([{ key: 'voice.goodbye', lang: 'tg', heardAs: 'ru', from: 'speech' }]);
    const at = planSpeech([{ kind: 'prompt', key: 'voice.digit.7', lang: 'tg' }], { tts: AT_TTS, recordings });
    expect(at.speech).toEqual([{ kind: 'play', url: 'https://audio.example.org/prompts/ru/voice.digit.7.mp3' }]);
    expect(at.fallbacks).toEqual([{ key: 'voice.digit.7', lang: 'tg', heardAs: 'ru', from: 'recording' }]);
    const nothing = planSpeech([{ kind: 'prompt', key: 'voice.goodbye', lang: 'ru' }], { tts: AT_TTS, recordings });
    expect(nothing.speech).toEqual([{ kind: 'say', text: PROMPTS.en['voice.goodbye' as keyof typeof PROMPTS.en], lang: 'en' }]);
    expect(nothing.fallbacks).toEqual([{ key: 'voice.goodbye', lang: 'ru', heardAs: 'en', from: 'speech' }]);
  });

  it('plays no recording without an audio base URL, nor one whose file is absent', () => {
    expect(recordingResolver(manifest, undefined)('voice.menu', 'tg')).toBeUndefined();
    expect(recordingResolver(manifest, 'https://a.example', (file) => file !== 'tg/voice.menu.mp3')('voice.menu', 'tg')).toBeUndefined();
  });

  it('reads references character by character, counts and names in a language the provider speaks', () => {
    const en = planSpeech([{ kind: 'chars', chars: 'K7QX3M', lang: 'en' }], { tts: TWILIO_TTS, recordings });
    expect(en.speech).toEqual([{ kind: 'say', text: 'K, 7, Q, X, 3, M.', lang: 'en' }]);
    const tg = planSpeech([{ kind: 'chars', chars: 'K5', lang: 'tg' }, { kind: 'number', value: 12, lang: 'tg' }], { tts: TWILIO_TTS, recordings });
    expect(tg.speech).toEqual([{ kind: 'say', text: `K, ${PROMPTS.ru['voice.digit.5' as keyof typeof PROMPTS.ru]}. 12`, lang: 'ru' }]);
    const at = planSpeech([{ kind: 'text', text: 'Ширкати Ҷаҳонгир', lang: 'tg' }, { kind: 'number', value: 7, lang: 'ru' }], { tts: AT_TTS, recordings });
    expect(at.speech).toEqual([
      { kind: 'say', text: 'Shirkati Jahongir', lang: 'en' },
      { kind: 'play', url: 'https://audio.example.org/prompts/ru/voice.digit.7.mp3' },
    ]);
    expect(latinise('Ғолиб Роҳ')).toBe('Gholib Roh');
  });

  it('removes what XML cannot carry and fingerprints texts', () => {
    expect(speakable('a\u0000b\u0007c\nd\ud800')).toBe('abc d');
    expect(promptTextHash('ӣ')).toBe(promptTextHash('ӣ'.normalize('NFD')));
  });
});

describe('TwiML', () => {
  it('renders every action with the twilio builders, state in signed absolute action URLs, hostile text escaped', () => {
    const { body } = renderTwilioVoice(everything, options);
    const response = parse(body).Response[0];
    expect(response.Play[0]['#text']).toBe('https://audio.example.org/prompts/tg/voice.welcome.mp3');
    expect(response.Say[0]).toMatchObject({ language: 'en-GB', voice: 'Polly.Amy', '#text': `Evil <script>&amp; "quoted" 'single' Ltd` });
    const [menu, phone] = response.Gather;
    expect(menu).toMatchObject({ input: 'dtmf', numDigits: '1', timeout: '8', method: 'POST', finishOnKey: '' });
    expect(menu.action).toBe('https://hotline.example.org/voice/x?s=main&l=tg&t=1&token=tok');
    expect(menu.Play[0]['#text']).toBe('https://audio.example.org/prompts/tg/voice.menu.mp3');
    expect(phone).toMatchObject({ finishOnKey: '#' });
    expect(phone).not.toHaveProperty('numDigits');
    expect(phone.Say[0]).toMatchObject({ language: 'en-GB' });
    expect(response.Redirect.map((r: any) => r['#text'])).toEqual([menu.action, phone.action, response.Record[0].action]);
    expect(response.Record[0]).toMatchObject({ maxLength: '120', finishOnKey: '#', playBeep: 'true', action: expect.stringContaining('s=report&l=ru&t=0&c=1') });
    expect(response.Dial[0]).toMatchObject({ timeout: '20', callerId: '+447700900123', action: expect.stringContaining('s=dial&l=ru&t=0&v=1') });
    expect(response.Dial[0].Number.map((n: any) => n['#text'])).toEqual(['+992900009101', '+992900009102']);
    expect(response.Hangup).toHaveLength(1);
    expect(body).toContain('Evil &lt;script&gt;&amp;amp;');
  });

  it('reads the fixtures’ callbacks', () => {
    const recording = twilioVoiceInput(twilioVoiceSchema.parse(fixture('twilio/voice-recording').body));
    expect(recording).toEqual({
      digits: 'hangup',
      recording: { url: 'https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000/Recordings/RE0123456789abcdef0123456789abcdef', durationSeconds: 37 },
    });
    expect(twilioVoiceInput(twilioVoiceSchema.parse(fixture('twilio/voice-gather-digits').body))).toEqual({ digits: '1' });
    // A voicemail completes a Dial too: its status never says an officer answered (the whisper's record does).
    const dial = (status: string) => twilioVoiceInput(twilioVoiceSchema.parse({ CallSid: 'CA1', DialCallStatus: status })).dialAnswered;
    expect(['completed', 'answered', 'no-answer', 'busy', 'failed'].map(dial)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(twilioVoiceInput(twilioVoiceSchema.parse({ CallSid: 'CA1', RecordingUrl: 'javascript:alert(1)' }))).toEqual({});
  });
});

describe("Africa's Talking XML", () => {
  it('renders every action as its XML, escaped, with callback URLs and redirects', () => {
    const { body } = renderAtVoice(everything, options);
    const response = parse(body).Response[0];
    expect(response.Play[0].url).toBe('https://audio.example.org/prompts/tg/voice.welcome.mp3');
    expect(response.Say[0]).toEqual({ voice: 'woman', '#text': `Evil <script>&amp; "quoted" 'single' Ltd` });
    const [menu, phone] = response.GetDigits;
    expect(menu).toMatchObject({ numDigits: '1', timeout: '8', callbackUrl: 'https://hotline.example.org/voice/x?s=main&l=tg&t=1&token=tok' });
    expect(menu.Play[0].url).toBe('https://audio.example.org/prompts/tg/voice.menu.mp3');
    expect(phone).toMatchObject({ finishOnKey: '#' });
    // No Russian speech at Africa's Talking and no recording: English speech, logged as a fallback.
    expect(response.Record[0]).toMatchObject({ finishOnKey: '#', maxLength: '120', playBeep: 'true', trimSilence: 'true' });
    expect(response.Record[0].Say[0]['#text']).toBe(PROMPTS.en['voice.report.prompt' as keyof typeof PROMPTS.en]);
    expect(response.Dial[0]).toEqual({ '#text': '', phoneNumbers: '+992900009101,+992900009102', sequential: 'false', callerId: '+447700900123' });
    expect(response.Redirect.map((r: any) => r['#text'])).toEqual([
      menu.callbackUrl,
      phone.callbackUrl,
      response.Record[0].callbackUrl,
      'https://hotline.example.org/voice/x?s=dial&l=ru&t=0&v=1&token=tok',
    ]);
    expect(body).not.toContain('<Hangup');
  });

  it('escapes the five XML characters', () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
  });

  it('reads the fixtures’ callbacks, the final one with its recording and duration', () => {
    expect(atVoiceInput(atVoiceSchema.parse(fixture('africastalking/voice-digits').body))).toEqual({ digits: '2' });
    expect(atVoiceInput(atVoiceSchema.parse(fixture('africastalking/voice-incoming').body))).toEqual({});
    expect(atVoiceInput(atVoiceSchema.parse(fixture('africastalking/voice-ended-recording').body))).toEqual({
      recording: { url: 'https://recordings.example.org/ATVId_3c9d1e7f0a2b4c6d8e0f.mp3', durationSeconds: 94 },
    });
    expect(atVoiceInput(atVoiceSchema.parse({ isActive: '0', sessionId: 's', recordingUrl: '' }))).toEqual({});
  });
});
