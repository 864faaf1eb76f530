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

/** Lengths are compared up to this; clamping both sides keeps the difference a lower bound of the distance. */
const LONGEST = 31;

const LETTER_BITS = (1 << 27) - 1;

/**
 * A term's length (up to LONGEST) and its letters as bits in one number: the letters a–z each a bit, any other
 * character one shared bit. A letter one term has and the other lacks needs an edit, so the bits one has and the
 * other lacks, like the difference in length, never exceed the distance.
 */
function shapeOf(term: string): number {
  let bits = 0;
  for (let i = 0; i < term.length; i++) {
    const code = term.charCodeAt(i);
    bits |= 1 << (code >= 97 && code <= 122 ? code - 97 : 26);
  }
  return (Math.min(term.length, LONGEST) << 27) | bits;
}

function bitCount(bits: number): number {
  bits -= (bits >>> 1) & 0x55555555;
  bits = (bits & 0x33333333) + ((bits >>> 2) & 0x33333333);
  return Math.imul((bits + (bits >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/**
 * The terms with their trigram index, so that a query term is compared only with the terms that share enough
 * trigrams with it to be within its edit budget.
 */
export class TermIndex {
  private readonly ids = new Map<string, number>();
  private readonly gramIds = new Map<string, number>();
  /**
   * The shapeOf each posting's term, beside the postings: most terms met are rejected by their shape alone, read
   * in order rather than looked up per term (at 100,000 entries those lookups were most of a lookup's time).
   */
  private readonly postingShapes: Int32Array;
  /** Per term, whether this lookup has kept it already; and the terms kept: reused by every lookup. */
  private readonly kept: Uint8Array;
  private readonly touched: Int32Array;

  /** `maxEdits` caps the edit budget, whatever the length. */
  constructor(
    private readonly maxEdits: number,
    readonly packed: PackedTerms,
  ) {
    packed.terms.forEach((term, id) => this.ids.set(term, id));
    packed.grams.forEach((gram, g) => this.gramIds.set(gram, g));
    const shapes = new Int32Array(packed.terms.length);
    for (let id = 0; id < shapes.length; id++) shapes[id] = shapeOf(packed.terms[id]!);
    this.postingShapes = new Int32Array(packed.postings.length);
    for (let k = 0; k < packed.postings.length; k++) this.postingShapes[k] = shapes[packed.postings[k]!]!;
    this.kept = new Uint8Array(packed.terms.length);
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
   * the edit budget of the shorter of the two or when they share fewer trigrams than `needed`. In the order in
   * which a scan of each trigram's terms, in the query's trigram order, first meets them (callers keep the first of
   * equally similar words).
   */
  similar(term: string): Map<number, number> {
    const found = new Map<number, number>();
    const exact = this.ids.get(term);
    if (exact !== undefined) found.set(exact, 1);
    const budget = Math.min(this.maxEdits, editBudget(term.length));
    if (budget === 0) return found;
    const grams = [...trigrams(term)];
    // An edit changes at most three trigrams, a transposition four: a term within budget shares at least this many.
    const needed = Math.max(1, grams.length - 4 * budget);
    const { gramStarts, postings, terms } = this.packed;
    const lists = grams.map((gram) => this.gramIds.get(gram));
    // A term sharing `needed` of the trigrams shares one of any (count - needed + 1) of them: only the terms of the
    // rarest are read (common ones, "job" or "ent" in whole names, hold a tenth of the registry). A term read that
    // shares fewer than `needed` is over budget (above), so its distance rejects it.
    const readAll = needed === 1;
    const read = readAll ? lists : lists.toSorted((a, b) => listLength(gramStarts, a) - listLength(gramStarts, b)).slice(0, grams.length - needed + 1);
    const { kept, touched, postingShapes } = this;
    const shape = shapeOf(term);
    let count = 0;
    for (const g of read) {
      if (g === undefined) continue;
      for (let k = gramStarts[g]!, end = gramStarts[g + 1]!; k < end; k++) {
        if (!fits(shape, postingShapes[k]!, budget)) continue;
        const id = postings[k]!;
        if (kept[id] === 1 || id === exact) continue;
        kept[id] = 1;
        touched[count++] = id;
      }
    }
    const close: { id: number; similarity: number }[] = [];
    for (let t = 0; t < count; t++) {
      const id = touched[t]!;
      kept[id] = 0;
      const other = terms[id]!;
      const pairBudget = Math.min(budget, editBudget(other.length));
      const distance = editDistance(term, other, pairBudget);
      if (distance <= pairBudget) close.push({ id, similarity: 1 - distance / Math.max(term.length, other.length) });
    }
    if (!readAll) {
      // Read rarest first, they are met out of the scan's order: put back by the first trigram each shares.
      const firstShared = new Map(close.map(({ id }) => [id, grams.findIndex((gram) => `$${terms[id]}$`.includes(gram))]));
      close.sort((a, b) => firstShared.get(a.id)! - firstShared.get(b.id)! || a.id - b.id);
    }
    for (const { id, similarity } of close) found.set(id, similarity);
    return found;
  }
}

/**
 * Whether a term of shape `other` can be within `budget` (and within its own length's budget) of a term of shape
 * `query`: the difference in length and the letters either lacks each take an edit.
 */
function fits(query: number, other: number, budget: number): boolean {
  const otherLength = other >>> 27;
  const pairBudget = Math.min(budget, editBudget(otherLength));
  if (Math.abs((query >>> 27) - otherLength) > pairBudget) return false;
  return bitCount(query & ~other & LETTER_BITS) <= pairBudget && bitCount(other & ~query & LETTER_BITS) <= pairBudget;
}

/** How many terms hold trigram `g` (none for a trigram the registry lacks). */
const listLength = (starts: Int32Array, g: number | undefined) => (g === undefined ? 0 : starts[g + 1]! - starts[g]!);
