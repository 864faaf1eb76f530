// @ts-check
// Phone numbers, as the simulator's fields take them.

/** @param {string} phone */
const digitsOf = (phone) => String(phone).replace(/\D/g, '');

/**
 * @param {string} a
 * @param {string} b
 */
export const samePhone = (a, b) => digitsOf(a) !== '' && digitsOf(a) === digitsOf(b);

/** @param {unknown} value @returns {value is string} */
export const validPhone = (value) => typeof value === 'string' && /^\+[1-9][0-9]{6,14}$/.test(value);

/** A number as typed into a field, without its spaces, brackets and dashes. @param {string} value */
export const typedPhone = (value) => value.replace(/[\s()-]/g, '');

/** A fresh fictional number +99290xxxxxxx, never in the officers' +992900009xxx range. */
export function randomCallerNumber() {
  for (;;) {
    const rest = String((crypto.getRandomValues(new Uint32Array(1))[0] ?? 0) % 10_000_000).padStart(7, '0');
    if (!rest.startsWith('0009')) return `+99290${rest}`;
  }
}

/** @type {[string, string][]} */
const COUNTRY_PREFIXES = [['+992', 'TJ'], ['+996', 'KG'], ['+998', 'UZ'], ['+44', 'GB'], ['+7', 'RU']];

/** The ISO country of a number, as Twilio reports it in `FromCountry`/`ToCountry`. @param {string} phone */
export const countryOf = (phone) => COUNTRY_PREFIXES.find(([prefix]) => phone.startsWith(prefix))?.[1] ?? '';
