/**
 * The prompt studio's one service, for the studio line (shared/voice/studio-call.ts), the console and the voice
 * line's playback: saves a take (normalised for the telephone, kept in the audio store, entered in the table and
 * its audit), approves one, lists the catalogue, and tells the voice line which takes play.
 */
import type { toTelephonyAudio } from '../audio/telephony';
import { WavError } from '../audio/wav';
import { AUDIO_MANIFEST, audioUrl, promptTextHash, type AudioManifest, type RecordingResolver } from '../channels/voice-speech';
import { PROMPTS, type Lang } from '../domain/prompts';
import type { SpokenKey } from '../domain/voice';
import type { ConfigWith } from '../config';
import type { Logger } from '../log';
import type { AudioStore } from '../ports';
import type { StudioRepository } from '../store/studio';
import { buildCatalogue, type CatalogueEntry, type StudioRecording } from './catalogue';

/** How long a container plays the takes it read before reading them again (a save here refreshes at once). */
export const TAKES_CACHE_MS = 60_000;

export type SaveOutcome =
  | { ok: true; take: StudioRecording }
  | { ok: false; problem: 'not_audio' | 'no_text' | 'no_store'; detail?: string };

export interface TakeToSave {
  key: SpokenKey;
  lang: Lang;
  /** A WAV or MP3 file as received. */
  audio: Uint8Array;
  by: string;
  via: StudioRecording['via'];
  /** The browser resamples before uploading: anything but 8 kHz mono from it is refused, not fixed. */
  requireTelephony?: boolean;
}

export interface PromptStudioDeps {
  repository: StudioRepository;
  /** Where takes are kept; without one (a function that only plays), saving is refused. */
  audio?: AudioStore;
  /**
   * Makes a received take telephone audio (shared/audio/telephony.ts, with the MP3 decoder's WebAssembly): given
   * only by the functions that save takes, so that no other bundle carries the decoder; without it, saving is refused.
   */
  toTelephony?: typeof toTelephonyAudio;
  log: Logger;
  now(): number;
  manifest?: AudioManifest;
  prompts?: Record<Lang, Record<string, string | undefined>>;
}

/** What the functions that play or record takes (voice, console) hold beyond the channels' services. */
export interface StudioServices {
  /** The studio's section: who may record, the PIN, the bucket. */
  config: ConfigWith<'studio'>;
  /** The prompt studio: its takes play on the voice line; the studio line and the console record them. */
  studio: PromptStudio;
}

export class PromptStudio {
  private cached?: { at: number; takes: Promise<StudioRecording[]> };

  constructor(private readonly deps: PromptStudioDeps) {}

  /** Every prompt × language with its status (read fresh: the console and the studio line). */
  async catalogue(fileExists?: (file: string) => boolean): Promise<CatalogueEntry[]> {
    const { manifest = AUDIO_MANIFEST, prompts } = this.deps;
    return buildCatalogue({ takes: await this.deps.repository.list(), manifest, ...(fileExists ? { fileExists } : {}), ...(prompts ? { prompts } : {}) });
  }

  /** The takes that play, read at most once per TAKES_CACHE_MS; a failed read plays none this time (and is logged). */
  playing(): Promise<StudioRecording[]> {
    const now = this.deps.now();
    if (!this.cached || now - this.cached.at >= TAKES_CACHE_MS) {
      const takes = this.deps.repository.list().catch((error: unknown) => {
        this.deps.log.error('studio takes could not be read; committed recordings only', { error });
        this.cached = undefined;
        return [];
      });
      this.cached = { at: now, takes };
    }
    return this.cached.takes;
  }

  /** The voice line's recordings: a take where there is one (stale or not: an old wording beats another language), else `fallback`. */
  async resolver(audioBaseUrl: string | undefined, fallback: RecordingResolver): Promise<RecordingResolver> {
    if (!audioBaseUrl) return fallback;
    const takes = new Map((await this.playing()).map((take) => [`${take.lang}:${take.key}`, take]));
    return (key, lang) => {
      const take = takes.get(`${lang}:${key}`);
      return take ? { url: audioUrl(audioBaseUrl, take.file), placeholder: false } : fallback(key, lang);
    };
  }

  async saveTake(input: TakeToSave): Promise<SaveOutcome> {
    const { audio: store, toTelephony, repository, log } = this.deps;
    const text = (this.deps.prompts ?? (PROMPTS as Record<Lang, Record<string, string | undefined>>))[input.lang][input.key];
    if (text === undefined) return { ok: false, problem: 'no_text' };
    if (!store || !toTelephony) return { ok: false, problem: 'no_store' };
    let wav;
    try {
      wav = await toTelephony(input.audio, { requireTelephony: input.requireTelephony ?? false });
    } catch (error) {
      if (error instanceof WavError) return { ok: false, problem: 'not_audio', detail: error.message };
      throw error;
    }
    const recordedAt = new Date(this.deps.now()).toISOString();
    const stamp = recordedAt.replace(/[-:.]/g, '');
    const take: StudioRecording = {
      key: input.key,
      lang: input.lang,
      file: `studio/${input.lang}/${input.key}.${stamp}.wav`,
      textHash: promptTextHash(text),
      recordedBy: input.by,
      recordedAt,
      via: input.via,
      durationSeconds: Math.round(wav.durationSeconds * 10) / 10,
    };
    // The file first: a take in the table always has its audio.
    await store.put(take.file, wav.wav, 'audio/wav');
    await repository.save(take);
    this.cached = undefined;
    log.info('studio take saved', { key: take.key, lang: take.lang, file: take.file, via: take.via, seconds: take.durationSeconds, received: wav.received });
    return { ok: true, take };
  }

  /** Approves the take that plays for a prompt, when it was recorded against the current text. */
  async approve(lang: Lang, key: SpokenKey, by: string): Promise<'approved' | 'not_current'> {
    const entry = (await this.catalogue()).find((e) => e.lang === lang && e.key === key);
    const take = entry?.recording?.take;
    if (!entry || !take || entry.status === 'stale') return 'not_current';
    const approved = await this.deps.repository.approve(lang, key, take.file, entry.textHash, by, new Date(this.deps.now()).toISOString());
    return approved ? 'approved' : 'not_current';
  }

  /** Wrong PINs on the studio line from this caller this hour (across calls), and counting one more. */
  pinFailures(callerKey: string): Promise<number> {
    return this.deps.repository.pinFailures(callerKey, this.deps.now());
  }

  countPinFailure(callerKey: string): Promise<void> {
    return this.deps.repository.countPinFailure(callerKey, this.deps.now());
  }

  /** A take's audio, to serve it. */
  async file(path: string): Promise<Uint8Array | undefined> {
    return this.deps.audio?.get(path);
  }
}
