/**
 * A registry entry (a licensed agency, an employer, a scheme operator) and how it is identified: its id, its
 * licence number's key, its contacts normalised, and its standing on a given day.
 */
import * as z from '../zod';
import { E164 } from '../phone';

export const ENTRY_KINDS = ['scheme_operator', 'agency', 'employer'] as const;

export const ENTRY_STATUSES = ['valid', 'suspended', 'revoked', 'expired'] as const;

export type EntryKind = (typeof ENTRY_KINDS)[number];

export type EntryStatus = (typeof ENTRY_STATUSES)[number];

/** `YYYY-MM-DD` that names a day that exists (no 2025-02-30). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

const isoDate = z.string().check(z.refine(isCalendarDate, 'a calendar date YYYY-MM-DD'));

export { E164 };

/** One licensed (or formerly licensed) body, as stored and as indexed. */
export const registryEntrySchema = z.lazy(() => z.object({
  id: z.string().check(z.minLength(1)),
  kind: z.enum(ENTRY_KINDS),
  name: z.string().check(z.minLength(1)),
  aliases: z.array(z.string().check(z.minLength(1))),
  licenceNumber: z.optional(z.string().check(z.minLength(1))),
  /** ISO 3166-1 alpha-2, upper case. */
  country: z.string().check(z.regex(/^[A-Z]{2}$/)),
  status: z.enum(ENTRY_STATUSES),
  validUntil: z.optional(isoDate),
  /** E.164, as `normalisePhone` writes them. */
  phones: z.array(z.string().check(z.regex(E164))),
  /** As `normaliseWebsite` writes them: `example.org` or `facebook.com/page`. */
  websites: z.array(z.string().check(z.minLength(1))),
  source: z.string().check(z.minLength(1)),
  checkedOn: isoDate,
}));

export type RegistryEntry = z.infer<typeof registryEntrySchema>;

/** A licence number as compared: letters and digits only, upper case ("ab-12 3" → "AB123"). */
export function licenceKey(raw: string): string {
  return raw.normalize('NFKC').toUpperCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * A stable id, so that re-importing a file updates entries in place: from the licence number when there is one,
 * else from kind and name (letters and digits, lower case; deliberately not the fuzzy key, whose rules may be tuned).
 */
export function entryId(kind: EntryKind, name: string, licenceNumber?: string): string {
  if (licenceNumber) return `L:${licenceKey(licenceNumber)}`;
  return `N:${kind}:${name.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')}`;
}

/**
 * A web address as stored and compared: host without `www.`, and path, lower case, no scheme, query or trailing
 * slash (`https://www.Example.org/Jobs/?x=1` → `example.org/jobs`). Undefined when it is not a web address.
 */
export function normaliseWebsite(raw: string): string | undefined {
  const bare = raw.trim().replace(/^[a-z][a-z\d+.-]*:\/\//i, '');
  if (!bare || /\s/.test(bare)) return undefined;
  let url: URL;
  try {
    url = new URL(`http://${bare}`);
  } catch {
    return undefined;
  }
  if (!/^[a-z\d-]+(\.[a-z\d-]+)+$/.test(url.hostname) || url.username || url.port) return undefined;
  return `${url.hostname.replace(/^www\./, '')}${url.pathname.replace(/\/+$/, '')}`.toLowerCase();
}

export type Standing = 'licensed' | 'suspended' | 'revoked' | 'expired';

/**
 * Whether the entry is licensed on `today` (`YYYY-MM-DD`, the caller's calendar day). A `valid` entry whose
 * valid-until day has passed is expired: the registry file may be older than the licence.
 */
export function standing(entry: Pick<RegistryEntry, 'status' | 'validUntil'>, today: string): Standing {
  if (entry.status !== 'valid') return entry.status;
  return entry.validUntil !== undefined && entry.validUntil < today ? 'expired' : 'licensed';
}
