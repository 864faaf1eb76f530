/**
 * The voice artist's recording script: the prompts still to record (missing, or stale because their text changed),
 * per language, numbered as on the studio line and in the console, with the text to read. CSV (RFC 4180, with a
 * byte-order mark so spreadsheet programs read the Cyrillic as UTF-8).
 */
import { toCsv } from '../domain/console/analytics';
import type { Lang } from '../domain/prompts';
import { needsRecording, type CatalogueEntry } from './catalogue';

export const SCRIPT_HEADER = ['number', 'language', 'prompt', 'status', 'text', 'note'] as const;

export function recordingScript(entries: readonly CatalogueEntry[], lang?: Lang): string {
  const rows = entries
    .filter((e) => needsRecording(e) && (!lang || e.lang === lang))
    .map((e) => [
      e.number,
      e.lang,
      e.key,
      e.status,
      e.text,
      e.status === 'stale' ? 'the text changed since the last take: record it again' : e.recording?.placeholder ? 'a machine placeholder plays now' : '',
    ]);
  return `\ufeff${toCsv(SCRIPT_HEADER, rows)}`;
}
