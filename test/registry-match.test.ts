import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildRegistryIndex,
  licenceKey,
  nameWords,
  normaliseWebsite,
  standing,
  type MatchResult,
  type RegistryEntry,
} from '../shared/domain/registry';
import { parseRegistryCsv } from '../shared/registry/csv';

function sampleEntries(): RegistryEntry[] {
  const parsed = parseRegistryCsv(readFileSync(new URL('../data/registry.sample.csv', import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.entries;
}

const entries = sampleEntries();
const index = buildRegistryIndex(entries);
const TODAY = '2025-06-01';

/** What a migrant would see: the entry's name and its standing today, or the names in the pick list. */
function outcome(result: MatchResult) {
  switch (result.kind) {
    case 'none':
      return 'none';
    case 'one':
      return { one: result.entry.name, standing: standing(result.entry, TODAY) };
    case 'several':
      return { several: result.entries.map((entry) => entry.name) };
  }
}

const one = (name: string, status: string = 'licensed') => ({ one: name, standing: status });

describe('finding an entry by name or licence number, as migrants type it', () => {
  it.each([
    // misspellings, letter case, legal suffixes, punctuation
    ['Concordai', one('Concordia (UK)')],
    ['concordia uk ltd', one('Concordia (UK)')],
    ['CONCORDIA', one('Concordia (UK)')],
    ['"Concordia" Limited.', one('Concordia (UK)')],
    ['Fruitfull Jobs', one('Fruitful Jobs')],
    ['Hops labor solution', one('HOPS Labour Solutions')],
    ['AgriHR', one('Agri-HR')],
    ['agri hr llc', one('Agri-HR')],
    ['Proforce', one('Pro-Force')],
    ['re people plc', one('RE People')],
    // missing words
    ['HOPS', one('HOPS Labour Solutions')],
    ['Fruitful', one('Fruitful Jobs')],
    ['Jahongir Safar', one('Ширкати Ҷаҳонгир Сафар (SAMPLE)')],
    // Cyrillic for a Latin name
    ['Конкордия', one('Concordia (UK)')],
    ['ООО «Конкордия»', one('Concordia (UK)')],
    ['Фрутфул Джобс', one('Fruitful Jobs')],
    ['Про-Форс', one('Pro-Force')],
    ['Агри ХР', one('Agri-HR')],
    ['ХОПС', one('HOPS Labour Solutions')],
    ['Навбаҳор Кор', one('Navbahor Kor Agency (SAMPLE)')],
    // Latin for a Tajik Cyrillic name, and Russian spellings without the Tajik letters
    ['Dzhakhongir Safar', one('Ширкати Ҷаҳонгир Сафар (SAMPLE)')],
    ['Джахонгир Сафар ООО', one('Ширкати Ҷаҳонгир Сафар (SAMPLE)')],
    ['Shirkati Jahongir Safar', one('Ширкати Ҷаҳонгир Сафар (SAMPLE)')],
    ['Kuhiston Mehnat', one('Кӯҳистон Меҳнат (SAMPLE)')],
    ['Кухистон Мехнат', one('Кӯҳистон Меҳнат (SAMPLE)')],
    ['Qadam ba Qadam ҶДММ', one('Қадам ба Қадам (SAMPLE)', 'expired')],
    // an alias
    ['Zarafshon Construction', one('Зарафшон Сохтмон (SAMPLE)')],
    // licence numbers, with or without dashes and spaces, any case, alone or in a sentence
    ['SAMPLE-TJ-0001', one('Ширкати Ҷаҳонгир Сафар (SAMPLE)')],
    ['sample tj 0001', one('Ширкати Ҷаҳонгир Сафар (SAMPLE)')],
    ['sampletj0004', one('Кӯҳистон Меҳнат (SAMPLE)')],
    ['licence Sample-TJ-0003', one('Агентии корёбии Бахт (SAMPLE)', 'suspended')],
    ['SAMPLE-TJ-0099', 'none'],
    // revoked, suspended and expired entries are found, with their standing
    ['AG Recruitment', one('AG Recruitment', 'revoked')],
    ['Этеро', one('Ethero', 'revoked')],
    ['Ҷаҳонгир Тур', one('Ҷаҳонгир Тур (SAMPLE)', 'revoked')],
    ['Bakht', one('Агентии корёбии Бахт (SAMPLE)', 'suspended')],
    ['Golib Roh', one('Ғолиб Роҳ (SAMPLE)', 'expired')],
    // several plausible entries, or one that is not sure enough: a pick list
    ['Jahongir', { several: ['Ҷаҳонгир Тур (SAMPLE)', 'Ширкати Ҷаҳонгир Сафар (SAMPLE)'] }],
    ['Concordia Telegram', { several: ['Concordia (UK)'] }],
    ['Pro', { several: ['Pro-Force'] }],
    // unknown names never come back as an entry
    ['Global Visa Service', 'none'],
    ['Telegram UK jobs', 'none'],
    ['UK jobs', 'none'],
    ['jobs', 'none'],
    ['work in UK', 'none'],
    ['visa', 'none'],
    ['Fruit Jobs', 'none'],
    ['banana', 'none'],
    ['qwerty asdf', 'none'],
    ['Sample', 'none'],
    ['Кор', 'none'],
    ['ООО', 'none'],
    ['Ltd.', 'none'],
    ['', 'none'],
    ['  !!! ', 'none'],
  ] as const)('%j → %j', (query, expected) => {
    expect(outcome(index.findByNameOrLicence(query))).toEqual(expected);
  });

  it('finds every entry by its own name', () => {
    for (const entry of entries) {
      expect(index.findByNameOrLicence(entry.name)).toEqual({ kind: 'one', entry, score: 1 });
    }
  });

  it('lets an exact licence number win over a similar name', () => {
    const registry = buildRegistryIndex([
      { ...entries[0]!, id: 'L:AB12', name: 'Alpha', licenceNumber: 'AB-12' },
      { ...entries[0]!, id: 'N:agency:ab12', name: 'AB 12' },
    ]);
    expect(outcome(registry.findByNameOrLicence('ab 12'))).toEqual(one('Alpha'));
  });

  it('offers at most five entries in a pick list', () => {
    const similar = ['Nurafshon', 'Nurafshan', 'Nurafshun', 'Nurafshin', 'Nurafshen', 'Nurafshor', 'Nurafshot'];
    const registry = buildRegistryIndex(
      similar.map((name, i) => ({ ...entries[0]!, id: `N:agency:${i}`, name, licenceNumber: undefined })),
    );
    // One letter away from all seven.
    expect(outcome(registry.findByNameOrLicence('Nurafshbn'))).toEqual({
      several: ['Nurafshon', 'Nurafshan', 'Nurafshun', 'Nurafshin', 'Nurafshen'],
    });
  });

  it('answers "none" from an empty registry', () => {
    expect(buildRegistryIndex([]).findByNameOrLicence('Concordia')).toEqual({ kind: 'none' });
  });
});

describe('official contacts', () => {
  const names = (found: RegistryEntry[]) => found.map((entry) => entry.name);

  it.each([
    ['+992 90 000 1001', ['Ширкати Ҷаҳонгир Сафар (SAMPLE)']],
    ['900001002', ['Ширкати Ҷаҳонгир Сафар (SAMPLE)']],
    ['8 90 000 1004', ['Агентии корёбии Бахт (SAMPLE)']],
    ['+992 90 000 9999', []],
  ])('phone %s → %j', (phone, expected) => {
    expect(names(index.findContact('phone', phone))).toEqual(expected);
  });

  it.each([
    ['https://www.Jahongir-Safar.example/apply?ref=tg', ['Ширкати Ҷаҳонгир Сафар (SAMPLE)']],
    ['jahongir-safar.example', ['Ширкати Ҷаҳонгир Сафар (SAMPLE)']],
    ['navbahor.example/jobs/42', ['Navbahor Kor Agency (SAMPLE)']],
    // only the listed page is official, not the rest of its site
    ['navbahor.example', []],
    ['jahongir-safar.example.evil.test', []],
    ['evil-jahongir-safar.example', []],
    ['not a website', []],
  ])('website %s → %j', (site, expected) => {
    expect(names(index.findContact('website', site))).toEqual(expected);
  });
});

describe('standing', () => {
  const entry = { status: 'valid', validUntil: '2025-06-01' } as const;

  it('is licensed through the valid-until day, expired after it', () => {
    expect(standing(entry, '2025-06-01')).toBe('licensed');
    expect(standing(entry, '2025-06-02')).toBe('expired');
    expect(standing({ status: 'valid' }, '2099-01-01')).toBe('licensed');
  });

  it('keeps a withdrawn status whatever the date', () => {
    expect(standing({ status: 'suspended', validUntil: '2099-01-01' }, '2025-01-01')).toBe('suspended');
    expect(standing({ status: 'revoked' }, '2025-01-01')).toBe('revoked');
    expect(standing({ status: 'expired', validUntil: '2099-01-01' }, '2025-01-01')).toBe('expired');
  });
});

describe('normalising', () => {
  it('folds Latin and Cyrillic spellings of a name to the same words', () => {
    expect(nameWords('Concordia')).toEqual(nameWords('Конкордия'));
    expect(nameWords('Ҷаҳонгир Қӯрғонтеппа ӣ')).toEqual(nameWords('Jahongir Qurghonteppa i'));
    expect(nameWords('Philipp')).toEqual(nameWords('Филипп'));
    expect(nameWords('Jasmine Khan')).toEqual(nameWords('Жасмин Хан'));
    expect(nameWords('Pro-Force Ltd.')).toEqual(['pro', 'fors']);
    expect(nameWords('ООО ҶДММ LLC')).toEqual(nameWords('ooo jdmm llc'));
  });

  it('treats decomposed Tajik letters (NFD) like composed ones', () => {
    expect(nameWords('Кӯҳистон'.normalize('NFD'))).toEqual(nameWords('Кӯҳистон'));
  });

  it('reduces licence numbers to letters and digits', () => {
    expect(licenceKey(' sample-tj 0001 ')).toBe('SAMPLETJ0001');
  });

  it('reduces web addresses to host and path', () => {
    expect(normaliseWebsite('HTTPS://www.Example.org/Jobs/?x=1#top')).toBe('example.org/jobs');
    expect(normaliseWebsite('t.me/SomeChannel')).toBe('t.me/somechannel');
    expect(normaliseWebsite('localhost')).toBeUndefined();
    expect(normaliseWebsite('two words.example')).toBeUndefined();
  });
});

describe('any query', () => {
  const ALPHABET = [...'abcxyzABC0123 -.,"«»()АБВКОРҶҲҚҒӢӮҷҳқғӣӯёйъьЁЙ\u0301\u0304'];
  const wellFormed = (result: MatchResult) => {
    switch (result.kind) {
      case 'none':
        return true;
      case 'one':
        return entries.includes(result.entry) && result.score > 0 && result.score <= 1;
      case 'several':
        return (
          result.entries.length >= 1 &&
          result.entries.length <= 5 &&
          new Set(result.entries).size === result.entries.length &&
          result.entries.every((entry) => entries.includes(entry))
        );
    }
  };

  it('never throws and always gives a well-formed result, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (query) =>
        wellFormed(index.findByNameOrLicence(query)),
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on names made of the letters migrants type', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 40 }), (query) =>
        wellFormed(index.findByNameOrLicence(query)),
      ),
      { numRuns: 500 },
    );
  });

  it('gives the same answer whatever the letter case', () => {
    fc.assert(
      fc.property(fc.constantFrom(...entries), fc.boolean(), (entry, upper) => {
        const query = upper ? entry.name.toUpperCase() : entry.name.toLowerCase();
        expect(index.findByNameOrLicence(query)).toEqual(index.findByNameOrLicence(entry.name));
      }),
    );
  });

  it('never throws on contact lookups', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (value) => {
        expect(Array.isArray(index.findContact('phone', value))).toBe(true);
        expect(Array.isArray(index.findContact('website', value))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
