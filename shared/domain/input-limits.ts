/**
 * What a caller may type, capped in bytes (UTF-8), not characters: the store's limits are in bytes, and Tajik and
 * Russian letters take two each. A text over its cap is answered politely in the caller's language (`common.tooLong`,
 * with the most letters of their alphabet it may hold) and goes no further: it never becomes a key, a held story or
 * a report's free text.
 */

export const INPUT_LIMITS = {
  /** One USSD answer: a USSD message holds at most 182 GSM characters (182 bytes) or 91 UCS-2 ones (Cyrillic: 182). */
  ussdInputBytes: 400,
  /** An SMS's words after its keyword: about ten concatenated parts, in any alphabet. */
  smsTextBytes: 1_600,
} as const;

const encoder = new TextEncoder();

export function exceedsBytes(text: string, maxBytes: number): boolean {
  // Every character takes at least one byte: a text that short cannot be over (and is not encoded).
  return text.length > maxBytes / 4 && encoder.encode(text).length > maxBytes;
}

/** The cap as the caller is told it: letters of a two-byte alphabet (Cyrillic), the one most callers write in. */
export const lettersWithin = (maxBytes: number) => Math.floor(maxBytes / 2);
