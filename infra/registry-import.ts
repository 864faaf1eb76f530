/**
 * `npm run registry:import -- FILE.csv [--dry-run]`: loads the licence registry into the table the environment
 * points at (infra/store-target.ts): by default the running local hotline (`npm start`), or with HOTLINE_MODE=aws
 * and no endpoint the deployed table TABLE_NAME in AWS_REGION, with the operator's ordinary AWS credentials.
 *
 * The whole file is validated first: one bad row and nothing is written. Re-importing is idempotent.
 * Exit codes: 0 done, 1 invalid file or store failure, 2 wrong usage.
 */
import { readEnvironment, type Environment } from '../shared/config';
import { parseRegistryCsv } from '../shared/registry/csv';
import { createDocumentClient } from '../shared/store/client';
import { RegistryRepository } from '../shared/store/registry';
import { describeTarget, prepareCsvImport, printOutcomes, type Output } from './csv-import';
import { describeStoreFailure } from './store-target';

const USAGE = 'usage: npm run registry:import -- FILE.csv [--dry-run]';
const LIST_KEPT_MAX = 20;

/** Runs the command; resolves to its exit code. */
export async function runRegistryImport(
  args: readonly string[],
  env: Environment,
  out: Output,
): Promise<number> {
  const prepared = await prepareCsvImport(
    {
      usage: USAGE,
      rowsAre: 'entries',
      parse: (text) => {
        const parsed = parseRegistryCsv(text);
        return parsed.ok ? { ok: true, rows: parsed.entries } : parsed;
      },
    },
    args,
    env,
    out,
  );
  if (typeof prepared === 'number') return prepared;
  const { rows, target } = prepared;
  const client = createDocumentClient(target);
  try {
    const repository = new RegistryRepository(client, target.tableName);
    const result = await repository.putEntries(rows);
    // The index is built here, once for this version, so that no container has to build it (even when nothing
    // changed: the version may predate stored indexes).
    await repository.saveIndex();
    printOutcomes(out, result.outcomes.map(({ entry, outcome }) => ({ row: entry, outcome })), (entry) => entry.name);
    if (result.notInBatch.length > 0) {
      // An import never deletes: a body dropped from the official list must be imported with its new status.
      out.log(`${result.notInBatch.length} stored entries are not in this file and were left as they are:`);
      for (const { name } of result.notInBatch.slice(0, LIST_KEPT_MAX)) out.log(`  kept     ${name}`);
      if (result.notInBatch.length > LIST_KEPT_MAX) out.log(`  … and ${result.notInBatch.length - LIST_KEPT_MAX} more`);
    }
    out.log(`registry version ${result.version} (${describeTarget(target)})`);
    return 0;
  } catch (error) {
    out.error(describeStoreFailure(error, target, 'import into'));
    return 1;
  } finally {
    client.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runRegistryImport(process.argv.slice(2), readEnvironment(), console);
}
