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
