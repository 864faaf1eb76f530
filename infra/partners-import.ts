/**
 * `npm run partners:import -- FILE.csv [--dry-run]`: loads the partner organisations and their focal points (the
 * console's national referrals, shared/console/partners-csv.ts) into the table the environment points at, like the
 * rota and registry imports: the whole file validated first, then only what changed written; nothing is deleted.
 * Administrators can do the same in the console (/console/admin), with the difference shown before applying.
 */
import { readEnvironment, type Environment } from '../shared/config';
import { parsePartnersCsv } from '../shared/console/partners-csv';
import { createDocumentClient } from '../shared/store/client';
import { PartnerRepository } from '../shared/store/partners';
import { describeTarget, prepareCsvImport, type Output } from './csv-import';
import { describeStoreFailure } from './store-target';

const USAGE = 'usage: npm run partners:import -- FILE.csv [--dry-run]';

export async function runPartnersImport(args: readonly string[], env: Environment, out: Output): Promise<number> {
  const prepared = await prepareCsvImport(
    {
      usage: USAGE,
      rowsAre: 'focal points',
      parse: (text) => {
        const parsed = parsePartnersCsv(text);
        return parsed.ok ? { ok: true, rows: [parsed] } : parsed;
      },
    },
    args,
    env,
    out,
  );
  if (typeof prepared === 'number') return prepared;
  const client = createDocumentClient(prepared.target);
  try {
    const diff = await new PartnerRepository(client, prepared.target.tableName).apply(prepared.rows[0]!);
    out.log(`added ${diff.added.length}, changed ${diff.changed.length}, not in the file (kept) ${diff.missing.length}`);
    for (const [label, items] of [['added', diff.added], ['changed', diff.changed], ['kept', diff.missing]] as const) {
      for (const item of items) out.log(`  ${label.padEnd(8)} ${item}`);
    }
    out.log(`partners written to ${describeTarget(prepared.target)}`);
    return 0;
  } catch (error) {
    out.error(describeStoreFailure(error, prepared.target, 'import into'));
    return 1;
  } finally {
    client.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runPartnersImport(process.argv.slice(2), readEnvironment(), console);
}
