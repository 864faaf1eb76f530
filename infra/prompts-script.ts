/**
 * `npm run prompts:script`: the voice artist's recording script (shared/studio/script.ts) as CSV: every prompt
 * still to record, per language, numbered as on the studio line. By default from the committed recordings; with
 * `--table` also the studio's takes (like prompts:check).
 *
 *   npm run prompts:script [-- --lang tg] [--table] [--out script.csv]
 */
import { writeFileSync } from 'node:fs';
import { readEnvironment } from '../shared/config';
import { isLang } from '../shared/domain/prompts';
import { recordingScript } from '../shared/studio/script';
import { commandCatalogue } from './prompts-check';

async function main() {
  const args = process.argv.slice(2);
  const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const lang = option('--lang');
  if (lang !== undefined && !isLang(lang)) {
    console.error(`--lang takes a language code (tg, ru, …), not "${lang}"`);
    process.exit(2);
  }
  const catalogue = await commandCatalogue(args, readEnvironment());
  if (!catalogue.ok) {
    console.error(catalogue.error);
    process.exit(2);
  }
  const csv = recordingScript(catalogue.entries, lang);
  const out = option('--out');
  if (out) {
    writeFileSync(out, csv);
    console.error(`${csv.split('\r\n').length - 2} prompt(s) to record written to ${out}`);
  } else process.stdout.write(csv);
}

if (import.meta.url === `file://${process.argv[1]}`) void main();
