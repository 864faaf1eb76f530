/**
 * How alike two folded words are: edit distance within a budget, and a trigram index of the terms.
 */

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
 * A term index as flat arrays, as the registry snapshot holds it and a lookup reads it: term t's name variants are
 * variants[variantStarts[t] .. variantStarts[t + 1]), and the terms holding trigram g are
 * postings[gramStarts[g] .. gramStarts[g + 1]).
 */
export interface PackedTerms {
  terms: string[];
  variantStarts: Int32Array;
  variants: Int32Array;
  grams: string[];
  gramStarts: Int32Array;
  postings: Int32Array;
}

/** Flattens lists into one array and the start of each (with the end of the last). */
function flatten(lists: readonly (readonly number[])[]): { starts: Int32Array; items: Int32Array } {
  const starts = new Int32Array(lists.length + 1);
  lists.forEach((list, i) => (starts[i + 1] = starts[i]! + list.length));
  const items = new Int32Array(starts[lists.length]!);
  lists.forEach((list, i) => items.set(list, starts[i]!));
  return { starts, items };
}

/** Collects distinct terms (folded words, or whole folded names), the variants holding each and their trigrams. */
export class TermCollector {
  private readonly ids = new Map<string, number>();
  private readonly terms: string[] = [];
  private readonly byTrigram = new Map<string, number[]>();
  /** Per term, the name variants that contain it. */
  readonly variants: number[][] = [];

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

  pack(): PackedTerms {
    const variants = flatten(this.variants);
    const postings = flatten([...this.byTrigram.values()]);
    return {
      terms: this.terms,
      variantStarts: variants.starts,
      variants: variants.items,
      grams: [...this.byTrigram.keys()],
      gramStarts: postings.starts,
      postings: postings.items,
    };
  }
}

/**
 * The terms with their trigram index, so that a query term is compared only with the terms that share enough
 * trigrams with it to be within its edit budget.
 */
export class TermIndex {
  private readonly ids = new Map<string, number>();
  private readonly gramIds = new Map<string, number>();
  /** Per term, the trigrams it shares with the query; and the terms counted: reused by every lookup. */
  private readonly shared: Uint16Array;
  private readonly touched: Int32Array;

  /** `maxEdits` caps the edit budget, whatever the length. */
  constructor(
    private readonly maxEdits: number,
    readonly packed: PackedTerms,
  ) {
    packed.terms.forEach((term, id) => this.ids.set(term, id));
    packed.grams.forEach((gram, g) => this.gramIds.set(gram, g));
    this.shared = new Uint16Array(packed.terms.length);
    this.touched = new Int32Array(packed.terms.length);
  }

  get size(): number {
    return this.packed.terms.length;
  }

  /** The first and the end position of term `id`'s variants in `packed.variants`. */
  variantRange(id: number): [number, number] {
    return [this.packed.variantStarts[id]!, this.packed.variantStarts[id + 1]!];
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
    // Counted in reused typed arrays rather than a Map: this loop is most of a lookup's time.
    const { gramStarts, postings, terms } = this.packed;
    const { shared, touched } = this;
    let count = 0;
    for (const gram of grams) {
      const g = this.gramIds.get(gram);
      if (g === undefined) continue;
      for (let k = gramStarts[g]!, end = gramStarts[g + 1]!; k < end; k++) {
        const id = postings[k]!;
        const before = shared[id]!;
        shared[id] = before + 1;
        if (before === 0) touched[count++] = id;
      }
    }
    for (let t = 0; t < count; t++) {
      const id = touched[t]!;
      const times = shared[id]!;
      shared[id] = 0;
      if (id === exact || times < needed) continue;
      const candidate = terms[id]!;
      const pairBudget = Math.min(budget, editBudget(candidate.length));
      if (Math.abs(term.length - candidate.length) > pairBudget) continue;
      const distance = editDistance(term, candidate, pairBudget);
      if (distance <= pairBudget) found.set(id, 1 - distance / Math.max(term.length, candidate.length));
    }
    return found;
  }
}
