import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promptTextHash } from '../shared/channels/voice-speech';
import { PROMPTS, type Lang } from '../shared/domain/prompts';
import { SPOKEN_PROMPT_KEYS } from '../shared/domain/voice';
import { createLogger } from '../shared/log';
import { StudioRepository } from '../shared/store/studio';
import { FileAudioStore } from '../shared/studio/audio-files';
import { buildCatalogue, promptByNumber, type StudioRecording } from '../shared/studio/catalogue';
import { PromptStudio, TAKES_CACHE_MS } from '../shared/studio/service';
import { exitCode, formatReport } from '../infra/prompts-check';
import { readWav } from '../shared/audio/wav';
import { toTelephonyAudio } from '../shared/audio/telephony';
import { startTestStore, type TestStore } from './support/dynalite';
import { sampleRecording } from './support/audio';

const prompts = PROMPTS as Record<Lang, Record<string, string | undefined>>;
const textOf = (lang: Lang, key: string) => prompts[lang][key]!;

const take = (over: Partial<StudioRecording> = {}): StudioRecording => ({
  key: 'voice.menu',
  lang: 'tg',
  file: 'studio/tg/voice.menu.20261201T100000000Z.wav',
  textHash: promptTextHash(textOf('tg', 'voice.menu')),
  recordedBy: 'Nigora Test',
  recordedAt: '2026-12-01T10:00:00.000Z',
  via: 'phone',
  durationSeconds: 4,
  ...over,
});

describe('the studio catalogue', () => {
  it('lists every spoken prompt in Tajik, Russian, Uzbek and Kyrgyz, numbered in speaking order, all missing with nothing recorded', () => {
    const entries = buildCatalogue({ takes: [], manifest: { recordings: {} } });
    expect(entries).toHaveLength(SPOKEN_PROMPT_KEYS.length * 4);
    expect(entries.every((e) => e.status === 'missing')).toBe(true);
    const menu = entries.find((e) => e.lang === 'tg' && e.key === 'voice.menu')!;
    expect(menu).toEqual({ number: SPOKEN_PROMPT_KEYS.indexOf('voice.menu') + 1, key: 'voice.menu', lang: 'tg', text: textOf('tg', 'voice.menu'), textHash: promptTextHash(textOf('tg', 'voice.menu')), status: 'missing' });
    expect(promptByNumber(menu.number)).toBe('voice.menu');
    expect(promptByNumber(0)).toBeUndefined();
    expect(promptByNumber(SPOKEN_PROMPT_KEYS.length + 1)).toBeUndefined();
  });

  it('is current for a take of the current text, approved once approved, stale when the text changed', () => {
    const status = (t: StudioRecording, text = textOf('tg', 'voice.menu')) =>
      buildCatalogue({ takes: [t], manifest: { recordings: {} }, prompts: { ...prompts, tg: { ...prompts.tg, 'voice.menu': text } }, langs: ['tg'] }).find((e) => e.key === 'voice.menu')!.status;
    expect(status(take())).toBe('current');
    expect(status(take({ approvedBy: 'Sara Test', approvedAt: '2026-12-01T11:00:00.000Z' }))).toBe('approved');
    expect(status(take({ approvedBy: 'Sara Test', approvedAt: '2026-12-01T11:00:00.000Z' }), 'Матни нав.')).toBe('stale');
  });

  it('counts a committed placeholder as missing, a committed human recording as current or stale, and a studio take above both', () => {
    const manifest = {
      recordings: {
        'voice.menu': { tg: { file: 'tg/voice.menu.mp3', placeholder: true, textHash: promptTextHash(textOf('tg', 'voice.menu')) } },
        'voice.welcome': { tg: { file: 'tg/voice.welcome.mp3', placeholder: false, textHash: 'old-text-hash' } },
        'voice.goodbye': { tg: { file: 'tg/voice.goodbye.mp3', placeholder: false, textHash: promptTextHash(textOf('tg', 'voice.goodbye')) } },
      },
    };
    const byKey = (takes: StudioRecording[]) => new Map(buildCatalogue({ takes, manifest, langs: ['tg'] }).map((e) => [e.key, e]));
    const committed = byKey([]);
    expect(committed.get('voice.menu')).toMatchObject({ status: 'missing', recording: { placeholder: true, source: 'committed' } });
    expect(committed.get('voice.welcome')!.status).toBe('stale');
    expect(committed.get('voice.goodbye')!.status).toBe('current');
    expect(byKey([take()]).get('voice.menu')).toMatchObject({ status: 'current', recording: { source: 'studio', file: take().file } });
  });

  it('is reported by prompts:check: stale and missing prompts by number, failing until they are recorded', () => {
    const entries = buildCatalogue({ takes: [take({ textHash: 'recorded-against-an-older-text' })], manifest: { recordings: {} } });
    const report = formatReport(entries);
    const number = String(SPOKEN_PROMPT_KEYS.indexOf('voice.menu') + 1).padStart(3);
    expect(report).toContain(`Stale: the text changed since it was recorded (the old take plays until it is recorded again):\n  tg (every provider: no Tajik speech anywhere): 1\n    ${number} voice.menu`);
    expect(report).toContain(`Recorded by a person and up to date: 0 of ${entries.length} (0 approved).`);
    expect(exitCode(entries, false)).toBe(1);
    const done = entries.map((e) => ({ ...e, status: 'approved' as const }));
    expect(exitCode(done, true)).toBe(0);
  });
});

describe('the studio service', () => {
  let store: TestStore;
  let now = Date.parse('2026-12-01T10:00:00.000Z');
  let studio: PromptStudio;
  let repository: StudioRepository;
  const audioDir = mkdtempSync(join(tmpdir(), 'safejob-studio-catalogue-'));
  const audio = new FileAudioStore(audioDir);

  beforeAll(async () => {
    store = await startTestStore();
    repository = new StudioRepository(store.client, store.tableName);
    studio = new PromptStudio({ repository, audio, toTelephony: toTelephonyAudio, log: createLogger('test', () => {}), now: () => now });
  });
  afterAll(async () => store.close());

  it('saves a take normalised in the audio store and the table, plays it, approves it, and audits both', async () => {
    const saved = await studio.saveTake({ key: 'voice.welcome', lang: 'tg', audio: sampleRecording(), by: 'Nigora Test', via: 'browser', requireTelephony: true });
    expect(saved).toEqual({
      ok: true,
      take: {
        key: 'voice.welcome',
        lang: 'tg',
        file: 'studio/tg/voice.welcome.20261201T100000000Z.wav',
        textHash: promptTextHash(textOf('tg', 'voice.welcome')),
        recordedBy: 'Nigora Test',
        recordedAt: '2026-12-01T10:00:00.000Z',
        via: 'browser',
        durationSeconds: 1,
      },
    });
    expect(readWav((await audio.get('studio/tg/voice.welcome.20261201T100000000Z.wav'))!)).toMatchObject({ sampleRate: 8000, channels: 1, bitsPerSample: 16 });
    const resolve = await studio.resolver('https://audio.example.org', () => undefined);
    expect(resolve('voice.welcome', 'tg')).toEqual({ url: 'https://audio.example.org/studio/tg/voice.welcome.20261201T100000000Z.wav', placeholder: false });
    expect(resolve('voice.welcome', 'ru')).toBeUndefined();

    now += 1000;
    expect(await studio.approve('tg', 'voice.welcome', 'Sara Test')).toBe('approved');
    expect((await studio.catalogue()).find((e) => e.lang === 'tg' && e.key === 'voice.welcome')!.status).toBe('approved');
    expect((await repository.events()).map((e) => [e.action, e.by, e.key, e.lang])).toEqual([
      ['take_saved', 'Nigora Test', 'voice.welcome', 'tg'],
      ['take_approved', 'Sara Test', 'voice.welcome', 'tg'],
    ]);
    // Nothing recorded: nothing to approve.
    expect(await studio.approve('tg', 'voice.goodbye', 'Sara Test')).toBe('not_current');
  });

  it('refuses what is not a telephone recording, and a take for a prompt with no text, storing nothing', async () => {
    const stereo = await studio.saveTake({ key: 'voice.goodbye', lang: 'tg', audio: new TextEncoder().encode('not audio'), by: 'Nigora Test', via: 'browser' });
    expect(stereo).toEqual({ ok: false, problem: 'not_audio', detail: 'not a WAV file' });
    const noText = new PromptStudio({ repository, audio, toTelephony: toTelephonyAudio, log: createLogger('test', () => {}), now: () => now, prompts: { ...prompts, tg: {} } });
    expect(await noText.saveTake({ key: 'voice.goodbye', lang: 'tg', audio: sampleRecording(), by: 'Nigora Test', via: 'phone' })).toEqual({ ok: false, problem: 'no_text' });
    expect((await studio.catalogue()).find((e) => e.lang === 'tg' && e.key === 'voice.goodbye')!.status).toBe('missing');
  });

  it('plays takes saved by another container once its minute is up', async () => {
    const other = new PromptStudio({ repository, audio, toTelephony: toTelephonyAudio, log: createLogger('test', () => {}), now: () => now });
    const before = await other.resolver('https://a.example.org', () => undefined);
    expect(before('voice.goodbye', 'ru')).toBeUndefined();
    await studio.saveTake({ key: 'voice.goodbye', lang: 'ru', audio: sampleRecording(), by: 'Nigora Test', via: 'phone' });
    expect((await other.resolver('https://a.example.org', () => undefined))('voice.goodbye', 'ru')).toBeUndefined();
    now += TAKES_CACHE_MS;
    expect((await other.resolver('https://a.example.org', () => undefined))('voice.goodbye', 'ru')?.url).toMatch(/^https:\/\/a\.example\.org\/studio\/ru\/voice\.goodbye\.\d{8}T\d{9}Z\.wav$/);
  });
});
