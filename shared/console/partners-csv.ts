/**
 * The partner directory file: one row per focal point, with its organisation's fields (repeated on each of its
 * rows; they must agree). Header exactly
 * `organisation_id,organisation,kind,services,focal_point_name,focal_point_email,focal_point_phone`. Parsed like
 * the rota and the registry (shared/registry/csv.ts): one bad row makes the whole file bad, every problem listed
 * with its line number.
 */
import * as z from '../domain/zod';
import { REFERRAL_BODIES } from '../domain/officer';
import { normalisePhone } from '../domain/phone';
import { E164 } from '../domain/registry';
import { REFERRAL_SERVICES, type FocalPoint, type PartnerOrganisation } from '../domain/console/referral';
import { parseCsvRecords, type CsvError } from '../registry/csv';

export const PARTNERS_CSV_HEADER = [
  'organisation_id',
  'organisation',
  'kind',
  'services',
  'focal_point_name',
  'focal_point_email',
  'focal_point_phone',
] as const;

export type PartnersCsvResult =
  | { ok: true; organisations: PartnerOrganisation[]; focalPoints: FocalPoint[] }
  | { ok: false; errors: CsvError[] };

const oneOf = (values: readonly string[]) => (issue: { input?: unknown }) => `must be one of ${values.join(', ')}, not "${String(issue.input)}"`;

const rowSchema = z.object({
  organisation_id: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{1,40}$/, 'must be lower-case letters, digits and dashes')),
  organisation: z.string().check(z.minLength(1, 'is empty'), z.maxLength(120)),
  kind: z.enum(REFERRAL_BODIES, { error: oneOf(REFERRAL_BODIES) }),
  services: z.pipe(
    z.pipe(z.string(), z.transform((value) => value.split(';').map((part) => part.trim()).filter(Boolean))),
    z.array(z.enum(REFERRAL_SERVICES, { error: oneOf(REFERRAL_SERVICES) })).check(z.minLength(1, 'is empty')),
  ),
  focal_point_name: z.string().check(z.minLength(1, 'is empty'), z.maxLength(80)),
  focal_point_email: z.pipe(
    z.pipe(z.string(), z.transform((value) => value.toLowerCase())),
    z.email({ error: (issue) => `"${String(issue.input)}" is not an e-mail address` }),
  ),
  focal_point_phone: z.pipe(
    z.string(),
    z.transform((raw, ctx) => {
      if (raw === '') return undefined;
      const phone = normalisePhone(raw);
      if (E164.test(phone)) return phone;
      ctx.issues.push({ code: 'custom', input: ctx.value, message: `"${raw}" is not a phone number in international form` });
      return z.NEVER;
    }),
  ),
});

export function parsePartnersCsv(text: string): PartnersCsvResult {
  const [header, ...rows] = parseCsvRecords(text);
  const expected = PARTNERS_CSV_HEADER.join(',');
  const found = header?.fields.map((field) => field.trim()).join(',');
  if (!header || header.syntaxError || found !== expected) {
    return { ok: false, errors: [{ line: 1, reason: `the header must be exactly: ${expected} (found: ${found ?? 'nothing'})` }] };
  }
  const errors: CsvError[] = [];
  const organisations = new Map<string, { organisation: PartnerOrganisation; line: number }>();
  const focalPoints = new Map<string, { point: FocalPoint; line: number }>();
  for (const { line, fields, syntaxError } of rows) {
    if (syntaxError) {
      errors.push({ line, reason: syntaxError });
      continue;
    }
    if (fields.length !== PARTNERS_CSV_HEADER.length) {
      errors.push({ line, reason: `expected ${PARTNERS_CSV_HEADER.length} fields, found ${fields.length} (a field containing a comma must be quoted)` });
      continue;
    }
    const parsed = rowSchema.safeParse(Object.fromEntries(PARTNERS_CSV_HEADER.map((column, c) => [column, fields[c]!.replace(/\s+/g, ' ').trim()])));
    if (!parsed.success) {
      const reasons = parsed.error.issues.map((issue) => `${String(issue.path[0] ?? 'row')}: ${issue.message}`);
      errors.push({ line, reason: [...new Set(reasons)].join('; ') });
      continue;
    }
    const row = parsed.data;
    const organisation: PartnerOrganisation = { id: row.organisation_id, name: row.organisation, kind: row.kind, services: row.services };
    const earlier = organisations.get(organisation.id);
    if (earlier && JSON.stringify(earlier.organisation) !== JSON.stringify(organisation)) {
      errors.push({ line, reason: `organisation ${organisation.id} differs from line ${earlier.line}` });
      continue;
    }
    if (!earlier) organisations.set(organisation.id, { organisation, line });
    const seen = focalPoints.get(row.focal_point_email);
    if (seen) {
      errors.push({ line, reason: `focal_point_email: ${row.focal_point_email} is already on line ${seen.line}` });
      continue;
    }
    focalPoints.set(row.focal_point_email, {
      point: { email: row.focal_point_email, name: row.focal_point_name, organisationId: organisation.id, ...(row.focal_point_phone ? { phone: row.focal_point_phone } : {}) },
      line,
    });
  }
  if (errors.length === 0 && focalPoints.size === 0) errors.push({ line: 1, reason: 'the file lists no focal point' });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, organisations: [...organisations.values()].map((o) => o.organisation), focalPoints: [...focalPoints.values()].map((p) => p.point) };
}
