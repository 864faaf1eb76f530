/** Hostile input for property tests and fuzzing: what strangers type and send to a public webhook. */
import fc from 'fast-check';

/** What strangers send: injection attempts, encodings, control characters, lone surrogates, the very long. */
export const HOSTILE = [
  '',
  ' ',
  '*',
  '***',
  '0',
  '00',
  '98',
  '99',
  '\u0000',
  '\u0007\b\t\v\f\r\n',
  '\uD800',
  '\uDFFF',
  'a\uD83Db',
  '\uFFFE\uFFFF',
  '\u202Eevil\u202C',
  'и\u0306 ӣ ӯ Ӯ',
  '🙂👍🏽🇹🇯',
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
  ']]><script>alert(1)</script>',
  "' OR '1'='1' --",
  '"; DROP TABLE reports; --',
  '__proto__',
  'constructor',
  'prototype',
  '{"__proto__":{"polluted":true}}',
  '${7*7}{{7*7}}{ref}{advice}',
  '%00%ED%A0%80%FF',
  '%s%s%s%n',
  '+992 ' + '9'.repeat(40),
  '@'.repeat(300),
  'a.'.repeat(3000),
  '1 '.repeat(3000),
  '4111 1111 1111 1111',
  'CHECK',
  'REPORT',
  'STATUS 7K3-Q9M',
  'ACK',
  'x'.repeat(5000),
];

/** UTF-16 code units of any kind, lone surrogates included. */
export const codeUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 60 });
export const keypad = fc.string({ unit: fc.constantFrom(...'0123456789*#+ '.split('')), maxLength: 30 });

export const anyText = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  codeUnits,
  keypad,
  fc.constantFrom(...HOSTILE),
  fc.tuple(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 20 }), fc.constantFrom(...HOSTILE)).map((parts) => parts.join(' ')),
);

