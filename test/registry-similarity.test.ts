/**
 * The term index behind name matching answers as a scan of every term would: the same similar terms, with the same
 * similarity, in the same order, however it narrows down the terms it compares (rarest trigrams, length, letters).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TermCollector, TermIndex } from '../shared/domain/registry/similarity';

/** Edits tolerated in a word of this length, as the matcher's rules state them. */
const editBudget = (length: number) => (length <= 3 ? 0 : length <= 6 ? 1 : length <= 11 ? 2 : 3);

function trigrams(term: string): string[] {
  const padded = `$${term}$`;
  return [...new Set(Array.from({ length: Math.max(0, padded.length - 2) }, (_, i) => padded.slice(i, i + 3)))];
}

/** Optimal string alignment distance, the whole table. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * Every term compared: similar when within both terms' budgets and sharing enough trigrams (an edit changes at
 * most four), listed as a scan of the query's trigrams in order would first meet them (then by term id).
 */
function scanEveryTerm(terms: readonly string[], maxEdits: number, query: string): [number, number][] {
  const exact = terms.indexOf(query);
  const found: [number, number][] = exact >= 0 ? [[exact, 1]] : [];
  const budget = Math.min(maxEdits, editBudget(query.length));
  if (budget === 0) return found;
  const grams = trigrams(query);
  const needed = Math.max(1, grams.length - 4 * budget);
  const close = terms.flatMap((term, id) => {
    const own = new Set(trigrams(term));
    const shared = grams.filter((gram) => own.has(gram)).length;
    const pairBudget = Math.min(budget, editBudget(term.length));
    const edits = distance(query, term);
    if (id === exact || shared < needed || edits > pairBudget) return [];
    return [{ id, similarity: 1 - edits / Math.max(query.length, term.length), first: grams.findIndex((gram) => own.has(gram)) }];
  });
  close.sort((a, b) => a.first - b.first || a.id - b.id);
  return [...found, ...close.map(({ id, similarity }): [number, number] => [id, similarity])];
}

function indexOf(terms: readonly string[], maxEdits: number): TermIndex {
  const collector = new TermCollector();
  terms.forEach((term, variant) => collector.add(term, variant));
  return new TermIndex(maxEdits, collector.pack());
}

// Few letters, so that terms often lie within a few edits of each other; a Cyrillic letter and a digit, which the
// index groups together; long words, whose lengths the index compares only up to 31.
const letter = fc.constantFrom('a', 'b', 'k', 'o', 'r', 's', 't', 'u', 'ё', '7');
const word = fc.oneof(
  fc.string({ unit: letter, minLength: 1, maxLength: 12 }),
  fc.string({ unit: letter, minLength: 28, maxLength: 40 }),
);

/** A term as a caller might mistype it: up to three letters swapped, dropped, added or changed. */
const mistyped = (term: string) =>
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 3 }), letter), { maxLength: 3 }).map((edits) =>
    edits.reduce((text, [at, kind, added]) => {
      const i = at % (text.length + 1);
      if (kind === 0) return text.slice(0, i) + text.slice(i + 1, i + 2) + text.slice(i, i + 1) + text.slice(i + 2);
      if (kind === 1) return text.slice(0, i) + text.slice(i + 1);
      if (kind === 2) return text.slice(0, i) + added + text.slice(i);
      return text.slice(0, i) + added + text.slice(i + 1);
    }, term),
  );

/** Families of terms a few edits apart (as "Nurafshon", "Nurafshan", "Nurafshun" are), so that many are close. */
const registry = fc
  .array(word, { minLength: 1, maxLength: 8 })
  .chain((stems) => fc.tuple(...stems.map((stem) => fc.array(mistyped(stem), { minLength: 1, maxLength: 25 }))))
  .map((families) => [...new Set(families.flat().filter(Boolean))])
  .filter((terms) => terms.length > 0);

describe('similar terms', () => {
  it('are the ones a scan of every term finds, in its order, for terms of the registry mistyped', () => {
    fc.assert(
      fc.property(
        registry.chain((terms) => fc.tuple(fc.constant(terms), fc.constantFrom(1, Infinity), fc.oneof(fc.constantFrom(...terms).chain(mistyped), word))),
        ([terms, maxEdits, query]) => {
          expect([...indexOf(terms, maxEdits).similar(query)]).toEqual(scanEveryTerm(terms, maxEdits, query));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('include a mistyped long name met only through its rarer trigrams, not those every name shares', () => {
    // "…rekruitment" in every whole name: the index reads the rarer trigrams and must still find the near one.
    const terms = Array.from({ length: 40 }, (_, i) => `${'bkrstu'[i % 6]}${'aou'[i % 3]}${'rst'[Math.floor(i / 3) % 3]}${i}rekruitment`);
    const query = 'bar0rekruitmnet';
    const index = indexOf(terms, 1);
    expect([...index.similar(query)]).toEqual([[0, 1 - 1 / 15]]);
    expect(scanEveryTerm(terms, 1, query)).toEqual([[0, 1 - 1 / 15]]);
    expect(index.similar('bar0rekruitment')).toEqual(new Map([[0, 1]]));
  });
});
