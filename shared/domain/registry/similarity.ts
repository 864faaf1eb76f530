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

export interface TermSnapshot {
  terms: string[];
  variants: number[][];
  trigrams: Record<string, number[]>;
}

/**
 * Distinct terms (folded words, or whole folded names) with a trigram index, so that a query term is compared
 * only with the terms that share enough trigrams with it to be within its edit budget.
 */
export class TermIndex {
  private readonly ids = new Map<string, number>();
  private readonly terms: string[] = [];
  /** Per trigram, the terms that hold it: a plain object, so that a snapshot's is taken up as it is parsed. */
  private byTrigram: Record<string, number[]> = Object.create(null) as Record<string, number[]>;
  private shared = new Uint16Array(0);
  /** Per term, the name variants that contain it. */
  readonly variants: number[][] = [];

  /** `maxEdits` caps the edit budget, whatever the length. */
  constructor(private readonly maxEdits: number) {}

  /** The index as plain data (TermIndex.restore reads it back): terms, their variants and the trigram lists. */
  snapshot(): TermSnapshot {
    return { terms: this.terms, variants: this.variants, trigrams: this.byTrigram };
  }

  static restore(maxEdits: number, snapshot: TermSnapshot): TermIndex {
    const index = new TermIndex(maxEdits);
    snapshot.terms.forEach((term, id) => {
      index.ids.set(term, id);
      index.terms.push(term);
      index.variants.push(snapshot.variants[id]!);
    });
    // Taken as parsed: a trigram is three characters, and no property of Object.prototype has a name that short.
    index.byTrigram = snapshot.trigrams;
    return index;
  }

  add(term: string, variant: number): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.terms.push(term) - 1;
      this.ids.set(term, id);
      this.variants.push([]);
      for (const gram of trigrams(term)) {
        const list = this.byTrigram[gram];
        if (list) list.push(id);
        else this.byTrigram[gram] = [id];
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
      for (const id of this.byTrigram[gram] ?? []) {
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
