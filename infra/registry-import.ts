/**
 * `npm run registry:import -- FILE.csv [--dry-run]`: loads the licence registry into the table the environment
 * points at (infra/store-target.ts): by default the running local hotline (`npm start`), or with HOTLINE_MODE=aws
 * and no endpoint the deployed table TABLE_NAME in AWS_REGION, with the operator's ordinary AWS credentials.
 *
 * The whole file is validated first: one bad row and nothing is written. Re-importing is idempotent.
 * Exit codes: 0 done, 1 invalid file or store failure, 2 wrong usage.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseRegistryCsv } from '../shared/registry/csv';
import { createDocumentClient } from '../shared/store/client';
import { RegistryRepository } from '../shared/store/registry';
import { describeStoreFailure, storeTargetSchema } from './store-target';

const USAGE = 'usage: npm run registry:import -- FILE.csv [--dry-run]';
const LIST_KEPT_MAX = 20;

export interface Output {
  log(line: string): void;
  error(line: string): void;
}

/** Runs the command; resolves to its exit code. */
export async function runRegistryImport(
  args: readonly string[],
  env: Record<string, string | undefined>,
  out: Output,
): Promise<number> {
  const dryRun = args.includes('--dry-run');
  const files = args.filter((arg) => arg !== '--dry-run');
  if (files.length !== 1 || files[0]!.startsWith('-')) {
    out.error(USAGE);
    return 2;
  }
  // `npm run` works in the package folder; a relative path means the folder the operator typed it in.
  const file = resolve(env.INIT_CWD ?? process.cwd(), files[0]!);

  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    out.error(`Cannot read ${file}: ${(error as Error).message}`);
    return 1;
  }
  const parsed = parseRegistryCsv(text);
  if (!parsed.ok) {
    const rows = parsed.errors.length === 1 ? '1 bad row' : `${parsed.errors.length} bad rows`;
    out.error(`${file}: ${rows}; nothing was written.`);
    for (const { line, reason } of parsed.errors) out.error(`line ${line}: ${reason}`);
    return 1;
  }
  if (dryRun) {
    out.log(`${file}: ${parsed.entries.length} entries, all valid (dry run: nothing written)`);
    return 0;
  }

  const target = storeTargetSchema.safeParse(env);
  if (!target.success) {
    for (const issue of target.error.issues) out.error(`${issue.path.join('.')}: ${issue.message}`);
    return 2;
  }
  const client = createDocumentClient(target.data);
  try {
    const result = await new RegistryRepository(client, target.data.tableName).putEntries(parsed.entries);
    const count = (outcome: string) => result.outcomes.filter((o) => o.outcome === outcome).length;
    out.log(`added ${count('added')}, updated ${count('updated')}, unchanged ${count('unchanged')}`);
    for (const { entry, outcome } of result.outcomes) {
      if (outcome !== 'unchanged') out.log(`  ${outcome.padEnd(8)} ${entry.name}`);
    }
    if (result.notInBatch.length > 0) {
      // An import never deletes: a body dropped from the official list must be imported with its new status.
      out.log(`${result.notInBatch.length} stored entries are not in this file and were left as they are:`);
      for (const { name } of result.notInBatch.slice(0, LIST_KEPT_MAX)) out.log(`  kept     ${name}`);
      if (result.notInBatch.length > LIST_KEPT_MAX) out.log(`  … and ${result.notInBatch.length - LIST_KEPT_MAX} more`);
    }
    const { tableName, endpoint } = target.data;
    out.log(`registry version ${result.version} (${tableName}${endpoint ? ` at ${endpoint}` : ''})`);
    return 0;
  } catch (error) {
    out.error(describeStoreFailure(error, target.data, 'import into'));
    return 1;
  } finally {
    client.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runRegistryImport(process.argv.slice(2), process.env, console);
}
