/**
 * The two codes of the quiz. A completion code (8 characters, no look-alikes: the reports' alphabet without
 * 0/O/Q, 1/I/L, U) proves a pass to a trainer; a group (cohort) code is 6 digits, typed on any keypad, whose last
 * digit is a Damm check digit, so that a mistyped digit or two swapped neighbours are caught before anything is
 * looked up. Randomness comes from the caller (a CSPRNG in the shell); these functions only shape it.
 */
import { REFERENCE_ALPHABET, canonicalCode } from '../report';

export const COMPLETION_CODE_ALPHABET = REFERENCE_ALPHABET;
export const COMPLETION_CODE_LENGTH = 8;
export const COHORT_CODE_LENGTH = 6;

/** A source of uniform random integers in [0, bound): `crypto.randomInt` in the shell. */
export type RandomIndex = (bound: number) => number;

export function generateCompletionCode(randomIndex: RandomIndex): string {
  return Array.from({ length: COMPLETION_CODE_LENGTH }, () => COMPLETION_CODE_ALPHABET[randomIndex(COMPLETION_CODE_ALPHABET.length)]!).join('');
}

/** A completion code as typed (any case, spaces or dashes, Cyrillic look-alikes), canonical; undefined if not one. */
export function normaliseCompletionCode(typed: string): string | undefined {
  return canonicalCode(typed, COMPLETION_CODE_LENGTH);
}

// Damm's quasigroup of order 10: one check digit catches every single-digit error and adjacent transposition.
const DAMM = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

const dammInterim = (digits: string) => [...digits].reduce((interim, d) => DAMM[interim]![Number(d)]!, 0);

export function generateCohortCode(randomIndex: RandomIndex): string {
  // The first digit is never 0, so that a code never loses a digit in a spreadsheet.
  const body = String(1 + randomIndex(9)) + Array.from({ length: COHORT_CODE_LENGTH - 2 }, () => String(randomIndex(10))).join('');
  return body + String(dammInterim(body));
}

/** A group code as typed (spaces and dashes allowed) with a valid check digit; undefined otherwise. */
export function parseCohortCode(typed: string): string | undefined {
  const digits = typed.replace(/[\s-]/g, '');
  if (!new RegExp(`^[1-9]\\d{${COHORT_CODE_LENGTH - 1}}$`).test(digits)) return undefined;
  return dammInterim(digits) === 0 ? digits : undefined;
}
