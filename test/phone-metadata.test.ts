import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { installedMinMetadata, PHONE_CALLING_CODES, PHONE_METADATA_FILE, phoneMetadataFor } from '../infra/phone-metadata';
import { countryCallingCode, parsePhone } from '../shared/domain/phone';
import { callingCode } from '../shared/outreach/service';

describe("the phone metadata of the countries served (libphonenumber-js's, cut down)", () => {
  it('is what `npm run phone:metadata` makes from the installed libphonenumber-js (rerun it after an upgrade)', () => {
    const committed: unknown = JSON.parse(readFileSync(PHONE_METADATA_FILE, 'utf8'));
    expect(committed).toEqual(phoneMetadataFor(installedMinMetadata(), PHONE_CALLING_CODES));
  });

  it('keeps every country of a calling code it keeps, and no other', () => {
    const cut = phoneMetadataFor(installedMinMetadata(), ['7', '992']);
    expect(cut.country_calling_codes).toEqual({ 7: ['RU', 'KZ'], 992: ['TJ'] });
    expect(Object.keys(cut.countries).sort()).toEqual(['KZ', 'RU', 'TJ']);
  });

  it.each([
    ['+992 90 000 1234', '+992'],
    ['+7 701 000 1234', '+7'],
    ['+998 90 000 1234', '+998'],
    ['+996 700 000 123', '+996'],
    ['+44 7700 900123', '+44'],
  ])('reads %s and its calling code %s', (written, code) => {
    expect(countryCallingCode(parsePhone(written)!)).toBe(code);
    expect(callingCode(written)).toBe(code);
  });

  it('keeps a number of a country it has no metadata for, written with + or 00, in E.164 rather than losing it', () => {
    expect(parsePhone('+33 6 12 34 56 78')).toBe('+33612345678');
    expect(parsePhone('0033 6 12 34 56 78')).toBe('+33612345678');
    expect(callingCode('+33 6 12 34 56 78')).toBe('*');
    // Without + or 00 it is no number: a Tajik number followed by an amount stays unread as one foreign number.
    expect(parsePhone('33 612 345 678 55')).toBeUndefined();
  });
});
