/**
 * The registry index: entries found by name or licence number (tolerant of script and spelling), and by
 * official phone number or website.
 */
import { normalisePhone } from '../phone';
import { licenceKey, normaliseWebsite, type RegistryEntry } from './entry';
import { GENERIC_WEIGHT, GENERIC_WORDS, nameWords } from './name-folding';
import { TermIndex, type TermSnapshot } from './similarity';

export type MatchResult =
  | { kind: 'none' }
  | { kind: 'one'; entry: RegistryEntry; score: number }
  /** Not sure which (or, with one entry, not sure enough): the caller offers a pick list. Best first, at most 5. */
  | { kind: 'several'; entries: RegistryEntry[] };

export type ContactKind = 'phone' | 'website';

export interface RegistryIndex {
  readonly size: number;
  /** The entry with this id (a pick-list choice), if the registry still holds it. */
  get(id: string): RegistryEntry | undefined;
  findByNameOrLicence(query: string): MatchResult;
  /** Entries that list this phone number or web address (in any written form) as an official contact. */
  findContact(kind: ContactKind, value: string): RegistryEntry[];
}

/** Score at or above which a single clear candidate is the answer. */
const ONE_SCORE = 0.8;

/** The best must lead the next entry by this much to be the answer alone. */
const CLEAR_LEAD = 0.1;

/** Below this a candidate is not offered at all: unrelated names give "no record", never a false "licensed". */
const PLAUSIBLE_SCORE = 0.55;

/**
 * The word score is the harmonic mean F of two coverages, F = 2PR/(P+R), so F ≥ PLAUSIBLE_SCORE needs each of
 * P and R to be at least this: it lets whole groups of candidates be skipped unseen.
 */
const MIN_COVERAGE = PLAUSIBLE_SCORE / (2 - PLAUSIBLE_SCORE);

/** A pick list holds the candidates this close to the best. */
const LIST_SPREAD = 0.25;

const LIST_MAX = 5;

/**
 * Spelling a multi-word name as one word ("ProForce") is what the whole-name comparison is for; more edits there
 * would let a name match another that merely contains it ("Labour Solutions" in "Rom Labour Solutions").
 */
const WHOLE_NAME_MAX_EDITS = 1;

/** One written form of an entry's name (the name or an alias): its distinct folded words and their weights. */
interface Variant {
  entry: number;
  words: number[];
  weights: number[];
  totalWeight: number;
  /** The folded words joined, so that "ProForce" meets "Pro-Force". */
  whole: number;
}

/**
 * The index as plain data, made once per registry version (at import, shared/store/registry.ts) so that a container
 * restores it instead of folding every name again: the entries, the folded words and whole names with their
 * trigram lists, each name variant as [entry, whole name, ...words], and the words' weights.
 */
export interface RegistrySnapshot {
  format: 1;
  entries: RegistryEntry[];
  words: TermSnapshot;
  wholes: TermSnapshot;
  variants: number[][];
  wordWeights: number[];
}

/** What an index is made of: the folded names, weighed and sorted (the costly part), ready to be looked up. */
interface IndexParts {
  entries: readonly RegistryEntry[];
  words: TermIndex;
  wholes: TermIndex;
  forms: ReadonlyArray<Omit<Variant, 'weights' | 'totalWeight'>>;
  wordWeights: readonly number[];
}

export const buildRegistryIndex = (entries: readonly RegistryEntry[]): RegistryIndex => indexOf(foldRegistry(entries));

export function registrySnapshot(entries: readonly RegistryEntry[]): RegistrySnapshot {
  const { words, wholes, forms, wordWeights } = foldRegistry(entries);
  return {
    format: 1,
    entries: [...entries],
    words: words.snapshot(),
    wholes: wholes.snapshot(),
    variants: forms.map((form) => [form.entry, form.whole, ...form.words]),
    wordWeights: [...wordWeights],
  };
}

export function restoreRegistryIndex(snapshot: RegistrySnapshot): RegistryIndex {
  return indexOf({
    entries: snapshot.entries,
    words: TermIndex.restore(Infinity, snapshot.words),
    wholes: TermIndex.restore(WHOLE_NAME_MAX_EDITS, snapshot.wholes),
    forms: snapshot.variants.map(([entry, whole, ...words]) => ({ entry: entry!, whole: whole!, words })),
    wordWeights: snapshot.wordWeights,
  });
}

function foldRegistry(entries: readonly RegistryEntry[]): IndexParts {
  const words = new TermIndex(Infinity);
  const wholes = new TermIndex(WHOLE_NAME_MAX_EDITS);
  const forms: Array<Omit<Variant, 'weights' | 'totalWeight'>> = [];
  entries.forEach((entry, e) => {
    for (const form of new Set([entry.name, ...entry.aliases])) {
      const folded = nameWords(form);
      if (folded.length === 0) continue;
      const v = forms.length;
      const wordIds = [...new Set(folded)].map((w) => words.add(w, v));
      forms.push({ entry: e, words: wordIds, whole: wholes.add(folded.join(''), v) });
    }
  });
  // Rare words identify a body; a word in many entries, or a generic one, says little (inverse document frequency).
  const wordWeights = Array.from({ length: words.size }, (_, id) => {
    const entriesWithWord = new Set(words.variants[id]!.map((v) => forms[v]!.entry)).size;
    return Math.log(1 + entries.length / entriesWithWord) * genericFactor(words.text(id));
  });
  // Lightest names first, so that a lookup stops reading a word's names where they get too heavy to be covered.
  const totalWeights = forms.map((form) => form.words.reduce((sum, id) => sum + wordWeights[id]!, 0));
  for (const list of words.variants) list.sort((a, b) => totalWeights[a]! - totalWeights[b]!);
  return { entries, words, wholes, forms, wordWeights };
}

const genericFactor = (word: string) => (GENERIC_WORDS.has(word) ? GENERIC_WEIGHT : 1);

function indexOf({ entries, words, wholes, forms, wordWeights }: IndexParts): RegistryIndex {
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  const byLicence = new Map<string, number>();
  const byContact = new Map<string, number[]>();
  const addContact = (key: string, entry: number) => {
    const list = byContact.get(key);
    if (!list) byContact.set(key, [entry]);
    else if (!list.includes(entry)) list.push(entry);
  };
  entries.forEach((entry, e) => {
    if (entry.licenceNumber) byLicence.set(licenceKey(entry.licenceNumber), e);
    for (const phone of entry.phones) addContact(`phone:${phone}`, e);
    for (const site of entry.websites) addContact(`website:${site}`, e);
  });
  const unknownWordWeight = Math.log(1 + Math.max(1, entries.length));
  const variants: Variant[] = forms.map((form) => {
    const weights = form.words.map((id) => wordWeights[id]!);
    return { ...form, weights, totalWeight: weights.reduce((a, b) => a + b, 0) };
  });

  function candidatesFor(
    wordMatches: Map<number, number>[],
    queryWeights: number[],
    wholeMatches: Map<number, number>,
  ): Set<number> {
    const candidates = new Set<number>();
    // A name covered less than MIN_COVERAGE by everything the query resembles cannot be plausible.
    let reachable = 0;
    for (const matches of wordMatches) for (const [id, sim] of matches) reachable += wordWeights[id]! * sim;
    const heaviest = reachable / MIN_COVERAGE;
    for (const q of wordsThatCanMatch(queryWeights)) {
      for (const id of wordMatches[q]!.keys()) {
        for (const v of words.variants[id]!) {
          if (variants[v]!.totalWeight > heaviest) break;
          candidates.add(v);
        }
      }
    }
    for (const id of wholeMatches.keys()) for (const v of wholes.variants[id]!) candidates.add(v);
    return candidates;
  }

  function matchByName(query: string): MatchResult {
    const queryWords = [...new Set(nameWords(query))];
    if (queryWords.length === 0) return { kind: 'none' };
    const wordMatches = queryWords.map((w) => words.similar(w));
    const wholeMatches = wholes.similar(queryWords.join(''));
    // A query word weighs what the registry word it most resembles weighs; one that resembles none, the most.
    const queryWeights = queryWords.map((w, q) => {
      let best: { id: number; sim: number } | undefined;
      for (const [id, sim] of wordMatches[q]!) if (!best || sim > best.sim) best = { id, sim };
      return best ? wordWeights[best.id]! : unknownWordWeight * genericFactor(w);
    });
    const queryWeight = queryWeights.reduce((a, b) => a + b, 0);

    const bestByEntry = new Map<number, number>();
    for (const v of candidatesFor(wordMatches, queryWeights, wholeMatches)) {
      const variant = variants[v]!;
      const score = Math.max(
        wholeMatches.get(variant.whole) ?? 0,
        overlapScore(variant, wordMatches, queryWeights, queryWeight),
      );
      if (score >= PLAUSIBLE_SCORE && score > (bestByEntry.get(variant.entry) ?? 0)) {
        bestByEntry.set(variant.entry, score);
      }
    }
    const ranked = [...bestByEntry].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const [first, second] = ranked;
    if (!first) return { kind: 'none' };
    if (first[1] >= ONE_SCORE && (!second || first[1] - second[1] >= CLEAR_LEAD)) {
      return { kind: 'one', entry: entries[first[0]]!, score: first[1] };
    }
    const listed = ranked.filter(([, score]) => score >= first[1] - LIST_SPREAD).slice(0, LIST_MAX);
    return { kind: 'several', entries: listed.map(([e]) => entries[e]!) };
  }

  return {
    size: entries.length,
    get: (id) => byId.get(id),
    findByNameOrLicence(query) {
      // An exact licence number wins outright: the whole query, or a word of it with a digit ("licence AB-123").
      const licenceLike = query.split(/\s+/).filter((word) => /\d/.test(word) && licenceKey(word).length >= 4);
      for (const candidate of [query, ...licenceLike]) {
        const e = byLicence.get(licenceKey(candidate));
        if (e !== undefined) return { kind: 'one', entry: entries[e]!, score: 1 };
      }
      return matchByName(query);
    },
    findContact(kind, value) {
      const keys = kind === 'phone' ? [normalisePhone(value)] : websitePrefixes(normaliseWebsite(value));
      const found = new Set(keys.flatMap((key) => byContact.get(`${kind}:${key}`) ?? []));
      return [...found].sort((a, b) => a - b).map((e) => entries[e]!);
    },
  };
}

/**
 * The query words a plausible name must share at least one of. A name that shares only the lightest words,
 * together under MIN_COVERAGE of the query's weight, cannot be plausible: so generic words ("jobs", "agency"),
 * which appear in thousands of names, are not followed when the query has a weightier word.
 */
function wordsThatCanMatch(queryWeights: number[]): number[] {
  const total = queryWeights.reduce((a, b) => a + b, 0);
  const lightestFirst = queryWeights.map((weight, q) => ({ weight, q })).sort((a, b) => a.weight - b.weight);
  let light = 0;
  const needed: number[] = [];
  for (const { weight, q } of lightestFirst) {
    light += weight;
    if (light >= MIN_COVERAGE * total) needed.push(q);
  }
  return needed;
}

/**
 * How well the query's words and the variant's words cover each other, weighted: the harmonic mean of the share
 * of the query explained by the name (extra words such as "Telegram" count against) and the share of the name
 * the query gives (a missing generic word costs little, a missing distinctive one a lot).
 */
function overlapScore(
  variant: Variant,
  wordMatches: Map<number, number>[],
  queryWeights: number[],
  queryWeight: number,
): number {
  let queryCovered = 0;
  let nameCovered = 0;
  const bestForNameWord = new Array<number>(variant.words.length).fill(0);
  wordMatches.forEach((matches, q) => {
    let best = 0;
    variant.words.forEach((id, w) => {
      const sim = matches.get(id) ?? 0;
      best = Math.max(best, sim);
      bestForNameWord[w] = Math.max(bestForNameWord[w]!, sim);
    });
    queryCovered += queryWeights[q]! * best;
  });
  variant.weights.forEach((weight, w) => (nameCovered += weight * bestForNameWord[w]!));
  const precision = queryCovered / queryWeight;
  const recall = nameCovered / variant.totalWeight;
  return precision > 0 && recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

/** `a.example/x/y` is official if `a.example/x/y`, `a.example/x` or `a.example` is listed. */
function websitePrefixes(site: string | undefined): string[] {
  if (!site) return [];
  const parts = site.split('/');
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}
