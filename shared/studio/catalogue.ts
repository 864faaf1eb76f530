/**
 * The prompt studio's catalogue: every prompt the voice line speaks, in every language that needs recordings, with
 * its text, the hash of that text, the recording that plays (a take saved through the studio, or a file committed
 * under prompts/audio/) and its status. A take whose text has changed since is `stale`: it keeps playing until
 * it is recorded again (an old wording beats another language), and it is listed for recording.
 *
 * Prompts are numbered in the order the voice line speaks them (SPOKEN_PROMPT_KEYS), the same numbers in every
 * language: the number a staff member keys in on the studio line, and the number on the voice artist's script.
 */
import * as z from '../domain/zod';
import { LANGUAGES, PROMPTS, type Lang } from '../domain/prompts';
import { SPOKEN_PROMPT_KEYS, type SpokenKey } from '../domain/voice';
import { promptTextHash, type AudioManifest } from '../channels/voice-speech';

/** The languages that need recordings, and why. */
export const RECORDED_LANGUAGES: Partial<Record<Lang, string>> = {
  tg: 'every provider: no Tajik speech anywhere',
  ru: "Africa's Talking: no Russian speech there",
  uz: "every provider: neither Twilio nor Africa's Talking speaks Uzbek",
  ky: "every provider: neither Twilio nor Africa's Talking speaks Kyrgyz",
};
export const STUDIO_LANGUAGES = Object.keys(RECORDED_LANGUAGES) as Lang[];

export const STUDIO_STATUSES = ['missing', 'stale', 'current', 'approved'] as const;
export type StudioStatus = (typeof STUDIO_STATUSES)[number];

/** How a take reached the studio. */
export const TAKE_SOURCES = ['phone', 'browser'] as const;

/** A take saved through the studio: the one that plays for its prompt and language (the table's `REC#` item). */
export const studioRecordingSchema = z.lazy(() => z.object({
  key: z.enum(SPOKEN_PROMPT_KEYS as [SpokenKey, ...SpokenKey[]]),
  lang: z.enum(LANGUAGES),
  /** Relative to AUDIO_BASE_URL: `studio/tg/voice.menu.20261201T101500Z.wav`, a new name for every take. */
  file: z.string().check(z.regex(/^studio\/[a-z]{2}\/[A-Za-z0-9._-]+\.wav$/)),
  /** promptTextHash of the text it was recorded against. */
  textHash: z.string().check(z.minLength(1)),
  recordedBy: z.string().check(z.minLength(1)),
  recordedAt: z.string().check(z.minLength(1)),
  via: z.enum(TAKE_SOURCES),
  durationSeconds: z.number().check(z.nonnegative()),
  approvedBy: z.optional(z.string().check(z.minLength(1))),
  approvedAt: z.optional(z.string().check(z.minLength(1))),
}));
export type StudioRecording = z.infer<typeof studioRecordingSchema>;

export interface CatalogueEntry {
  number: number;
  key: SpokenKey;
  lang: Lang;
  text: string;
  textHash: string;
  /** What plays now: a studio take, or a committed file (`placeholder`: machine-made, still to be recorded). */
  recording?: {
    file: string;
    textHash: string;
    source: 'studio' | 'committed';
    placeholder: boolean;
    take?: StudioRecording;
  };
  status: StudioStatus;
}

/** A prompt's number (from 1), or undefined for a number that names none. */
export function promptByNumber(number: number): SpokenKey | undefined {
  return Number.isInteger(number) && number >= 1 ? SPOKEN_PROMPT_KEYS[number - 1] : undefined;
}

export interface CatalogueSources {
  takes: readonly StudioRecording[];
  manifest: AudioManifest;
  /** Whether a committed file is there (locally, on disk); by default every manifest entry is. */
  fileExists?: (file: string) => boolean;
  prompts?: Record<Lang, Record<string, string | undefined>>;
  langs?: readonly Lang[];
}

/**
 * Every prompt × language. A studio take outranks a committed file; a placeholder counts as missing (it still needs
 * a person); a committed human recording is current (it was reviewed when it was committed); a take is current
 * until an approver approves it. A prompt with no text in a language is left out (prompts:check reports it).
 */
export function buildCatalogue(sources: CatalogueSources): CatalogueEntry[] {
  const { takes, manifest, fileExists = () => true, prompts = PROMPTS as Record<Lang, Record<string, string | undefined>>, langs = STUDIO_LANGUAGES } = sources;
  const byPrompt = new Map(takes.map((take) => [`${take.lang}:${take.key}`, take]));
  const entries: CatalogueEntry[] = [];
  for (const lang of langs) {
    SPOKEN_PROMPT_KEYS.forEach((key, index) => {
      const text = prompts[lang][key];
      if (text === undefined) return;
      const textHash = promptTextHash(text);
      const take = byPrompt.get(`${lang}:${key}`);
      const committed = manifest.recordings[key]?.[lang];
      const recording = take
        ? { file: take.file, textHash: take.textHash, source: 'studio' as const, placeholder: false, take }
        : committed && fileExists(committed.file)
          ? { file: committed.file, textHash: committed.textHash, source: 'committed' as const, placeholder: committed.placeholder }
          : undefined;
      const status: StudioStatus =
        !recording || recording.placeholder
          ? 'missing'
          : recording.textHash !== textHash
            ? 'stale'
            : take?.approvedAt && take.approvedAt >= take.recordedAt
              ? 'approved'
              : 'current';
      entries.push({ number: index + 1, key, lang, text, textHash, ...(recording ? { recording } : {}), status });
    });
  }
  return entries;
}

/** What still needs a person at the microphone: missing and stale prompts. */
export const needsRecording = (entry: CatalogueEntry): boolean => entry.status === 'missing' || entry.status === 'stale';
