/**
 * The registry file: CSV (RFC 4180: quoted fields may hold commas, quotes doubled, and line breaks), UTF-8 with or
 * without a byte-order mark. Pure: text in, entries or every problem with its line number out. Line numbers count
 * physical lines (the header is line 1), so a quoted field spanning two lines moves every later row down by one.
 */
import * as z from '../domain/zod';
import { normalisePhone } from '../domain/phone';
import {
  E164,
  ENTRY_KINDS,
  ENTRY_STATUSES,
  entryId,
  isCalendarDate,
  licenceKey,
  normaliseWebsite,
  type RegistryEntry,
} from '../domain/registry';

export const REGISTRY_CSV_HEADER = [
  'kind',
  'name',
  'aliases',
  'licence_number',
  'country',
  'status',
  'valid_until',
  'phones',
  'websites',
  'source',
  'checked_on',
] as const;

export interface CsvError {
  line: number;
  reason: string;
}

export type RegistryCsvResult = { ok: true; entries: RegistryEntry[] } | { ok: false; errors: CsvError[] };

interface CsvRecord {
  line: number;
  fields: string[];
  /** Set when the record is not well-formed CSV; its fields are then not to be trusted. */
  syntaxError?: string;
}

/** Splits CSV text into records, each with the line it starts on. Blank lines are skipped. */
export function parseCsvRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = text.startsWith('\uFEFF') ? 1 : 0;
  let line = 1;
  const atLineEnd = () => i >= text.length || text[i] === '\n' || text[i] === '\r';
  const skipLineBreak = () => {
    if (text[i] === '\r' && text[i + 1] === '\n') i++;
    if (i < text.length) {
      i++;
      line++;
    }
  };

  while (i < text.length) {
    const record: CsvRecord = { line, fields: [] };
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) {
            record.syntaxError ??= 'a quoted field is not closed (a " is missing)';
            break;
          }
          const ch = text[i]!;
          if (ch === '"' && text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else if (ch === '"') {
            i++;
            break;
          } else {
            if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++;
            field += ch;
            i++;
          }
        }
        if (text[i] !== ',' && !atLineEnd()) {
          record.syntaxError ??= 'text after a closing quote (a quote inside a field must be doubled: "")';
          while (text[i] !== ',' && !atLineEnd()) i++;
        }
      } else {
        while (text[i] !== ',' && !atLineEnd()) field += text[i++];
        if (field.includes('"')) record.syntaxError ??= 'a quote inside an unquoted field (quote the whole field)';
      }
      record.fields.push(field);
      if (text[i] === ',') {
        i++;
        continue;
      }
      skipLineBreak();
      break;
    }
    const blank = record.fields.length === 1 && record.fields[0] === '' && !record.syntaxError;
    if (!blank) records.push(record);
  }
  return records;
}

// ---------------------------------------------------------------------------------------------------------------
// Rows

const optional = (value: string) => (value === '' ? undefined : value);

const listOf = (item: z.ZodMiniType<string, string>) =>
  z.pipe(z.pipe(z.string(), z.transform((value) => value.split(';').map((part) => part.trim()).filter(Boolean))), z.array(item));

const date = z.string().check(z.refine(isCalendarDate, { error: (issue) => `"${issue.input}" is not a date YYYY-MM-DD` }));

/** A phone number column, as people type them, in E.164 (the registry's and the rota's files). */
export const phoneColumn = z.pipe(
  z.string(),
  z.transform((raw, ctx) => {
    const normalised = normalisePhone(raw);
    if (E164.test(normalised)) return normalised;
    ctx.issues.push({ code: 'custom', input: ctx.value, message: `"${raw}" is not a phone number in international form` });
    return z.NEVER;
  }),
);

const website = z.pipe(
  z.string(),
  z.transform((raw, ctx) => {
    const normalised = normaliseWebsite(raw);
    if (normalised) return normalised;
    ctx.issues.push({ code: 'custom', input: ctx.value, message: `"${raw}" is not a web address` });
    return z.NEVER;
  }),
);

const oneOf = (values: readonly string[]) => (issue: { input?: unknown }) =>
  `must be one of ${values.join(', ')}, not "${String(issue.input)}"`;

const rowSchema = z.object({
  kind: z.enum(ENTRY_KINDS, { error: oneOf(ENTRY_KINDS) }),
  name: z.string().check(z.minLength(1, 'is empty')),
  aliases: listOf(z.string()),
  licence_number: z.pipe(
    z.string().check(z.refine((value) => value === '' || licenceKey(value) !== '', 'has no letters or digits')),
    z.transform(optional),
  ),
  country: z.pipe(
    z.string().check(z.regex(/^[A-Za-z]{2}$/, { error: (issue) => `"${issue.input}" is not a two-letter country code such as TJ or GB` })),
    z.transform((value) => value.toUpperCase()),
  ),
  status: z.enum(ENTRY_STATUSES, { error: oneOf(ENTRY_STATUSES) }),
  valid_until: z.pipe(z.union([z.literal(''), date]), z.transform(optional)),
  phones: listOf(phoneColumn),
  websites: listOf(website),
  source: z.string().check(z.minLength(1, 'is empty (say where the data comes from)')),
  checked_on: date,
});

function toEntry(row: z.output<typeof rowSchema>): RegistryEntry {
  return {
    id: entryId(row.kind, row.name, row.licence_number),
    kind: row.kind,
    name: row.name,
    aliases: row.aliases,
    licenceNumber: row.licence_number,
    country: row.country,
    status: row.status,
    validUntil: row.valid_until,
    phones: row.phones,
    websites: row.websites,
    source: row.source,
    checkedOn: row.checked_on,
  };
}

function describeIssues(error: z.core.$ZodError): string {
  const reasons = error.issues.map((issue) => `${String(issue.path[0] ?? 'row')}: ${issue.message}`);
  return [...new Set(reasons)].join('; ');
}

/** Parses and validates a whole registry file; any bad row makes the whole file bad, with every problem listed. */
export function parseRegistryCsv(text: string): RegistryCsvResult {
  const [header, ...rows] = parseCsvRecords(text);
  const expected = REGISTRY_CSV_HEADER.join(',');
  if (!header) {
    return { ok: false, errors: [{ line: 1, reason: `the file is empty; the header must be: ${expected}` }] };
  }
  const found = header.fields.map((field) => field.trim()).join(',');
  if (header.line !== 1 || header.syntaxError || found !== expected) {
    return { ok: false, errors: [{ line: 1, reason: `the header must be exactly: ${expected} (found: ${found})` }] };
  }

  const errors: CsvError[] = [];
  const entries: RegistryEntry[] = [];
  const lineOfId = new Map<string, number>();
  for (const { line, fields, syntaxError } of rows) {
    if (syntaxError) {
      errors.push({ line, reason: syntaxError });
      continue;
    }
    if (fields.length !== REGISTRY_CSV_HEADER.length) {
      const counts = `expected ${REGISTRY_CSV_HEADER.length} fields, found ${fields.length}`;
      errors.push({ line, reason: `${counts} (a field containing a comma must be quoted)` });
      continue;
    }
    const parsed = rowSchema.safeParse(
      // A line break or a run of spaces inside a field (a pasted name) would only break a USSD screen.
      Object.fromEntries(REGISTRY_CSV_HEADER.map((column, c) => [column, fields[c]!.replace(/\s+/g, ' ').trim()])),
    );
    if (!parsed.success) {
      errors.push({ line, reason: describeIssues(parsed.error) });
      continue;
    }
    const entry = toEntry(parsed.data);
    const earlier = lineOfId.get(entry.id);
    if (earlier !== undefined) {
      errors.push({
        line,
        reason: entry.licenceNumber
          ? `licence_number: ${entry.licenceNumber} is already on line ${earlier}`
          : `the same kind and name as line ${earlier} (without a licence number, kind and name identify an entry)`,
      });
      continue;
    }
    lineOfId.set(entry.id, line);
    entries.push(entry);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, entries };
}
