/**
 * The rota file: CSV with the exact header `name,phone,role,languages,escalation_level` (and optionally `,email`:
 * the address the officer signs in to the console with), UTF-8, parsed like the
 * registry file (shared/registry/csv.ts: quoted fields, line numbers of physical lines). Pure: text in, officers or
 * every problem with its line number out; one bad row makes the whole file bad.
 */
import * as z from '../domain/zod';
import { OFFICER_ROLES } from '../domain/escalation';
import { LANGUAGES, type Lang } from '../domain/prompts';
import { parseCsvRecords, phoneColumn, type CsvError } from '../registry/csv';

export const OFFICERS_CSV_HEADER = ['name', 'phone', 'role', 'languages', 'escalation_level'] as const;
/** The header of a rota whose officers also sign in to the console. */
export const OFFICERS_CSV_HEADER_WITH_EMAIL = [...OFFICERS_CSV_HEADER, 'email'] as const;

/** An officer as the file gives them: the number in E.164. */
export interface OfficerRow {
  name: string;
  phone: string;
  role: (typeof OFFICER_ROLES)[number];
  languages: Lang[];
  level: number;
  /** The console sign-in address (lower case), when the rota gives one. */
  email?: string;
}

export type OfficersCsvResult = { ok: true; officers: OfficerRow[] } | { ok: false; errors: CsvError[] };

const oneOf = (values: readonly string[]) => (issue: { input?: unknown }) =>
  `must be one of ${values.join(', ')}, not "${String(issue.input)}"`;

const rowSchema = z.object({
  name: z.string().check(z.minLength(1, 'is empty'), z.maxLength(60, 'is longer than 60 characters (it is quoted in SMS)')),
  phone: phoneColumn,
  role: z.enum(OFFICER_ROLES, { error: oneOf(OFFICER_ROLES) }),
  languages: z.pipe(
    z.pipe(z.string(), z.transform((value) => value.split(';').map((part) => part.trim().toLowerCase()).filter(Boolean))),
    z.array(z.enum(LANGUAGES, { error: oneOf(LANGUAGES) })).check(
      z.minLength(1, 'is empty (at least one of tg, ru, en; the first is the one they are written to in)'),
      z.refine((langs) => new Set(langs).size === langs.length, 'names a language twice'),
    ),
  ),
  escalation_level: z.pipe(
    z.pipe(z.string().check(z.regex(/^\d+$/, { error: (issue) => `"${issue.input}" is not a whole number` })), z.transform(Number)),
    z.number().check(z.int(), z.gte(1, 'must be 1 or more (1 is paged first)'), z.lte(20, 'must be 20 or less')),
  ),
  email: z.optional(
    z.pipe(
      z.pipe(z.string(), z.transform((value) => value.toLowerCase())),
      z.union([z.literal(''), z.email({ error: (issue) => `"${String(issue.input)}" is not an e-mail address` })]),
    ),
  ),
});

function describeIssues(error: z.core.$ZodError): string {
  const reasons = error.issues.map((issue) => `${String(issue.path[0] ?? 'row')}: ${issue.message}`);
  return [...new Set(reasons)].join('; ');
}

export function parseOfficersCsv(text: string): OfficersCsvResult {
  const [header, ...rows] = parseCsvRecords(text);
  const expected = OFFICERS_CSV_HEADER.join(',');
  if (!header) return { ok: false, errors: [{ line: 1, reason: `the file is empty; the header must be: ${expected}` }] };
  const found = header.fields.map((field) => field.trim()).join(',');
  const columns = found === OFFICERS_CSV_HEADER_WITH_EMAIL.join(',') ? OFFICERS_CSV_HEADER_WITH_EMAIL : OFFICERS_CSV_HEADER;
  if (header.line !== 1 || header.syntaxError || found !== columns.join(',')) {
    return { ok: false, errors: [{ line: 1, reason: `the header must be exactly: ${expected} (found: ${found})` }] };
  }
  const errors: CsvError[] = [];
  const officers: OfficerRow[] = [];
  const lineOfPhone = new Map<string, number>();
  for (const { line, fields, syntaxError } of rows) {
    if (syntaxError) {
      errors.push({ line, reason: syntaxError });
      continue;
    }
    if (fields.length !== columns.length) {
      errors.push({ line, reason: `expected ${columns.length} fields, found ${fields.length} (a field containing a comma must be quoted)` });
      continue;
    }
    const parsed = rowSchema.safeParse(
      Object.fromEntries(columns.map((column, c) => [column, fields[c]!.replace(/\s+/g, ' ').trim()])),
    );
    if (!parsed.success) {
      errors.push({ line, reason: describeIssues(parsed.error) });
      continue;
    }
    const { name, phone, role, languages, escalation_level: level, email } = parsed.data;
    const earlier = lineOfPhone.get(phone);
    if (earlier !== undefined) {
      errors.push({ line, reason: `phone: ${phone} is already on line ${earlier}` });
      continue;
    }
    lineOfPhone.set(phone, line);
    officers.push({ name, phone, role, languages, level, ...(email ? { email } : {}) });
  }
  if (errors.length === 0 && officers.length === 0) errors.push({ line: 1, reason: 'the file lists no officer' });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, officers };
}
