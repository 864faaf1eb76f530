import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalisePhone, parsePhone } from '../shared/domain/phone';
import { E164 } from '../shared/domain/registry';
import { extractIdentifiers, identifierValue } from '../shared/domain/report';
import { checkTarget, reportFromSms } from '../shared/domain/sms';
import { reportFromAnswers } from '../shared/domain/ussd';
import { phoneFromKeypad } from '../shared/domain/voice';

const cardHash = (digits: string) => `hash-${digits.slice(-4)}`;

/** Every channel's way in to a number: free text (SMS, USSD answers), an SMS CHECK, the voice keypad. */
const channels: [string, (written: string) => string | undefined][] = [
  ['parsePhone', parsePhone],
  ['free text (SMS report, USSD contact)', (written) => {
    const found = extractIdentifiers(`the number is ${written} ok`, cardHash)[0];
    return found?.kind === 'phone' ? found.value : undefined;
  }],
  ['SMS CHECK', (written) => {
    const target = checkTarget(written, cardHash);
    return target && 'identifier' in target && target.identifier.kind === 'phone' ? target.identifier.value : undefined;
  }],
];

describe('one phone number parser for every channel', () => {
  const rows: [string, string][] = [
    ['+992 90 000 1234', '+992900001234'],
    ['+992900001234', '+992900001234'],
    ['00992 90 000 1234', '+992900001234'],
    ['00992900001234', '+992900001234'],
    ['992 90 000 1234', '+992900001234'],
    ['90 000 1234', '+992900001234'],
    ['900-00-12-34', '+992900001234'],
    ['(90) 000-12-34', '+992900001234'],
    ['8 90 000 1234', '+992900001234'],
    ['+992 (90) 000-12-34', '+992900001234'],
    // Russian numbers: the trunk 8, and +7 in every punctuation.
    ['8 916 123 45 67', '+79161234567'],
    ['8-916-123-45-67', '+79161234567'],
    ['8 (916) 123-45-67', '+79161234567'],
    ['89161234567', '+79161234567'],
    ['+7 (916) 123-45-67', '+79161234567'],
    ['+7 916 123 45 67', '+79161234567'],
    ['+7-916-123-45-67', '+79161234567'],
    ['007 916 123 45 67', '+79161234567'],
    ['79161234567', '+79161234567'],
    ['+44 7700 900123', '+447700900123'],
    ['0044 7700 900123', '+447700900123'],
    ['447700900123', '+447700900123'],
  ];

  for (const [channel, read] of channels) {
    it.each(rows)(`${channel}: %s`, (written, e164) => {
      expect(read(written)).toBe(e164);
    });
  }

  it.each(['+430000', '00430000', '+43 0000'])('%s is too short to be a number anyone calls from', (written) => {
    // libphonenumber calls Austria's +43 0000 "possible"; the store's E.164 shape needs 7 digits or more.
    expect(parsePhone(written)).toBeUndefined();
    expect(phoneFromKeypad(written.replace(/\D/g, '').replace(/^43/, '0043'))).toBeUndefined();
  });

  it.each(rows)('voice keypad: %s', (written, e164) => {
    // A keypad has no +: callers press 00 for it.
    const keys = `${written.startsWith('+') ? '00' : ''}${written.replace(/\D/g, '')}`;
    expect(phoneFromKeypad(keys)?.value).toBe(e164);
  });

  it.each<[string, string[]]>([
    // A Tajik number followed by an amount is not read as one Turkish (+90) number.
    ['90 000 1234 500 somoni', ['+992900001234']],
    ['8 916 123 45 67, 5000 руб', ['+79161234567']],
    ['zvonite 00992 90 000 1234 ili +7 (916) 123-45-67', ['+992900001234', '+79161234567']],
    // Sixteen digits in fours failing the card checksum are no phone number either.
    ['karta 4276 3800 1234 5678', []],
  ])('in free text, %j names %j', (text, phones) => {
    expect(extractIdentifiers(text, cardHash).map((identifier) => identifierValue(identifier))).toEqual(phones);
  });

  it('stores a Russian number typed with its trunk 8 as Russian, in a USSD report and an SMS one', () => {
    const ussd = reportFromAnswers({ category: 'job_offer', paid: 'no', contact: '8 916 123 45 67', callback: false }, 'ru', '+992900009999', cardHash);
    expect(ussd.identifiers).toEqual([{ kind: 'phone', value: '+79161234567' }]);
    const sms = reportFromSms('звонили с 8 916 123 45 67', 'ru', '+992900009999', cardHash);
    expect(sms.identifiers).toEqual([{ kind: 'phone', value: '+79161234567' }]);
  });

  it.each(['12345', '', 'no number', '8 916 123'])('reads no number in %j', (written) => {
    expect(parsePhone(written)).toBeUndefined();
  });

  it('reads the same E.164 number back unchanged, and normalisePhone is idempotent', () => {
    const mobile = fc.oneof(
      fc.stringMatching(/^\+9929[0-9]\d{7}$/),
      fc.stringMatching(/^\+79\d{9}$/),
      fc.stringMatching(/^\+447\d{9}$/),
    );
    fc.assert(
      fc.property(mobile, (e164) => {
        fc.pre(parsePhone(e164) !== undefined);
        expect(parsePhone(e164)).toBe(e164);
        expect(parsePhone(`00${e164.slice(1)}`)).toBe(e164);
        expect(parsePhone(e164.replace(/(\d{3})(?=\d)/g, '$1 '))).toBe(e164);
        expect(parsePhone(e164.replace(/(\d{2})(?=\d)/g, '$1-'))).toBe(e164);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (raw) => {
        const once = normalisePhone(raw);
        expect(normalisePhone(once)).toBe(once);
        const parsed = parsePhone(raw);
        if (parsed) expect(parsed).toMatch(E164);
      }),
    );
  });

  it('reads a Russian number with its trunk 8 as Russian whatever its spacing', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^9\d{9}$/), fc.constantFrom(' ', '-', '', '  '), (national, sep) => {
        fc.pre(parsePhone(`+7${national}`) !== undefined);
        const written = `8${sep}${national.slice(0, 3)}${sep}${national.slice(3, 6)}${sep}${national.slice(6, 8)}${sep}${national.slice(8)}`;
        expect(parsePhone(written)).toBe(`+7${national}`);
        expect(extractIdentifiers(`zvonili s ${written}, prosili 5000 rub`, cardHash)).toEqual([{ kind: 'phone', value: `+7${national}` }]);
      }),
    );
  });
});
