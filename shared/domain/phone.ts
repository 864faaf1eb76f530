/**
 * The one reader of phone numbers, for every channel (USSD, SMS, voice keypad, free text, the registry and rota
 * files): however a migrant writes a number, it becomes the same E.164 string, so that two reports naming one
 * scammer meet and a check finds the registry's contact.
 */
import { parsePhoneNumberFromString as parseWithMetadata, type MetadataJson } from 'libphonenumber-js/core';
import * as z from './zod';
import { phoneMetadata } from './phone-metadata';

/** The served countries' metadata (shared/domain/phone-metadata.ts), asked for when the first number is read, then kept. */
let kept: MetadataJson | undefined;
const metadata = () => (kept ??= phoneMetadata());

const parseNumber = (number: string) => parseWithMetadata(number, 'TJ', metadata());

/** A phone number as the store keeps it: `+`, a country code and 7 to 15 digits in all. */
export const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * A written or typed number in E.164, or undefined when it cannot be one. Read as people in Tajikistan and Russia
 * write them:
 * - `+…` and `00…` are international (`00992 92 700 1122`, `+7 (916) 123-45-67`);
 * - `8` and ten digits is a Russian number with its trunk prefix (`8 916 123 45 67`);
 * - `8` and nine digits is a Tajik one with the old domestic trunk 8 (`8 92 700 1122`), which libphonenumber's
 *   metadata does not know;
 * - eleven digits or more otherwise are a country code and number without the `+`: unbroken, as a keypad gives them
 *   (`447700900123`), or in groups when they make a valid number (`992 92 700 1122`); other groups may well be a
 *   Tajik number and an amount (`90 000 1234 500`), never a Turkish number;
 * - anything shorter is a Tajik national number (`927001122`).
 * Spaces, dashes, dots and brackets are otherwise ignored.
 */
export function parsePhone(written: string): string | undefined {
  const { number, bare } = dialled(written);
  if (!bare && number.startsWith('+') && !hasMetadata(number)) return E164.test(number) ? number : undefined;
  const parsed = parseNumber(number);
  // Some countries' short numbers are "possible" (Austria's +43 0000), but not a number anyone is called from.
  if (!parsed?.isPossible() || !E164.test(parsed.number)) return undefined;
  const inGroups = /\d\D+\d/.test(written.trim());
  return bare && inGroups && !parsed.isValid() ? undefined : parsed.number;
}

/**
 * A number in E.164 when it parses, otherwise its digits (after a `+` if it had one): the form keys and comparisons
 * use, so that a number that cannot be parsed still has one stable spelling.
 */
export function normalisePhone(raw: string): string {
  return parsePhone(raw) ?? (isInternational(raw) ? `+${raw.replace(/\D/g, '')}` : raw.replace(/\D/g, ''));
}

/** The calling code of a number in E.164 that the metadata knows (`+992`), or undefined. */
export function countryCallingCode(e164: string): string | undefined {
  const code = parseNumber(e164)?.countryCallingCode;
  return code ? `+${code}` : undefined;
}

/**
 * Whether an international number's calling code (1 to 3 digits after the `+`) is one the metadata has. A number of
 * another country, written with + or 00, is kept as written, unchecked, rather than lost.
 */
const hasMetadata = (international: string) =>
  [1, 2, 3].some((length) => international.slice(1, 1 + length) in metadata().country_calling_codes);

const isInternational = (written: string) => /^[\s(]*\+/.test(written);

/**
 * The digits as libphonenumber reads them: with `+` and the country code, or a Tajik national number; `bare` when
 * the country code was read from the digits alone (no `+`, `00` or trunk).
 */
function dialled(written: string): { number: string; bare: boolean } {
  const digits = written.replace(/\D/g, '');
  if (isInternational(written)) return { number: `+${digits}`, bare: false };
  if (digits.startsWith('00')) return { number: `+${digits.slice(2)}`, bare: false };
  if (/^8\d{10}$/.test(digits)) return { number: `+7${digits.slice(1)}`, bare: false };
  if (/^8\d{9}$/.test(digits)) return { number: digits.slice(1), bare: false };
  return digits.length >= 11 ? { number: `+${digits}`, bare: true } : { number: digits, bare: false };
}

/**
 * The sender's number in E.164 when it is a phone number at all: digits with an optional leading +, spaces,
 * dots, dashes and brackets, of a possible length for its country. Undefined for alphanumeric sender IDs
 * (`T900000101`, `OFFICER-900000101`, `MTN`) and short codes (`000`), which bulk-SMS services let anyone choose:
 * such a sender is never an officer, never answered, and its message never stored.
 */
export function senderPhone(raw: string): string | undefined {
  const trimmed = raw.trim();
  return /^\+?[\d\s().-]+$/.test(trimmed) ? parsePhone(trimmed) : undefined;
}

/** A webhook's sender field: a phone number (answered with 400 otherwise, as RapidPro's courier does), in E.164. */
export const senderPhoneField = z.pipe(
  z.string().check(z.maxLength(64)),
  z.transform((raw, context) => {
    const phone = senderPhone(raw);
    if (phone === undefined) context.issues.push({ code: 'custom', input: context.value, message: 'not a phone number' });
    return phone ?? raw;
  }),
);
