import { createHmac, timingSafeEqual, createHash } from 'node:crypto';
import { normalisePhone } from './domain/phone';

/**
 * The key under which a phone number is stored: an HMAC with a secret, never the number or a plain hash (the
 * Tajik number space is small enough to hash exhaustively).
 */
export function phoneKey(secret: string, raw: string): string {
  return createHmac('sha256', secret).update(normalisePhone(raw)).digest('base64url');
}

/** How many numbers a container remembers the key of (a number's calls and texts come in runs). */
const PHONE_KEYS_KEPT = 2_000;

/**
 * `phoneKey` with the keys of the numbers seen last kept in the container: parsing a number and its HMAC cost more
 * than the rest of a menu step. The oldest goes first once PHONE_KEYS_KEPT are kept.
 */
export function phoneKeys(secret: string): (raw: string) => string {
  const kept = new Map<string, string>();
  return (raw) => {
    const known = kept.get(raw);
    if (known !== undefined) return known;
    const key = phoneKey(secret, raw);
    if (kept.size >= PHONE_KEYS_KEPT) kept.delete(kept.keys().next().value!);
    kept.set(raw, key);
    return key;
  };
}

/**
 * The idempotency key of a report text from one sender: "the same text sent twice is one report". Keyed by the
 * sender's keyed phone hash, so that the key reveals neither the text nor who sent it.
 */
export function reportTextKey(callerKey: string, normalisedText: string): string {
  return createHmac('sha256', callerKey).update(normalisedText).digest('base64url');
}

/**
 * The idempotency key of a USSD session's report: its session and input path, keyed by the caller's key. The path
 * holds what the caller typed (a card number, a long link), so the key is a hash: bounded, and revealing nothing.
 */
export function ussdReportKey(callerKey: string, sessionId: string, path: readonly string[]): string {
  return `ussd:${createHmac('sha256', callerKey).update(`${sessionId}\u0000${path.join('*')}`).digest('base64url')}`;
}

/** Compares two secrets in constant time, whatever their lengths. */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * An officer's code for one scope (a case, or an hour of duty changes): six digits from an HMAC with the secret, so
 * it is known only to the hotline and to the phone it was texted to, and needs no storage (docs/security.md).
 */
export function officerCommandCode(secret: string, officerKey: string, scope: string, digits: number): string {
  const mac = createHmac('sha256', secret).update(`officer-code\u0000${officerKey}\u0000${scope}`).digest();
  return (mac.readBigUInt64BE(0) % 10n ** BigInt(digits)).toString().padStart(digits, '0');
}
