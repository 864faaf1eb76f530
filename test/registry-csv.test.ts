import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsvRecords, parseRegistryCsv, REGISTRY_CSV_HEADER } from '../shared/registry/csv';

const HEADER = REGISTRY_CSV_HEADER.join(',');
const GOOD = 'agency,Good Agency,,GA-1,TJ,valid,2026-01-31,,,SAMPLE DATA – fictional,2025-03-01';
const file = (...rows: string[]) => [HEADER, ...rows].join('\n') + '\n';

function errorsOf(text: string) {
  const result = parseRegistryCsv(text);
  if (result.ok) throw new Error('expected the file to be rejected');
  return result.errors;
}

describe('a valid registry file', () => {
  it('gives entries with normalised contacts and stable ids', () => {
    const result = parseRegistryCsv(
      file(
        [
          'agency',
          'Ширкати Ҷаҳонгир Сафар (SAMPLE)',
          '"Jahongir Safar; Джахонгир, Сафар"',
          'sample-tj-0001',
          'tj',
          'valid',
          '2027-06-30',
          '+992 90 000 1001;8 90 000 1002',
          'https://www.Jahongir-Safar.example/;T.me/JahongirSafar',
          'SAMPLE DATA – fictional',
          '2025-03-01',
        ].join(','),
        'scheme_operator,Concordia (UK),,,GB,revoked,,,,"UK Home Office list (2024–25), to be re-verified",2025-03-01',
      ),
    );
    expect(result).toEqual({
      ok: true,
      entries: [
        {
          id: 'L:SAMPLETJ0001',
          kind: 'agency',
          name: 'Ширкати Ҷаҳонгир Сафар (SAMPLE)',
          aliases: ['Jahongir Safar', 'Джахонгир, Сафар'],
          licenceNumber: 'sample-tj-0001',
          country: 'TJ',
          status: 'valid',
          validUntil: '2027-06-30',
          phones: ['+992900001001', '+992900001002'],
          websites: ['jahongir-safar.example', 't.me/jahongirsafar'],
          source: 'SAMPLE DATA – fictional',
          checkedOn: '2025-03-01',
        },
        {
          id: 'N:scheme_operator:concordiauk',
          kind: 'scheme_operator',
          name: 'Concordia (UK)',
          aliases: [],
          licenceNumber: undefined,
          country: 'GB',
          status: 'revoked',
          validUntil: undefined,
          phones: [],
          websites: [],
          source: 'UK Home Office list (2024–25), to be re-verified',
          checkedOn: '2025-03-01',
        },
      ],
    });
  });

  it('accepts a byte-order mark, CRLF line ends, blank lines and no final line break', () => {
    const result = parseRegistryCsv(`\uFEFF${HEADER}\r\n\r\n${GOOD}\r\n\r\n${GOOD.replace('GA-1', 'GA-2')}`);
    expect(result.ok && result.entries.map((entry) => entry.id)).toEqual(['L:GA1', 'L:GA2']);
  });

  it('collapses line breaks and runs of spaces inside a field', () => {
    const result = parseRegistryCsv(file('agency,"  Two\n  Line   Agency ",,TL-1,TJ,valid,,,,src,2025-03-01'));
    expect(result.ok && result.entries[0]!.name).toBe('Two Line Agency');
  });

  it('is the sample registry shipped in data/', () => {
    const result = parseRegistryCsv(readFileSync(new URL('../data/registry.sample.csv', import.meta.url), 'utf8'));
    expect(result.ok && result.entries.length).toBe(22);
  });
});

describe('a file with bad rows', () => {
  it('reports every bad row with its line number and reason', () => {
    const errors = errorsOf(
      file(
        GOOD, // line 2
        'agnecy,Bad Kind,,BK-1,TJ,valid,,,,src,2025-03-01', // 3
        'agency,,,NN-1,TJ,valid,,,,src,2025-03-01', // 4
        'agency,Bad Country,,BC-1,Tajikistan,valid,,,,src,2025-03-01', // 5
        'agency,Bad Status,,BS-1,TJ,active,,,,src,2025-03-01', // 6
        'agency,Bad Dates,,BD-1,TJ,valid,2025-02-30,,,src,01/03/2025', // 7
        'agency,Bad Contacts,,BP-1,TJ,valid,,+992 90 000 1001;12,not a site,src,2025-03-01', // 8
        'agency,No Source,,NS-1,TJ,valid,,,,,2025-03-01', // 9
        'agency,Bad Licence,,---,TJ,valid,,,,src,2025-03-01', // 10
        'agency,Unquoted, Comma,,UC-1,TJ,valid,,,,src,2025-03-01', // 11
        'agency,Too Few,,TF-1,TJ,valid', // 12
        'agency,Half "Quoted",,HQ-1,TJ,valid,,,,src,2025-03-01', // 13
        'agency,"Closed" Early,,CE-1,TJ,valid,,,,src,2025-03-01', // 14
      ),
    );
    expect(errors).toEqual([
      { line: 3, reason: 'kind: must be one of scheme_operator, agency, employer, not "agnecy"' },
      { line: 4, reason: 'name: is empty' },
      { line: 5, reason: 'country: "Tajikistan" is not a two-letter country code such as TJ or GB' },
      { line: 6, reason: 'status: must be one of valid, suspended, revoked, expired, not "active"' },
      {
        line: 7,
        reason: 'valid_until: "2025-02-30" is not a date YYYY-MM-DD; checked_on: "01/03/2025" is not a date YYYY-MM-DD',
      },
      {
        line: 8,
        reason: 'phones: "12" is not a phone number in international form; websites: "not a site" is not a web address',
      },
      { line: 9, reason: 'source: is empty (say where the data comes from)' },
      { line: 10, reason: 'licence_number: has no letters or digits' },
      { line: 11, reason: 'expected 11 fields, found 12 (a field containing a comma must be quoted)' },
      { line: 12, reason: 'expected 11 fields, found 6 (a field containing a comma must be quoted)' },
      { line: 13, reason: 'a quote inside an unquoted field (quote the whole field)' },
      { line: 14, reason: 'text after a closing quote (a quote inside a field must be doubled: "")' },
    ]);
  });

  it('counts the lines of a quoted field that spans several lines', () => {
    const errors = errorsOf(
      file(
        'agency,"Two\nLine Agency",,TL-1,TJ,valid,,,,"source, with\r\nthree\nlines",2025-03-01', // lines 2–5
        'agency,After,,AF-1,TJ,valid,,,,src,2025-13-01', // 6
        '', // 7
        'agency,After Blank,,AB-1,TJ,revokd,,,,src,2025-03-01', // 8
      ),
    );
    expect(errors).toEqual([
      { line: 6, reason: 'checked_on: "2025-13-01" is not a date YYYY-MM-DD' },
      { line: 8, reason: 'status: must be one of valid, suspended, revoked, expired, not "revokd"' },
    ]);
  });

  it('reports a quoted field that is never closed on the line where its row starts', () => {
    expect(errorsOf(file(GOOD, 'agency,"Never closed,,NC-1,TJ,valid,,,,src,2025-03-01', GOOD))).toEqual([
      { line: 3, reason: 'a quoted field is not closed (a " is missing)' },
    ]);
  });

  it('rejects a licence number used twice, however it is written', () => {
    expect(errorsOf(file(GOOD, GOOD.replace('Good Agency', 'Other'), GOOD.replace('GA-1', 'ga 1')))).toEqual([
      { line: 3, reason: 'licence_number: GA-1 is already on line 2' },
      { line: 4, reason: 'licence_number: ga 1 is already on line 2' },
    ]);
  });

  it('rejects two entries of one kind and name without licence numbers', () => {
    const unlicensed = 'scheme_operator,Pro-Force,,,GB,valid,,,,src,2025-03-01';
    expect(errorsOf(file(unlicensed, unlicensed.replace('Pro-Force', 'pro force')))).toEqual([
      {
        line: 3,
        reason: 'the same kind and name as line 2 (without a licence number, kind and name identify an entry)',
      },
    ]);
    expect(parseRegistryCsv(file(unlicensed, unlicensed.replace('scheme_operator', 'employer'))).ok).toBe(true);
  });
});

describe('a file with a bad header', () => {
  it.each([
    ['columns in another order', HEADER.replace('kind,name', 'name,kind')],
    ['a missing column', HEADER.replace(',checked_on', '')],
    ['no header at all', GOOD],
  ])('is rejected on line 1: %s', (_, header) => {
    expect(errorsOf(`${header}\n${GOOD}\n`)).toEqual([
      { line: 1, reason: `the header must be exactly: ${HEADER} (found: ${header})` },
    ]);
  });

  it('is rejected on line 1 when the file is empty', () => {
    expect(errorsOf('\uFEFF')).toEqual([{ line: 1, reason: `the file is empty; the header must be: ${HEADER}` }]);
  });
});

describe('CSV records', () => {
  it('unquotes fields, undoubles quotes and keeps line breaks inside quotes', () => {
    expect(parseCsvRecords('a,"b ""q"", c",\n"x\ny",z')).toEqual([
      { line: 1, fields: ['a', 'b "q", c', ''] },
      { line: 2, fields: ['x\ny', 'z'] },
    ]);
  });
});
