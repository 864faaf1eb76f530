/**
 * `npm run phone:metadata`: writes shared/domain/phone-metadata.json, libphonenumber-js's "min" metadata cut down to
 * the calling codes the hotline reads numbers of (see PHONE_CALLING_CODES). The full metadata is 80 KB of every
 * bundle that reads a phone number; the cut is a few KB. It is made from the installed libphonenumber-js's own
 * metadata, so it needs no network (libphonenumber-metadata-generator downloads Google's XML) and matches the parser's
 * version; test/phone-metadata.test.ts fails when an upgrade makes the committed file stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { MetadataJson } from 'libphonenumber-js/core';

/**
 * The countries whose numbers the hotline reads: where callers are (+992 Tajikistan, +998 Uzbekistan, +996
 * Kyrgyzstan) and where they work or are recruited for (+7 Russia and Kazakhstan, +44 the UK, Turkey, the UAE,
 * South Korea, Poland, Germany, Lithuania, Belarus, Ukraine, the neighbours), and the providers' own numbers (+1
 * Twilio, +254 Africa's Talking's sandbox). Every country sharing a calling code comes with it (+1 brings Canada and
 * the Caribbean, +44 Jersey, Guernsey and Man). A number of any other country written with + or 00 is still kept in
 * E.164, unchecked (shared/domain/phone.ts).
 */
export const PHONE_CALLING_CODES = ['992', '998', '996', '993', '994', '995', '93', '7', '44', '90', '971', '82', '48', '49', '370', '375', '380', '1', '254'];

/** Where a country's formatting rules are in the "min" metadata's array (its layout version 4). */
const FORMATS = 4;

/**
 * `full` cut to `callingCodes`: their countries, without their formatting rules (the hotline reads numbers and
 * stores them in E.164, never formats them nationally), and nothing non-geographic.
 */
export function phoneMetadataFor(full: MetadataJson, callingCodes: readonly string[]): MetadataJson {
  const codes = [...callingCodes].sort();
  const country_calling_codes = Object.fromEntries(codes.map((code) => [code, full.country_calling_codes[code]!]));
  const withoutFormats = (country: unknown) => (country as unknown[]).map((field, at) => (at === FORMATS ? [] : field));
  const countries = Object.fromEntries(
    Object.values(country_calling_codes).flat().sort().map((country) => [country, withoutFormats(full.countries[country])]),
  );
  return { ...full, country_calling_codes, countries, nonGeographic: {} } as MetadataJson;
}

export const PHONE_METADATA_FILE = fileURLToPath(new URL('../shared/domain/phone-metadata.json', import.meta.url));

export const installedMinMetadata = (): MetadataJson =>
  JSON.parse(readFileSync(createRequire(import.meta.url).resolve('libphonenumber-js/metadata.min.json'), 'utf8')) as MetadataJson;

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(PHONE_METADATA_FILE, `${JSON.stringify(phoneMetadataFor(installedMinMetadata(), PHONE_CALLING_CODES))}\n`);
  console.log(`written ${PHONE_METADATA_FILE}`);
}
