import { readFileSync } from 'node:fs';
import { buildRegistryIndex, type RegistryEntry } from '../../shared/domain/registry';
import type { UssdData } from '../../shared/domain/ussd';
import { parseRegistryCsv } from '../../shared/registry/csv';

/** The sample registry that `npm start` seeds (data/registry.sample.csv), parsed as the importer does. */
export function sampleRegistryEntries(): RegistryEntry[] {
  const parsed = parseRegistryCsv(readFileSync(new URL('../../data/registry.sample.csv', import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(`the sample registry is invalid: ${JSON.stringify(parsed.errors)}`);
  return parsed.entries;
}

/** What the USSD shell would look up, on a fixed day, with the sample registry and nothing reported. */
export function sampleUssdData(overrides: Partial<UssdData> = {}): UssdData {
  return {
    registry: buildRegistryIndex(sampleRegistryEntries()),
    today: '2026-11-25',
    cardHash: (digits) => `card-hash-${digits.slice(-4)}`,
    reported: new Map(),
    ...overrides,
  };
}
