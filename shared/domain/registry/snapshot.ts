/**
 * The registry index as stored once per registry version (at import, shared/store/registry.ts) and restored by a
 * container instead of folding every name again: one byte array, a small JSON header (the strings: terms,
 * trigrams, entry ids and licence keys) followed by the numbers as typed arrays, which are taken up as they lie
 * rather than parsed. The entries themselves are kept as one JSON text each and decoded only when a lookup answers
 * with them. Numbers are little-endian, as on every machine the functions run on (x86-64, arm64).
 */
import type { RegistryEntry } from './entry';
import type { PackedTerms } from './similarity';

/** The stored form of an index (registrySnapshot / restoreRegistryIndex). */
export type RegistrySnapshot = Uint8Array;

/** Changed whenever the layout changes: a snapshot of another format is not read (the container builds instead). */
const FORMAT = 2;

/** Lists flattened: list i is items[starts[i] .. starts[i + 1]). */
export interface FlatLists {
  starts: Int32Array;
  items: Int32Array;
}

/** What the index needs of the entries without decoding them, and each entry on demand. */
export interface EntryColumns {
  ids: string[];
  /** licenceKey() of each entry's licence number, '' for none. */
  licences: string[];
  /** `phone:<number>` / `website:<address>` keys, each with the entry that lists it (in contactEntries). */
  contactKeys: string[];
  contactEntries: Int32Array;
  at(e: number): RegistryEntry;
}

/** What an index is made of: the folded names, weighed and sorted (the costly part), ready to be looked up. */
export interface IndexParts {
  entries: EntryColumns;
  words: PackedTerms;
  wholes: PackedTerms;
  /** Each name variant as [entry, whole name, ...words]. */
  forms: FlatLists;
  wordWeights: Float64Array;
}

interface Header {
  format: number;
  words: { terms: string[]; grams: string[] };
  wholes: { terms: string[]; grams: string[] };
  ids: string[];
  licences: string[];
  contactKeys: string[];
  /** The element count of each typed section, in the order of `sections()`. */
  lengths: number[];
}

type Section = Int32Array | Float64Array | Uint8Array;

const terms = (packed: PackedTerms): Section[] => [packed.variantStarts, packed.variants, packed.gramStarts, packed.postings];
const sections = (parts: IndexParts, entryStarts: Int32Array, entryBytes: Uint8Array): Section[] => [
  ...terms(parts.words),
  ...terms(parts.wholes),
  parts.forms.starts,
  parts.forms.items,
  parts.entries.contactEntries,
  parts.wordWeights,
  entryStarts,
  entryBytes,
];

const padded = (bytes: number) => Math.ceil(bytes / 8) * 8;

export function encodeSnapshot(parts: IndexParts, entries: readonly RegistryEntry[]): RegistrySnapshot {
  const encoder = new TextEncoder();
  const texts = entries.map((entry) => encoder.encode(JSON.stringify(entry)));
  const entryStarts = new Int32Array(texts.length + 1);
  texts.forEach((text, e) => (entryStarts[e + 1] = entryStarts[e]! + text.length));
  const entryBytes = new Uint8Array(entryStarts[texts.length]!);
  texts.forEach((text, e) => entryBytes.set(text, entryStarts[e]!));
  const body = sections(parts, entryStarts, entryBytes);
  const { words, wholes, entries: columns } = parts;
  const header: Header = {
    format: FORMAT,
    words: { terms: words.terms, grams: words.grams },
    wholes: { terms: wholes.terms, grams: wholes.grams },
    ids: columns.ids,
    licences: columns.licences,
    contactKeys: columns.contactKeys,
    lengths: body.map((section) => section.length),
  };
  const head = encoder.encode(JSON.stringify(header));
  const start = padded(8 + head.length);
  const out = new Uint8Array(body.reduce((at, section) => at + padded(section.byteLength), start));
  const view = new DataView(out.buffer);
  view.setUint32(0, FORMAT, true);
  view.setUint32(4, head.length, true);
  out.set(head, 8);
  let at = start;
  for (const section of body) {
    out.set(new Uint8Array(section.buffer, section.byteOffset, section.byteLength), at);
    at += padded(section.byteLength);
  }
  return out;
}

/** The index parts of a snapshot, or undefined when it is of another format or cut short. */
export function decodeSnapshot(snapshot: RegistrySnapshot): IndexParts | undefined {
  if (snapshot.byteLength < 8) return undefined;
  // Typed arrays are laid over the bytes in place, which needs them 8-byte aligned in their buffer.
  const bytes = snapshot.byteOffset % 8 === 0 ? snapshot : snapshot.slice();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== FORMAT) return undefined;
  const headLength = view.getUint32(4, true);
  const decoder = new TextDecoder();
  const header = JSON.parse(decoder.decode(bytes.subarray(8, 8 + headLength))) as Header;
  let at = bytes.byteOffset + padded(8 + headLength);
  const end = bytes.byteOffset + bytes.byteLength;
  let next = 0;
  const take = <T extends Section>(make: new (buffer: ArrayBufferLike, offset: number, length: number) => T, width: number): T => {
    const length = header.lengths[next++]!;
    if (at + length * width > end) throw new RangeError('registry snapshot cut short');
    const section = new make(bytes.buffer, at, length);
    at += padded(length * width);
    return section;
  };
  const packed = (strings: Header['words']): PackedTerms => ({
    terms: strings.terms,
    variantStarts: take(Int32Array, 4),
    variants: take(Int32Array, 4),
    grams: strings.grams,
    gramStarts: take(Int32Array, 4),
    postings: take(Int32Array, 4),
  });
  try {
    const words = packed(header.words);
    const wholes = packed(header.wholes);
    const forms = { starts: take(Int32Array, 4), items: take(Int32Array, 4) };
    const contactEntries = take(Int32Array, 4);
    const wordWeights = take(Float64Array, 8);
    const entryStarts = take(Int32Array, 4);
    const entryBytes = take(Uint8Array, 1);
    const decoded: RegistryEntry[] = [];
    const at = (e: number) => (decoded[e] ??= JSON.parse(decoder.decode(entryBytes.subarray(entryStarts[e], entryStarts[e + 1]))) as RegistryEntry);
    return { entries: { ids: header.ids, licences: header.licences, contactKeys: header.contactKeys, contactEntries, at }, words, wholes, forms, wordWeights };
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}
