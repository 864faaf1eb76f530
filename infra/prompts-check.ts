/**
 * `npm run prompts:check`: which voice prompts still need a recording. Tajik needs one for every prompt the voice
 * line speaks (no provider speaks Tajik), Russian for Africa's Talking (which speaks English only). Lists what is
 * missing, what is out of date (its text changed since it was recorded), and the placeholders still waiting for a
 * human recording. Exits non-zero when a needed recording is missing or out of date (with `--strict`, also when a
 * placeholder stands in for one).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROMPTS, type Lang } from '../shared/domain/prompts';
import { SPOKEN_PROMPT_KEYS, type SpokenKey } from '../shared/domain/voice';
import { AUDIO_MANIFEST, promptTextHash, type AudioManifest } from '../shared/channels/voice-speech';

/** The languages that need recordings, and why. */
export const RECORDED_LANGUAGES: Partial<Record<Lang, string>> = {
  tg: 'every provider: no Tajik speech anywhere',
  ru: "Africa's Talking: no Russian speech there",
};

export type RecordingIssue = 'no text' | 'missing' | 'file missing' | 'out of date' | 'placeholder';

export interface RecordingStatus {
  key: SpokenKey;
  lang: Lang;
  issue?: RecordingIssue;
}

export interface RecordingsReport {
  statuses: RecordingStatus[];
  /** Manifest entries for prompts the voice line no longer speaks. */
  unused: string[];
}

export function checkRecordings(
  manifest: AudioManifest,
  fileExists: (file: string) => boolean,
  prompts: Record<Lang, Record<string, string | undefined>> = PROMPTS,
): RecordingsReport {
  const statuses: RecordingStatus[] = [];
  for (const lang of Object.keys(RECORDED_LANGUAGES) as Lang[]) {
    for (const key of SPOKEN_PROMPT_KEYS) {
      const text = prompts[lang][key];
      const recording = manifest.recordings[key]?.[lang];
      const issue: RecordingIssue | undefined =
        text === undefined
          ? 'no text'
          : !recording
            ? 'missing'
            : !fileExists(recording.file)
              ? 'file missing'
              : recording.textHash !== promptTextHash(text)
                ? 'out of date'
                : recording.placeholder
                  ? 'placeholder'
                  : undefined;
      statuses.push({ key, lang, ...(issue ? { issue } : {}) });
    }
  }
  const spoken = new Set<string>(SPOKEN_PROMPT_KEYS);
  const unused = Object.keys(manifest.recordings).filter((key) => !spoken.has(key));
  return { statuses, unused };
}

const SECTIONS: { issues: RecordingIssue[]; title: string }[] = [
  { issues: ['no text'], title: 'No text in prompts/<lang>.json (add the text first)' },
  { issues: ['missing', 'file missing'], title: 'Missing: callers hear these in another language until they are recorded' },
  { issues: ['out of date'], title: 'Out of date: the text changed since it was recorded' },
  { issues: ['placeholder'], title: 'Placeholders (machine-made, npm run prompts:audio): still need a human recording' },
];

export function formatReport(report: RecordingsReport): string {
  const lines = ['Voice prompt recordings (prompts/audio-manifest.json, files in prompts/audio/)'];
  for (const { issues, title } of SECTIONS) {
    const hits = report.statuses.filter((s) => s.issue && issues.includes(s.issue));
    if (hits.length === 0) continue;
    lines.push('', `${title}:`);
    for (const [lang, why] of Object.entries(RECORDED_LANGUAGES)) {
      const keys = hits.filter((s) => s.lang === lang).map((s) => (s.issue === 'file missing' ? `${s.key} (file missing)` : s.key));
      if (keys.length > 0) lines.push(`  ${lang} (${why}): ${keys.length}`, ...keys.map((key) => `    ${key}`));
    }
  }
  if (report.unused.length > 0) lines.push('', 'In the manifest but no longer spoken:', ...report.unused.map((key) => `    ${key}`));
  const done = report.statuses.filter((s) => !s.issue).length;
  lines.push('', `Recorded by a person and up to date: ${done} of ${report.statuses.length}.`);
  return lines.join('\n');
}

export function exitCode(report: RecordingsReport, strict: boolean): number {
  const failing: RecordingIssue[] = ['no text', 'missing', 'file missing', 'out of date', ...(strict ? (['placeholder'] as const) : [])];
  return report.statuses.some((s) => s.issue && failing.includes(s.issue)) ? 1 : 0;
}

function main() {
  const audioDir = fileURLToPath(new URL('../prompts/audio/', import.meta.url));
  const report = checkRecordings(AUDIO_MANIFEST, (file) => existsSync(join(audioDir, file)));
  console.log(formatReport(report));
  process.exit(exitCode(report, process.argv.includes('--strict')));
}

if (import.meta.url === `file://${process.argv[1]}`) main();
