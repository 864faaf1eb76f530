import { createHmac, timingSafeEqual, createHash } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * A phone number in E.164 when it parses (local forms such as `927001122` are read as Tajik), otherwise the input
 * with everything but digits and a leading + removed.
 */
export function normalisePhone(raw: string): string {
  const cleaned = raw.trim().replace(/(?!^\+)[^\d]/g, '');
  // Tajikistan's domestic trunk prefix 8 (`8 92 700 1122`) is not in libphonenumber's metadata.
  const national = /^8\d{9}$/.test(cleaned) ? cleaned.slice(1) : cleaned;
  const parsed = parsePhoneNumberFromString(national, 'TJ');
  return parsed?.isPossible() ? parsed.number : cleaned;
}

/**
 * The key under which a phone number is stored: an HMAC with a secret, never the number or a plain hash (the
 * Tajik number space is small enough to hash exhaustively).
 */
export function phoneKey(secret: string, raw: string): string {
  return createHmac('sha256', secret).update(normalisePhone(raw)).digest('base64url');
}

/** Compares two secrets in constant time, whatever their lengths. */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
