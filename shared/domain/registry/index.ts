/**
 * The licence registry and the matching engine behind "is this agency, employer or scheme operator licensed?".
 * Pure: entries in, an in-memory index out; every lookup is answered from the index (no I/O, no full scan).
 *
 * Names are compared through a folded key: transliterated to one Latin skeleton (so "Конкордия" and "Concordia"
 * meet), phonetically simplified, legal suffixes dropped. Candidates come from a trigram index of the folded words
 * (only the rarest trigrams a near term must share are read, and terms are rejected by length and letters before an
 * edit distance: similarity.ts), then only candidates are scored: by weighted word overlap (rare words count more
 * than "jobs" or "agency") and by the edit distance of the whole name written without spaces.
 */
export {
  ENTRY_KINDS,
  ENTRY_STATUSES,
  isCalendarDate,
  E164,
  registryEntrySchema,
  licenceKey,
  entryId,
  normaliseWebsite,
  standing,
  type EntryKind,
  type EntryStatus,
  type RegistryEntry,
  type Standing,
} from './entry';
export { nameWords } from './name-folding';
export {
  buildRegistryIndex,
  registrySnapshot,
  restoreRegistryIndex,
  type MatchResult,
  type ContactKind,
  type RegistryIndex,
  type RegistrySnapshot,
} from './matching';
