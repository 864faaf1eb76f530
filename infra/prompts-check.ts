/**
 * `npm run prompts:check`: which voice prompts still need a recording (the prompt studio's catalogue,
 * shared/studio/catalogue.ts). Tajik, Uzbek and Kyrgyz need one for every prompt the voice line speaks (no
 * provider speaks them; until recorded, callers hear Russian, or English on Africa's Talking), Russian for Africa's
 * Talking (which speaks English only). Lists what is missing, what is stale (its text changed
 * since it was recorded: it still plays until it is recorded again), and the placeholders still waiting for a
 * human recording. Exits non-zero when a needed recording is missing or stale (with `--strict`, also when a
 * placeholder stands in for one).
 *
 * By default it reads the committed recordings (prompts/audio-manifest.json); with `--table` also the takes saved
 * through the studio, from the table infra/store-target.ts describes (the running local hotline by default).
 *
 *   npm run prompts:check [-- --table] [--strict]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEnvironment, storeTargetSchema, type Environment } from '../shared/config';
import { AUDIO_MANIFEST } from '../shared/channels/voice-speech';
import { createDocumentClient } from '../shared/store/client';
import { StudioRepository } from '../shared/store/studio';
import { RECORDED_LANGUAGES, buildCatalogue, type CatalogueEntry, type StudioRecording } from '../shared/studio/catalogue';
import { describeStoreFailure } from './store-target';

export { RECORDED_LANGUAGES };

const AUDIO_DIR = fileURLToPath(new URL('../prompts/audio/', import.meta.url));

/** The catalogue as the commands see it: the committed files on disk, and with `--table` the studio's takes. */
export async function commandCatalogue(args: readonly string[], env: Environment): Promise<{ ok: true; entries: CatalogueEntry[] } | { ok: false; error: string }> {
  let takes: StudioRecording[] = [];
  if (args.includes('--table')) {
    const target = storeTargetSchema.safeParse(env);
    if (!target.success) return { ok: false, error: target.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n') };
    const client = createDocumentClient(target.data);
    try {
      takes = await new StudioRepository(client, target.data.tableName).list();
    } catch (error) {
      return { ok: false, error: describeStoreFailure(error, target.data, 'read the studio takes from') };
    } finally {
      client.destroy();
    }
  }
  return { ok: true, entries: buildCatalogue({ takes, manifest: AUDIO_MANIFEST, fileExists: (file) => existsSync(join(AUDIO_DIR, file)) }) };
}

type Issue = 'missing' | 'stale' | 'placeholder';

const issueOf = (entry: CatalogueEntry): Issue | undefined =>
  entry.status === 'stale' ? 'stale' : entry.status !== 'missing' ? undefined : entry.recording?.placeholder ? 'placeholder' : 'missing';

const SECTIONS: { issue: Issue; title: string }[] = [
  { issue: 'missing', title: 'Missing: callers hear these in another language until they are recorded' },
  { issue: 'stale', title: 'Stale: the text changed since it was recorded (the old take plays until it is recorded again)' },
  { issue: 'placeholder', title: 'Placeholders (machine-made, npm run prompts:audio): still need a human recording' },
];

export function formatReport(entries: readonly CatalogueEntry[]): string {
  const lines = ['Voice prompt recordings (prompts/audio-manifest.json and the prompt studio)'];
  for (const { issue, title } of SECTIONS) {
    const hits = entries.filter((e) => issueOf(e) === issue);
    if (hits.length === 0) continue;
    lines.push('', `${title}:`);
    for (const [lang, why] of Object.entries(RECORDED_LANGUAGES)) {
      const mine = hits.filter((e) => e.lang === lang);
      if (mine.length > 0) lines.push(`  ${lang} (${why}): ${mine.length}`, ...mine.map((e) => `    ${String(e.number).padStart(3)} ${e.key}`));
    }
  }
  const done = entries.filter((e) => issueOf(e) === undefined).length;
  const approved = entries.filter((e) => e.status === 'approved').length;
  lines.push('', `Recorded by a person and up to date: ${done} of ${entries.length} (${approved} approved).`);
  return lines.join('\n');
}

export function exitCode(entries: readonly CatalogueEntry[], strict: boolean): number {
  const failing: Issue[] = ['missing', 'stale', ...(strict ? (['placeholder'] as const) : [])];
  return entries.some((e) => failing.includes(issueOf(e)!)) ? 1 : 0;
}

async function main() {
  const args = process.argv.slice(2);
  const catalogue = await commandCatalogue(args, readEnvironment());
  if (!catalogue.ok) {
    console.error(catalogue.error);
    process.exit(2);
  }
  console.log(formatReport(catalogue.entries));
  process.exit(exitCode(catalogue.entries, args.includes('--strict')));
}

if (import.meta.url === `file://${process.argv[1]}`) void main();
