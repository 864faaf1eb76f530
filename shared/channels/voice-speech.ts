/**
 * How the voice line's segments are heard on a provider: played from a recording, or spoken by the provider's
 * text-to-speech. Shared by the Twilio and Africa's Talking renderers, which differ in the languages they can speak
 * (Twilio: Russian and English; Africa's Talking: English only; neither: Tajik, Uzbek or Kyrgyz).
 *
 * A prompt is played from its human recording when there is one, else spoken when the provider speaks the
 * language, else played from its placeholder recording. Failing all three (a Tajik, Uzbek or Kyrgyz prompt nobody
 * recorded yet), it falls back to Russian (recording or speech), then English, and the fallback is reported for the
 * log.
 */
import { createHash } from 'node:crypto';
import * as z from '../domain/zod';
import manifestJson from '../../prompts/audio-manifest.json';
import { LANGUAGES, type Lang } from '../domain/prompts';
import { spokenText, type Segment, type SpokenKey } from '../domain/voice';

const recordingSchema = z.object({
  /** Relative to prompts/audio/ and to AUDIO_BASE_URL: `tg/voice.menu.mp3`. */
  file: z.string().check(z.regex(new RegExp(`^(${LANGUAGES.join('|')})/[A-Za-z0-9._-]+\\.(mp3|wav)$`))),
  /** A machine-made stand-in that still needs a human recording. */
  placeholder: z.boolean(),
  /** `promptTextHash` of the text that was recorded. */
  textHash: z.string().check(z.minLength(1)),
});
export const audioManifestSchema = z.object({
  _about: z.optional(z.string()),
  recordings: z.record(z.string(), z.partialRecord(z.enum(LANGUAGES), recordingSchema)),
});
export type AudioManifest = z.infer<typeof audioManifestSchema>;
export type ManifestRecording = z.infer<typeof recordingSchema>;

/** prompts/audio-manifest.json, checked when this module loads. */
export const AUDIO_MANIFEST: AudioManifest = audioManifestSchema.parse(manifestJson);

/** The text a recording must say, fingerprinted: a recording of an older text is out of date. */
export function promptTextHash(text: string): string {
  return createHash('sha256').update(text.normalize('NFC')).digest('hex').slice(0, 16);
}

/** Where a prompt's recording is heard from; undefined when it has none. */
export type RecordingResolver = (key: SpokenKey, lang: Lang) => { url: string; placeholder: boolean } | undefined;

/**
 * The recordings of `manifest`, as URLs under `audioBaseUrl`. No base URL: no recordings (every prompt spoken).
 * `exists` drops entries whose file is absent (locally, where the files are on disk).
 */
export function recordingResolver(
  manifest: AudioManifest,
  audioBaseUrl: string | undefined,
  exists: (file: string) => boolean = () => true,
): RecordingResolver {
  if (!audioBaseUrl) return () => undefined;
  return (key, lang) => {
    const recording = manifest.recordings[key]?.[lang];
    if (!recording || !exists(recording.file)) return undefined;
    return { url: audioUrl(audioBaseUrl, recording.file), placeholder: recording.placeholder };
  };
}

/** A recording's URL: its path (relative to the audio store) under `audioBaseUrl`, each part encoded. */
export function audioUrl(audioBaseUrl: string, file: string): string {
  return `${audioBaseUrl.replace(/\/+$/, '')}/${file.split('/').map(encodeURIComponent).join('/')}`;
}

export type Speech = { kind: 'play'; url: string } | { kind: 'say'; text: string; lang: Lang };

/** A prompt heard in another language than the call's, or through a placeholder: for the log. */
export interface Fallback {
  key: SpokenKey;
  lang: Lang;
  heardAs: Lang;
  from: 'recording' | 'speech';
}

export interface SpeechOptions {
  /** The languages the provider's text-to-speech speaks. */
  tts: readonly Lang[];
  recordings: RecordingResolver;
}

/**
 * Characters that XML 1.0 cannot carry (control characters, lone surrogates, U+FFFE/U+FFFF) removed, and line
 * breaks made spaces: registry names come from a CSV file, and a stray control character must not break a call.
 */
export function speakable(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[\u0000-\u001f\u007f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .trim();
}

/**
 * Tajik (and Kyrgyz, Uzbek-Cyrillic) letters as a Russian voice can say them (text-to-speech, or espeak-ng for
 * placeholders).
 */
const FOR_RUSSIAN_VOICE: Record<string, string> = {
  ҳ: 'х', Ҳ: 'Х', қ: 'к', Қ: 'К', ғ: 'г', Ғ: 'Г', ҷ: 'дж', Ҷ: 'Дж', ӣ: 'и', Ӣ: 'И', ӯ: 'у', Ӯ: 'У',
  ң: 'н', Ң: 'Н', ө: 'о', Ө: 'О', ү: 'у', Ү: 'У', ў: 'у', Ў: 'У',
};
export function forRussianVoice(text: string): string {
  return text.normalize('NFC').replace(/[ҳҲқҚғҒҷҶӣӢӯӮңҢөӨүҮўЎ]/g, (ch) => FOR_RUSSIAN_VOICE[ch]!);
}

/**
 * Prompts whose meaning is their language ("For Tajik, press 1"): another language's text would say another
 * key, so without a recording they are read in their own words by another voice.
 */
const SELF_NAMING: ReadonlySet<SpokenKey> = new Set<SpokenKey>(['voice.lang.choose']);

/** Cyrillic (Russian, Tajik, Kyrgyz, Uzbek) to Latin, for a provider that speaks English only. */
const LATIN: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', ғ: 'gh', д: 'd', е: 'e', ё: 'yo', ж: 'zh', з: 'z', и: 'i', ӣ: 'i', й: 'y', к: 'k',
  қ: 'q', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ӯ: 'u', ф: 'f', х: 'kh', ҳ: 'h',
  ц: 'ts', ч: 'ch', ҷ: 'j', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya', ң: 'ng', ө: 'o',
  ү: 'u', ў: 'o',
};
export function latinise(text: string): string {
  // Uzbek's ʻ (oʻ, gʻ) as the apostrophe an English voice knows.
  return text.normalize('NFC').replace(/ʻ/g, "'").replace(/[\u0400-\u04ff]/g, (ch) => {
    const lower = ch.toLowerCase();
    const latin = LATIN[lower] ?? '';
    return ch === lower ? latin : latin.charAt(0).toUpperCase() + latin.slice(1);
  });
}

/** What the caller hears for `segments`, with the fallbacks taken. Adjacent speech in one language is joined. */
export function planSpeech(segments: readonly Segment[], options: SpeechOptions): { speech: Speech[]; fallbacks: Fallback[] } {
  const { tts, recordings } = options;
  const speech: Speech[] = [];
  const fallbacks: Fallback[] = [];
  const add = (item: Speech) => {
    const last = speech.at(-1);
    if (item.kind === 'say' && !item.text) return;
    if (item.kind === 'say' && last?.kind === 'say' && last.lang === item.lang) last.text = `${last.text} ${item.text}`;
    else speech.push(item.kind === 'say' ? { ...item } : item);
  };
  /**
   * Words that only speech can say (a name as registered): Cyrillic ones by a Russian voice, or in Latin letters
   * by an English one; Latin ones in the call's language if spoken, else in English.
   */
  const sayWords = (text: string, lang: Lang): Speech => {
    if (/[\u0400-\u04ff]/.test(text)) {
      return tts.includes('ru') ? { kind: 'say', text, lang: 'ru' } : { kind: 'say', text: latinise(text), lang: 'en' };
    }
    return { kind: 'say', text, lang: tts.includes(lang) ? lang : 'en' };
  };
  const promptSpeech = (key: SpokenKey, lang: Lang): Speech => {
    const own = recordings(key, lang);
    if (own && !own.placeholder) return { kind: 'play', url: own.url };
    if (tts.includes(lang)) return { kind: 'say', text: speakable(spokenText(lang, key)), lang };
    if (own) return { kind: 'play', url: own.url };
    if (SELF_NAMING.has(key)) {
      const words = speakable(spokenText(lang, key));
      // Cyrillic words (Tajik, Kyrgyz) by a Russian voice where there is one; Latin ones (Uzbek) by an English one.
      const voice: Lang = tts.includes('ru') && /[\u0400-\u04ff]/.test(words) ? 'ru' : 'en';
      fallbacks.push({ key, lang, heardAs: voice, from: 'speech' });
      return { kind: 'say', text: voice === 'ru' ? forRussianVoice(words) : latinise(words), lang: voice };
    }
    for (const other of ['ru', 'en'] as const) {
      if (other === lang) continue;
      const recording = recordings(key, other);
      const spoken = tts.includes(other);
      if (!recording && !spoken) continue;
      const useRecording = recording && (!recording.placeholder || !spoken);
      fallbacks.push({ key, lang, heardAs: other, from: useRecording ? 'recording' : 'speech' });
      return useRecording ? { kind: 'play', url: recording.url } : { kind: 'say', text: speakable(spokenText(other, key)), lang: other };
    }
    fallbacks.push({ key, lang, heardAs: 'en', from: 'speech' });
    return { kind: 'say', text: speakable(spokenText('en', key)), lang: 'en' };
  };
  const digitKey = (digit: string) => `voice.digit.${digit}` as SpokenKey;

  for (const segment of segments) {
    switch (segment.kind) {
      case 'prompt':
        add(promptSpeech(segment.key, segment.lang));
        break;
      case 'text':
        add(sayWords(speakable(segment.text), segment.lang));
        break;
      case 'audio':
        add({ kind: 'play', url: segment.url });
        break;
      case 'number': {
        const digits = String(Math.trunc(segment.value));
        if (tts.includes(segment.lang)) add({ kind: 'say', text: digits, lang: segment.lang });
        else if (tts.includes('ru')) add({ kind: 'say', text: digits, lang: 'ru' });
        else for (const digit of digits) add(promptSpeech(digitKey(digit), segment.lang));
        break;
      }
      case 'chars': {
        const chars = [...speakable(segment.chars)].filter((ch) => ch.trim());
        if (tts.includes(segment.lang)) {
          add({ kind: 'say', text: `${chars.join(', ')}.`, lang: segment.lang });
          break;
        }
        chars.forEach((ch, i) => {
          // Letters in the voice the digits fall back to: one voice for the whole reference where possible.
          const letter: Speech = { kind: 'say', text: latinise(ch), lang: tts.includes('ru') ? 'ru' : 'en' };
          const item = /\d/.test(ch) ? promptSpeech(digitKey(ch), segment.lang) : letter;
          // A pause between characters read by speech.
          add(item.kind === 'say' ? { ...item, text: `${item.text}${i < chars.length - 1 ? ',' : '.'}` } : item);
        });
        break;
      }
    }
  }
  return { speech, fallbacks };
}
