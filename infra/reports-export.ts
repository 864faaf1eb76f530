/**
 * `npm run reports:export -- --since YYYY-MM-DD [--out FILE]`: the reports created on or after that day (UTC), as
 * CSV for analysts, to FILE or to standard output. The table is the one infra/store-target.ts describes (by default
 * the running local hotline). Exit codes: 0 done, 1 store or file failure, 2 wrong usage.
 *
 * Columns (RFC 4180, CRLF, one report per row, oldest first):
 * reference, created_at (ISO UTC), channel, lang, category, paid, amount, currency, urgent (yes/no),
 * reasons (`;`-separated urgency reasons), status, identifiers (`;`-separated `kind:value`; cards as
 * `card:****1234`), callback_consent (yes/no), has_recording (yes/no), listed_to_case (an urgent report not paged
 * because its reporter had reached the hourly limit of escalations: the reporter's case it was listed to).
 *
 * Left out on purpose: the reporter (not even the keyed hash: analysts count reports, not people), the free text
 * (victims write their own names, numbers and addresses into it, and masking digits would not hide a name; the
 * structured columns carry what it yielded), the recording (a voice), and any call-back number. Identifier phones
 * are the numbers victims named as the scammer's; intake already drops the reporter's own number from them.
 * No cell can start with = + - @ (formula injection in spreadsheets): identifiers start with their kind.
 */
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { readEnvironment, storeTargetSchema, type Environment } from '../shared/config';
import { isCalendarDate } from '../shared/domain/registry';
import type { Identifier, Report } from '../shared/domain/report';
import { createDocumentClient } from '../shared/store/client';
import { ReportRepository } from '../shared/store/reports';
import { describeStoreFailure } from './store-target';

const USAGE = 'usage: npm run reports:export -- --since YYYY-MM-DD [--out FILE]';

export const REPORTS_CSV_HEADER = [
  'reference',
  'created_at',
  'channel',
  'lang',
  'category',
  'paid',
  'amount',
  'currency',
  'urgent',
  'reasons',
  'status',
  'identifiers',
  'callback_consent',
  'has_recording',
  'listed_to_case',
] as const;

export interface Output {
  log(line: string): void;
  error(line: string): void;
  /** Where the CSV goes without --out. */
  write(text: string): void;
}

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

function identifierCell(identifier: Identifier): string {
  return identifier.kind === 'card' ? `card:****${identifier.last4}` : `${identifier.kind}:${identifier.value}`;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function reportsCsv(reports: readonly Report[]): string {
  const rows = reports.map((report) => [
    report.reference,
    report.createdAt,
    report.channel,
    report.lang,
    report.category,
    report.paid,
    report.amount ? String(report.amount.value) : '',
    report.amount?.currency ?? '',
    yesNo(report.urgency.urgent),
    report.urgency.reasons.join(';'),
    report.status,
    report.identifiers.map(identifierCell).join(';'),
    yesNo(report.callbackConsent),
    yesNo(report.recordingUrl !== undefined),
    report.escalationHeld?.case ?? '',
  ]);
  return [[...REPORTS_CSV_HEADER], ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

function parseArgs(args: readonly string[]): { since: string; out?: string } | undefined {
  const options: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) {
    const [name, value] = [args[i]!, args[i + 1]];
    if ((name !== '--since' && name !== '--out') || value === undefined || value.startsWith('--') || name in options) return undefined;
    options[name] = value;
  }
  const since = options['--since'];
  return since && isCalendarDate(since) ? { since, out: options['--out'] } : undefined;
}

/** Runs the command; resolves to its exit code. */
export async function runReportsExport(
  args: readonly string[],
  env: Environment,
  out: Output,
): Promise<number> {
  const parsed = parseArgs(args);
  const target = storeTargetSchema.safeParse(env);
  if (!parsed || !target.success) {
    out.error(USAGE);
    for (const issue of target.error?.issues ?? []) out.error(`${issue.path.join('.')}: ${issue.message}`);
    return 2;
  }
  const client = createDocumentClient(target.data);
  let reports: Report[];
  try {
    reports = await new ReportRepository(client, target.data.tableName).listCreatedSince(parsed.since);
  } catch (error) {
    out.error(describeStoreFailure(error, target.data, 'export from'));
    return 1;
  } finally {
    client.destroy();
  }
  const csv = reportsCsv(reports);
  const summary = `${reports.length} reports created since ${parsed.since}`;
  if (parsed.out === undefined) {
    out.write(csv);
    out.error(summary);
    return 0;
  }
  // `npm run` works in the package folder; a relative path means the folder the operator typed it in.
  const file = resolve(env.INIT_CWD ?? process.cwd(), parsed.out);
  try {
    const handle = await open(file, 'w', 0o600);
    await handle.writeFile(csv, 'utf8').finally(() => handle.close());
  } catch (error) {
    out.error(`Cannot write ${file}: ${(error as Error).message}`);
    return 1;
  }
  out.log(`${summary}: ${file}`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runReportsExport(process.argv.slice(2), readEnvironment(), {
    log: (line) => console.log(line),
    error: (line) => console.error(line),
    write: (text) => process.stdout.write(text),
  });
}
