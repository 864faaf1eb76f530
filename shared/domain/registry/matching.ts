/**
 * The registry index: entries found by name or licence number (tolerant of script and spelling), and by
 * official phone number or website.
 */
import { normalisePhone } from '../phone';
import { licenceKey, normaliseWebsite, type RegistryEntry } from './entry';
import { GENERIC_WEIGHT, GENERIC_WORDS, nameWords } from './name-folding';
import { decodeSnapshot, encodeSnapshot, type EntryColumns, type FlatLists, type IndexParts, type RegistrySnapshot } from './snapshot';
import { TermCollector, TermIndex } from './similarity';

export type { RegistrySnapshot } from './snapshot';

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

export const buildRegistryIndex = (entries: readonly RegistryEntry[]): RegistryIndex => indexOf(foldRegistry(entries));

/** The index of `entries` as stored once per registry version (shared/domain/registry/snapshot.ts). */
export const registrySnapshot = (entries: readonly RegistryEntry[]): RegistrySnapshot => encodeSnapshot(foldRegistry(entries), entries);

/** The index of a stored snapshot; undefined when the snapshot is of another format or incomplete. */
export function restoreRegistryIndex(snapshot: RegistrySnapshot): RegistryIndex | undefined {
  const parts = decodeSnapshot(snapshot);
  return parts && indexOf(parts);
}

function foldRegistry(entries: readonly RegistryEntry[]): IndexParts {
  const words = new TermCollector();
  const wholes = new TermCollector();
  const forms: number[][] = [];
  const formEntry = (v: number) => forms[v]![0]!;
  entries.forEach((entry, e) => {
    for (const form of new Set([entry.name, ...entry.aliases])) {
      const folded = nameWords(form);
      if (folded.length === 0) continue;
      const v = forms.length;
      const wordIds = [...new Set(folded)].map((w) => words.add(w, v));
      forms.push([e, wholes.add(folded.join(''), v), ...wordIds]);
    }
  });
  // Rare words identify a body; a word in many entries, or a generic one, says little (inverse document frequency).
  const wordWeights = Float64Array.from({ length: words.size }, (_, id) => {
    const entriesWithWord = new Set(words.variants[id]!.map(formEntry)).size;
    return Math.log(1 + entries.length / entriesWithWord) * genericFactor(words.text(id));
  });
  // Lightest names first, so that a lookup stops reading a word's names where they get too heavy to be covered.
  const totalWeights = forms.map((form) => form.slice(2).reduce((sum, id) => sum + wordWeights[id]!, 0));
  for (const list of words.variants) list.sort((a, b) => totalWeights[a]! - totalWeights[b]!);
  return { entries: entryColumns(entries), words: words.pack(), wholes: wholes.pack(), forms: flatLists(forms), wordWeights };
}

function entryColumns(entries: readonly RegistryEntry[]): EntryColumns {
  const contactKeys: string[] = [];
  const contactEntries: number[] = [];
  entries.forEach((entry, e) => {
    for (const key of new Set([...entry.phones.map((p) => `phone:${p}`), ...entry.websites.map((w) => `website:${w}`)])) {
      contactKeys.push(key);
      contactEntries.push(e);
    }
  });
  return {
    ids: entries.map((entry) => entry.id),
    licences: entries.map((entry) => (entry.licenceNumber ? licenceKey(entry.licenceNumber) : '')),
    contactKeys,
    contactEntries: Int32Array.from(contactEntries),
    at: (e) => entries[e]!,
  };
}

function flatLists(lists: readonly number[][]): FlatLists {
  const starts = new Int32Array(lists.length + 1);
  lists.forEach((list, i) => (starts[i + 1] = starts[i]! + list.length));
  return { starts, items: Int32Array.from(lists.flat()) };
}

const genericFactor = (word: string) => (GENERIC_WORDS().has(word) ? GENERIC_WEIGHT : 1);

function indexOf(parts: IndexParts): RegistryIndex {
  const { entries: columns, wordWeights } = parts;
  const entryCount = columns.ids.length;
  const words = new TermIndex(Infinity, parts.words);
  const wholes = new TermIndex(WHOLE_NAME_MAX_EDITS, parts.wholes);
  const byId = new Map<string, number>();
  columns.ids.forEach((id, e) => byId.set(id, e));
  const byLicence = new Map<string, number>();
  columns.licences.forEach((key, e) => key && byLicence.set(key, e));
  const byContact = new Map<string, number[]>();
  columns.contactKeys.forEach((key, k) => {
    const entry = columns.contactEntries[k]!;
    const list = byContact.get(key);
    if (!list) byContact.set(key, [entry]);
    else if (!list.includes(entry)) list.push(entry);
  });
  const unknownWordWeight = Math.log(1 + Math.max(1, entryCount));
  // A name variant v is formItems[formStarts[v] ..]: its entry, its whole name, then its distinct folded words.
  const { starts: formStarts, items: formItems } = parts.forms;
  const totalWeights = new Float64Array(formStarts.length - 1);
  for (let v = 0; v < totalWeights.length; v++) {
    for (let k = formStarts[v]! + 2; k < formStarts[v + 1]!; k++) totalWeights[v]! += wordWeights[formItems[k]!]!;
  }
  const forms: Forms = { starts: formStarts, items: formItems, totalWeights, wordWeights };
  const wordVariants = parts.words.variants;
  const wholeVariants = parts.wholes.variants;

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
        for (let [k, end] = words.variantRange(id); k < end; k++) {
          const v = wordVariants[k]!;
          if (totalWeights[v]! > heaviest) break;
          candidates.add(v);
        }
      }
    }
    for (const id of wholeMatches.keys()) {
      for (let [k, end] = wholes.variantRange(id); k < end; k++) candidates.add(wholeVariants[k]!);
    }
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
      const entry = formItems[formStarts[v]!]!;
      const score = Math.max(wholeMatches.get(formItems[formStarts[v]! + 1]!) ?? 0, overlapScore(forms, v, wordMatches, queryWeights, queryWeight));
      if (score >= PLAUSIBLE_SCORE && score > (bestByEntry.get(entry) ?? 0)) bestByEntry.set(entry, score);
    }
    const ranked = [...bestByEntry].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const [first, second] = ranked;
    if (!first) return { kind: 'none' };
    if (first[1] >= ONE_SCORE && (!second || first[1] - second[1] >= CLEAR_LEAD)) {
      return { kind: 'one', entry: columns.at(first[0]), score: first[1] };
    }
    const listed = ranked.filter(([, score]) => score >= first[1] - LIST_SPREAD).slice(0, LIST_MAX);
    return { kind: 'several', entries: listed.map(([e]) => columns.at(e)) };
  }

  return {
    size: entryCount,
    get: (id) => {
      const e = byId.get(id);
      return e === undefined ? undefined : columns.at(e);
    },
    findByNameOrLicence(query) {
      // An exact licence number wins outright: the whole query, or a word of it with a digit ("licence AB-123").
      const licenceLike = query.split(/\s+/).filter((word) => /\d/.test(word) && licenceKey(word).length >= 4);
      for (const candidate of [query, ...licenceLike]) {
        const e = byLicence.get(licenceKey(candidate));
        if (e !== undefined) return { kind: 'one', entry: columns.at(e), score: 1 };
      }
      return matchByName(query);
    },
    findContact(kind, value) {
      const keys = kind === 'phone' ? [normalisePhone(value)] : websitePrefixes(normaliseWebsite(value));
      const found = new Set(keys.flatMap((key) => byContact.get(`${kind}:${key}`) ?? []));
      return [...found].sort((a, b) => a - b).map((e) => columns.at(e));
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

/** The name variants as the index holds them (see indexOf), with each one's total word weight. */
interface Forms extends FlatLists {
  totalWeights: Float64Array;
  wordWeights: Float64Array;
}

/** Per word of the variant being scored, its best similarity to a query word: reused by every score. */
let bestForNameWord = new Float64Array(16);

/**
 * How well the query's words and the variant's words cover each other, weighted: the harmonic mean of the share
 * of the query explained by the name (extra words such as "Telegram" count against) and the share of the name
 * the query gives (a missing generic word costs little, a missing distinctive one a lot).
 */
function overlapScore(forms: Forms, v: number, wordMatches: Map<number, number>[], queryWeights: number[], queryWeight: number): number {
  const { starts, items, wordWeights } = forms;
  const first = starts[v]! + 2;
  const count = starts[v + 1]! - first;
  if (bestForNameWord.length < count) bestForNameWord = new Float64Array(2 * count);
  bestForNameWord.fill(0, 0, count);
  let queryCovered = 0;
  for (let q = 0; q < wordMatches.length; q++) {
    const matches = wordMatches[q]!;
    let best = 0;
    for (let w = 0; w < count; w++) {
      const sim = matches.get(items[first + w]!) ?? 0;
      if (sim > best) best = sim;
      if (sim > bestForNameWord[w]!) bestForNameWord[w] = sim;
    }
    queryCovered += queryWeights[q]! * best;
  }
  let nameCovered = 0;
  for (let w = 0; w < count; w++) nameCovered += wordWeights[items[first + w]!]! * bestForNameWord[w]!;
  const precision = queryCovered / queryWeight;
  const recall = nameCovered / forms.totalWeights[v]!;
  return precision > 0 && recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

/** `a.example/x/y` is official if `a.example/x/y`, `a.example/x` or `a.example` is listed. */
function websitePrefixes(site: string | undefined): string[] {
  if (!site) return [];
  const parts = site.split('/');
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}
