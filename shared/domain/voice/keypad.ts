/**
 * Licence numbers as typed on a phone keypad (ITU E.161 letters and the Russian layout).
 */
import { licenceKey, type RegistryEntry } from '../registry';
import type { KeypadLicenceIndex } from '../conversation';

/** ITU E.161 keypad letters, and the Russian layout printed on phones sold in Central Asia. */
const KEYPAD = ['', '', 'ABCАБВГ', 'DEFДЕЖЗ', 'GHIИЙКЛ', 'JKLМНОП', 'MNOРСТУ', 'PQRSФХЦЧ', 'TUVШЩЪЫ', 'WXYZЬЭЮЯ'];

/** Tajik letters to the Russian ones on the keys. */
const TAJIK_KEYS: Record<string, string> = { Ҳ: 'Х', Қ: 'К', Ғ: 'Г', Ҷ: 'Ч', Ӣ: 'И', Ӯ: 'У', Ё: 'Е' };

/** A licence number as a caller types it on a keypad: digits as they are, each letter as the key that carries it. */
export function keypadDigits(licence: string): string {
  return [...licenceKey(licence)]
    .map((ch) => {
      if (/\d/.test(ch)) return ch;
      const letter = TAJIK_KEYS[ch] ?? ch;
      const key = KEYPAD.findIndex((letters) => letters.includes(letter));
      return key >= 2 ? String(key) : '';
    })
    .join('');
}

/**
 * Licence numbers found by the keys a caller typed: the whole number on the keypad (`SAMPLE-TJ-0001` is
 * `726753850001`), or else only its digits (`0001`, when at least four).
 */
export function buildKeypadLicenceIndex(entries: readonly RegistryEntry[]): KeypadLicenceIndex {
  const byKeys = new Map<string, RegistryEntry[]>();
  const byDigits = new Map<string, RegistryEntry[]>();
  const add = (map: Map<string, RegistryEntry[]>, key: string, entry: RegistryEntry) => {
    if (key) map.set(key, [...(map.get(key) ?? []), entry]);
  };
  for (const entry of entries) {
    if (!entry.licenceNumber) continue;
    add(byKeys, keypadDigits(entry.licenceNumber), entry);
    const digits = licenceKey(entry.licenceNumber).replace(/\D/g, '');
    if (digits.length >= 4) add(byDigits, digits, entry);
  }
  return { find: (typed) => byKeys.get(typed) ?? (typed.length >= 4 ? byDigits.get(typed) : undefined) ?? [] };
}
