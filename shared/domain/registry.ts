/**
 * The licence registry and the matching engine behind "is this agency, employer or scheme operator licensed?".
 * Pure: entries in, an in-memory index out; every lookup is answered from the index (no I/O, no full scan).
 *
 * Names are compared through a folded key: transliterated to one Latin skeleton (so "Конкордия" and "Concordia"
 * meet), phonetically simplified, legal suffixes dropped. Candidates come from a trigram index of the folded words,
 * then only candidates are scored: by weighted word overlap (rare words count more than "jobs" or "agency") and by
 * the edit distance of the whole name written without spaces.
 */
import { z } from 'zod';
import { normalisePhone } from './phone';

export const ENTRY_KINDS = ['scheme_operator', 'agency', 'employer'] as const;
export const ENTRY_STATUSES = ['valid', 'suspended', 'revoked', 'expired'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

/** `YYYY-MM-DD` that names a day that exists (no 2025-02-30). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

const isoDate = z.string().refine(isCalendarDate, 'a calendar date YYYY-MM-DD');
export const E164 = /^\+[1-9]\d{6,14}$/;

/** One licensed (or formerly licensed) body, as stored and as indexed. */
export const registryEntrySchema = z.object({
  id: z.string().min(1),
  kind: z.enum(ENTRY_KINDS),
  name: z.string().min(1),
  aliases: z.array(z.string().min(1)),
  licenceNumber: z.string().min(1).optional(),
  /** ISO 3166-1 alpha-2, upper case. */
  country: z.string().regex(/^[A-Z]{2}$/),
  status: z.enum(ENTRY_STATUSES),
  validUntil: isoDate.optional(),
  /** E.164, as `normalisePhone` writes them. */
  phones: z.array(z.string().regex(E164)),
  /** As `normaliseWebsite` writes them: `example.org` or `facebook.com/page`. */
  websites: z.array(z.string().min(1)),
  source: z.string().min(1),
  checkedOn: isoDate,
});
export type RegistryEntry = z.infer<typeof registryEntrySchema>;

// ---------------------------------------------------------------------------------------------------------------
// Identity and contacts

/** A licence number as compared: letters and digits only, upper case ("ab-12 3" → "AB123"). */
export function licenceKey(raw: string): string {
  return raw.normalize('NFKC').toUpperCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * A stable id, so that re-importing a file updates entries in place: from the licence number when there is one,
 * else from kind and name (letters and digits, lower case; deliberately not the fuzzy key, whose rules may be tuned).
 */
export function entryId(kind: EntryKind, name: string, licenceNumber?: string): string {
  if (licenceNumber) return `L:${licenceKey(licenceNumber)}`;
  return `N:${kind}:${name.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')}`;
}

/**
 * A web address as stored and compared: host without `www.`, and path, lower case, no scheme, query or trailing
 * slash (`https://www.Example.org/Jobs/?x=1` → `example.org/jobs`). Undefined when it is not a web address.
 */
export function normaliseWebsite(raw: string): string | undefined {
  const bare = raw.trim().replace(/^[a-z][a-z\d+.-]*:\/\//i, '');
  if (!bare || /\s/.test(bare)) return undefined;
  let url: URL;
  try {
    url = new URL(`http://${bare}`);
  } catch {
    return undefined;
  }
  if (!/^[a-z\d-]+(\.[a-z\d-]+)+$/.test(url.hostname) || url.username || url.port) return undefined;
  return `${url.hostname.replace(/^www\./, '')}${url.pathname.replace(/\/+$/, '')}`.toLowerCase();
}

// ---------------------------------------------------------------------------------------------------------------
// Standing

export type Standing = 'licensed' | 'suspended' | 'revoked' | 'expired';

/**
 * Whether the entry is licensed on `today` (`YYYY-MM-DD`, the caller's calendar day). A `valid` entry whose
 * valid-until day has passed is expired: the registry file may be older than the licence.
 */
export function standing(entry: Pick<RegistryEntry, 'status' | 'validUntil'>, today: string): Standing {
  if (entry.status !== 'valid') return entry.status;
  return entry.validUntil !== undefined && entry.validUntil < today ? 'expired' : 'licensed';
}

// ---------------------------------------------------------------------------------------------------------------
// Folding names to a common Latin skeleton

/** Cyrillic (Russian, Tajik, and the letters of neighbouring languages) to the Latin skeleton. */
const CYRILLIC_TO_LATIN: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'yo', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l',
  м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'h', ц: 'ts', ч: 'ch', ш: 'sh',
  щ: 'sh', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
  // Tajik
  ғ: 'g', ӣ: 'i', қ: 'k', ӯ: 'u', ҳ: 'h', ҷ: 'j',
  // Uzbek, Kyrgyz, Kazakh, Ukrainian
  ў: 'u', ң: 'n', ө: 'o', ү: 'u', ұ: 'u', ә: 'a', һ: 'h', і: 'i', ї: 'i', є: 'e',
};

/**
 * Spelling variants that sound alike, applied in order to each Latin word: English and Russian-style
 * transliterations of one name should meet ("Dzhakhongir"/"Jahongir", "Force"/"Форс", "Philipp"/"Филипп").
 */
const PHONETIC_RULES: Array<[RegExp, string]> = [
  [/ph/g, 'f'],
  [/th/g, 't'],
  [/kh/g, 'h'],
  [/gh/g, 'g'],
  [/zh/g, 'j'],
  [/dj/g, 'j'],
  [/ch/g, 'č'], // kept apart from c, which becomes k or s below
  [/c(?=[eiy])/g, 's'],
  [/c/g, 'k'],
  [/č/g, 'c'],
  [/q/g, 'k'],
  [/x/g, 'ks'],
  [/w/g, 'v'],
  [/y/g, 'i'],
  [/oo|ou/g, 'u'],
  [/ee/g, 'i'],
  [/([^aeiou\d])e$/, '$1'], // silent final e: "force" → "fors"
  [/([a-z])\1+/g, '$1'], // double letters: "Fruitfull" → "fruitful", "ия" → "iia" → "ia"
];

function foldWord(word: string): string {
  if (!/^[a-z\d]+$/.test(word) || word.length < 3) return word;
  return PHONETIC_RULES.reduce((w, [pattern, replacement]) => w.replace(pattern, replacement), word);
}

function foldWords(text: string): string[] {
  const latin = [...text.normalize('NFKC').toLowerCase()]
    .map((ch) => CYRILLIC_TO_LATIN[ch] ?? ch)
    .join('')
    .normalize('NFD')
    .replace(/\p{M}/gu, '') // é → e, after the Cyrillic letters with marks (ӣ, ӯ, й, ё) were mapped whole
    .replace(/['’ʼ`]/g, '') // O'Neil → oneil
    .replace(/[^\p{L}\p{N}]+/gu, ' ');
  return latin.split(' ').filter(Boolean).map(foldWord);
}

const foldedSet = (words: string[]) => new Set(words.flatMap(foldWords));

/** Legal forms, the country tag and the sample-data marker: they say nothing about which body it is. */
const IGNORED_WORDS = foldedSet([
  'ltd', 'limited', 'llc', 'llp', 'plc', 'inc', 'uk', 'лтд', 'ооо', 'оао', 'зао', 'пао', 'ао', 'ҷдмм', 'ҷск',
  'sample',
]);

/**
 * Words that many names share: they count a fifth of a distinctive word, so "UK jobs" never matches
 * "Fruitful Jobs" on "jobs" alone.
 */
const GENERIC_WORDS = foldedSet([
  'agency', 'agent', 'recruitment', 'recruiting', 'labour', 'labor', 'solutions', 'solution', 'services', 'service',
  'jobs', 'job', 'work', 'workers', 'employment', 'staff', 'staffing', 'personnel', 'group', 'international',
  'global', 'company', 'travel', 'агентство', 'агентии', 'ширкат', 'ширкати', 'компания', 'кадровое', 'кор',
  'корёбӣ', 'корёбии', 'хизмат', 'хизматрасонӣ', 'работа', 'сервис',
]);
const GENERIC_WEIGHT = 0.2;

/** The words a name is compared by: folded, ignored words dropped (unless that leaves nothing). */
export function nameWords(text: string): string[] {
  const words = foldWords(text);
  const meaningful = words.filter((w) => !IGNORED_WORDS.has(w));
  return meaningful.length > 0 ? meaningful : words;
}

// ---------------------------------------------------------------------------------------------------------------
// Similarity of folded words

/** Edits tolerated in a word of this length: none in short words, where one edit makes another word. */
function editBudget(length: number): number {
  return length <= 3 ? 0 : length <= 6 ? 1 : length <= 11 ? 2 : 3;
}

let rows: Int32Array[] = [0, 1, 2].map(() => new Int32Array(64));

/**
 * Optimal string alignment distance (a transposition is one edit), or budget + 1 once it exceeds the budget.
 * Only the diagonal band |i - j| <= budget is computed, in reused rows: this runs for every candidate term.
 */
function editDistance(a: string, b: string, budget: number): number {
  const over = budget + 1;
  if (Math.abs(a.length - b.length) > budget) return over;
  if (rows[0]!.length <= b.length + 1) rows = [0, 1, 2].map(() => new Int32Array(2 * (b.length + 2)));
  let [before, previous, current] = rows as [Int32Array, Int32Array, Int32Array];
  for (let j = 0; j <= b.length; j++) previous[j] = Math.min(j, over);
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - budget);
    const to = Math.min(b.length, i + budget);
    current[from - 1] = from === 1 ? Math.min(i, over) : over;
    let rowMin = over;
    for (let j = from; j <= to; j++) {
      const same = a.charCodeAt(i - 1) === b.charCodeAt(j - 1);
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (same ? 0 : 1));
      const swapped =
        i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1);
      if (!same && swapped) d = Math.min(d, before[j - 2]! + 1);
      current[j] = d;
      rowMin = Math.min(rowMin, d);
    }
    if (to < b.length) current[to + 1] = over;
    if (rowMin > budget) return over;
    [before, previous, current] = [previous, current, before];
  }
  return Math.min(previous[b.length]!, over);
}

function trigrams(term: string): Set<string> {
  const padded = `$${term}$`;
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) grams.add(padded.slice(i, i + 3));
  return grams;
}

/**
 * Distinct terms (folded words, or whole folded names) with a trigram index, so that a query term is compared
 * only with the terms that share enough trigrams with it to be within its edit budget.
 */
class TermIndex {
  private readonly ids = new Map<string, number>();
  private readonly terms: string[] = [];
  private readonly byTrigram = new Map<string, number[]>();
  private shared = new Uint16Array(0);
  /** Per term, the name variants that contain it. */
  readonly variants: number[][] = [];

  /** `maxEdits` caps the edit budget, whatever the length. */
  constructor(private readonly maxEdits: number) {}

  add(term: string, variant: number): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.terms.push(term) - 1;
      this.ids.set(term, id);
      this.variants.push([]);
      for (const gram of trigrams(term)) {
        const list = this.byTrigram.get(gram);
        if (list) list.push(id);
        else this.byTrigram.set(gram, [id]);
      }
    }
    const variants = this.variants[id]!;
    if (variants.at(-1) !== variant) variants.push(variant);
    return id;
  }

  get size(): number {
    return this.terms.length;
  }

  text(id: number): string {
    return this.terms[id]!;
  }

  /**
   * Term ids similar to `term`, with their similarity: 1 for the same term, less by each edit, and absent beyond
   * the edit budget of the shorter of the two.
   */
  similar(term: string): Map<number, number> {
    const found = new Map<number, number>();
    const exact = this.ids.get(term);
    if (exact !== undefined) found.set(exact, 1);
    const budget = Math.min(this.maxEdits, editBudget(term.length));
    if (budget === 0) return found;
    const grams = trigrams(term);
    // An edit changes at most three trigrams, a transposition four: a term within budget shares at least this many.
    const needed = Math.max(1, grams.size - 4 * budget);
    // Counted in a reused array rather than a Map: this loop is most of a lookup's time.
    if (this.shared.length < this.terms.length) this.shared = new Uint16Array(this.terms.length);
    const touched: number[] = [];
    for (const gram of grams) {
      for (const id of this.byTrigram.get(gram) ?? []) {
        if ((this.shared[id] = this.shared[id]! + 1) === 1) touched.push(id);
      }
    }
    for (const id of touched) {
      const count = this.shared[id]!;
      this.shared[id] = 0;
      const candidate = this.terms[id]!;
      if (id === exact || count < needed) continue;
      const pairBudget = Math.min(budget, editBudget(candidate.length));
      const distance = editDistance(term, candidate, pairBudget);
      if (distance <= pairBudget) found.set(id, 1 - distance / Math.max(term.length, candidate.length));
    }
    return found;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The index

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

export function buildRegistryIndex(entries: readonly RegistryEntry[]): RegistryIndex {
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  const words = new TermIndex(Infinity);
  const wholes = new TermIndex(WHOLE_NAME_MAX_EDITS);
  const forms: Array<Omit<Variant, 'weights' | 'totalWeight'>> = [];
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
    for (const form of new Set([entry.name, ...entry.aliases])) {
      const folded = nameWords(form);
      if (folded.length === 0) continue;
      const v = forms.length;
      const wordIds = [...new Set(folded)].map((w) => words.add(w, v));
      forms.push({ entry: e, words: wordIds, whole: wholes.add(folded.join(''), v) });
    }
  });

  // Rare words identify a body; a word in many entries, or a generic one, says little (inverse document frequency).
  const genericFactor = (word: string) => (GENERIC_WORDS.has(word) ? GENERIC_WEIGHT : 1);
  const wordWeights = Array.from({ length: words.size }, (_, id) => {
    const entriesWithWord = new Set(words.variants[id]!.map((v) => forms[v]!.entry)).size;
    return Math.log(1 + entries.length / entriesWithWord) * genericFactor(words.text(id));
  });
  const unknownWordWeight = Math.log(1 + Math.max(1, entries.length));
  const variants: Variant[] = forms.map((form) => {
    const weights = form.words.map((id) => wordWeights[id]!);
    return { ...form, weights, totalWeight: weights.reduce((a, b) => a + b, 0) };
  });
  // Lightest names first, so that a lookup stops reading a word's names where they get too heavy to be covered.
  for (const list of words.variants) list.sort((a, b) => variants[a]!.totalWeight - variants[b]!.totalWeight);

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
