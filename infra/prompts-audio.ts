/**
 * `npm run prompts:audio`: placeholder recordings, so that a demo of the voice line is heard in Tajik, Uzbek, Kyrgyz
 * and (on Africa's Talking) Russian before people record the prompts. Needs `espeak-ng` and `lame` on the PATH
 * (Debian: `apt-get install espeak-ng lame`); nothing else depends on them.
 *
 * espeak-ng has no Tajik voice: Tajik texts are read by its Russian voice, with ҳ қ ғ ҷ ӣ ӯ written as the nearest
 * Russian letters. Uzbek and Kyrgyz have voices of their own (`uz`, `ky`). Each file is 8 kHz mono MP3 at 16 kbit/s (telephone quality: ~2 KB per second of speech) under
 * prompts/audio/<lang>/<key>.mp3, entered in prompts/audio-manifest.json as `placeholder: true`, and listed by
 * `npm run prompts:check` as still needing a human recording. Human recordings are never touched; a placeholder is
 * made again only when its text changed or its file is gone.
 *
 *   npm run prompts:audio [-- --lang tg] [--dry-run]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROMPTS, isLang, type Lang } from '../shared/domain/prompts';
import { SPOKEN_PROMPT_KEYS } from '../shared/domain/voice';
import { audioManifestSchema, forRussianVoice, promptTextHash, type AudioManifest } from '../shared/channels/voice-speech';
import { RECORDED_LANGUAGES } from './prompts-check';

const MANIFEST_FILE = fileURLToPath(new URL('../prompts/audio-manifest.json', import.meta.url));
const AUDIO_DIR = fileURLToPath(new URL('../prompts/audio/', import.meta.url));

/** The espeak-ng voice each recorded language's placeholders are made with. */
const ESPEAK_VOICES: Partial<Record<Lang, string>> = { tg: 'ru', ru: 'ru', uz: 'uz', ky: 'ky' };

export function placeholderText(lang: Lang, text: string): string {
  return lang === 'tg' ? forRussianVoice(text) : text;
}

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.error || result.status !== 0) {
    throw new Error(`${command} failed: ${result.error?.message ?? result.stderr.toString().trim()}`);
  }
}

function main() {
  const dryRun = process.argv.includes('--dry-run');
  const langArg = process.argv[process.argv.indexOf('--lang') + 1];
  const langs = (Object.keys(RECORDED_LANGUAGES) as Lang[]).filter((l) => !process.argv.includes('--lang') || l === langArg);
  if (process.argv.includes('--lang') && !(isLang(langArg) && langArg in RECORDED_LANGUAGES)) {
    throw new Error(`--lang takes one of ${Object.keys(RECORDED_LANGUAGES).join(', ')}`);
  }
  for (const tool of ['espeak-ng', 'lame']) {
    if (!dryRun && spawnSync(tool, ['--version']).error) {
      console.error(`${tool} is not installed (Debian: apt-get install espeak-ng lame). Nothing was changed.`);
      process.exit(1);
    }
  }
  const manifest: AudioManifest = audioManifestSchema.parse(JSON.parse(readFileSync(MANIFEST_FILE, 'utf8')));
  const work = mkdtempSync(join(tmpdir(), 'safejob-audio-'));
  let made = 0;
  try {
    for (const lang of langs) {
      for (const key of SPOKEN_PROMPT_KEYS) {
        const text = (PROMPTS[lang] as Record<string, string | undefined>)[key];
        if (text === undefined) continue;
        const existing = manifest.recordings[key]?.[lang];
        const textHash = promptTextHash(text);
        if (existing && !existing.placeholder) continue;
        if (existing && existing.textHash === textHash && existsSync(join(AUDIO_DIR, existing.file))) continue;
        const file = `${lang}/${key}.mp3`;
        console.log(`${dryRun ? 'would make' : 'making'} ${file}`);
        made++;
        if (dryRun) continue;
        const wav = join(work, 'prompt.wav');
        mkdirSync(dirname(join(AUDIO_DIR, file)), { recursive: true });
        run('espeak-ng', ['-v', ESPEAK_VOICES[lang]!, '-s', '160', '-w', wav, placeholderText(lang, text)]);
        run('lame', ['--quiet', '-m', 'm', '--resample', '8', '-b', '16', wav, join(AUDIO_DIR, file)]);
        manifest.recordings[key] = { ...manifest.recordings[key], [lang]: { file, placeholder: true, textHash } };
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (!dryRun && made > 0) {
    // Keys in the order the voice line speaks them, languages in menu order: a stable file to review.
    const ordered = Object.fromEntries(
      [...SPOKEN_PROMPT_KEYS, ...Object.keys(manifest.recordings).filter((k) => !(SPOKEN_PROMPT_KEYS as readonly string[]).includes(k))]
        .filter((key) => manifest.recordings[key])
        .map((key) => [key, manifest.recordings[key]]),
    );
    writeFileSync(MANIFEST_FILE, `${JSON.stringify({ ...manifest, recordings: ordered }, null, 2)}\n`);
  }
  console.log(`${made} placeholder recording(s) ${dryRun ? 'to make' : 'made'}. They are listed by npm run prompts:check until people record them.`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
