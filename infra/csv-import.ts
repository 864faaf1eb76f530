/**
 * What every CSV import command shares (`registry:import`, `officers:import`): its arguments, reading the file,
 * validating it whole (one bad row and nothing is written), the dry run, the store target, and the summary line.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { storeTargetSchema, type Environment } from '../shared/config';
import type { StoreTarget } from '../shared/store/client';

export interface Output {
  log(line: string): void;
  error(line: string): void;
}

export type CsvParseResult<T> = { ok: true; rows: T[] } | { ok: false; errors: { line: number; reason: string }[] };

export interface CsvImportSpec<T> {
  usage: string;
  /** Flags the command takes besides `--dry-run`. */
  flags?: readonly string[];
  /** What a row is, in the plural ("entries", "officers"). */
  rowsAre: string;
  parse(text: string): CsvParseResult<T>;
}

export type PreparedImport<T> = { rows: T[]; target: StoreTarget; flags: Set<string> };

/** Resolves to the validated rows and the table to write to, or to the exit code when there is nothing to write. */
export async function prepareCsvImport<T>(
  spec: CsvImportSpec<T>,
  args: readonly string[],
  env: Environment,
  out: Output,
): Promise<PreparedImport<T> | number> {
  const known = ['--dry-run', ...(spec.flags ?? [])];
  const files = args.filter((arg) => !known.includes(arg));
  if (files.length !== 1 || files[0]!.startsWith('-')) {
    out.error(spec.usage);
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
  const parsed = spec.parse(text);
  if (!parsed.ok) {
    const rows = parsed.errors.length === 1 ? '1 bad row' : `${parsed.errors.length} bad rows`;
    out.error(`${file}: ${rows}; nothing was written.`);
    for (const { line, reason } of parsed.errors) out.error(`line ${line}: ${reason}`);
    return 1;
  }
  if (args.includes('--dry-run')) {
    out.log(`${file}: ${parsed.rows.length} ${spec.rowsAre}, all valid (dry run: nothing written)`);
    return 0;
  }
  const target = storeTargetSchema.safeParse(env);
  if (!target.success) {
    for (const issue of target.error.issues) out.error(`${issue.path.join('.')}: ${issue.message}`);
    return 2;
  }
  return { rows: parsed.rows, target: target.data, flags: new Set(args.filter((arg) => known.includes(arg))) };
}

/** `added A, updated U, unchanged C`, then a line per row that changed. */
export function printOutcomes<T>(out: Output, outcomes: { outcome: string; row: T }[], describe: (row: T) => string): void {
  const count = (outcome: string) => outcomes.filter((o) => o.outcome === outcome).length;
  out.log(`added ${count('added')}, updated ${count('updated')}, unchanged ${count('unchanged')}`);
  for (const { row, outcome } of outcomes) if (outcome !== 'unchanged') out.log(`  ${outcome.padEnd(8)} ${describe(row)}`);
}

/** Where the command wrote, for its last line. */
export function describeTarget({ tableName, endpoint }: StoreTarget): string {
  return `${tableName}${endpoint ? ` at ${endpoint}` : ''}`;
}
