/**
 * What administrators upload in the console: the partner directory, the licence registry and the on-call rota, each
 * the same CSV as its command (`npm run partners:import`, `registry:import`, `officers:import`) and parsed by the
 * same module, so validated the same way. A file is checked first (the difference with what is stored, or every bad
 * line), then applied; like the commands, an upload never deletes (what is stored but not in the file is listed as
 * kept). Both steps are in the console's audit trail, with counts only.
 */
import type { ConsoleUser } from '../domain/console/access';
import type { DirectoryDiff, FocalPoint, PartnerOrganisation } from '../domain/console/referral';
import { parseOfficersCsv } from '../escalation/officers-csv';
import { parseRegistryCsv, type CsvError } from '../registry/csv';
import type { ConsoleServices } from '../runtime';
import type { PutEntriesResult } from '../store/registry';
import type { PutOfficersResult } from '../store/officers';
import { parsePartnersCsv } from './partners-csv';

export const DIRECTORY_KINDS = ['partners', 'registry', 'rota'] as const;
export type DirectoryKind = (typeof DIRECTORY_KINDS)[number];

export interface PartnerDirectoryView {
  organisations: PartnerOrganisation[];
  focalPoints: FocalPoint[];
}

export type DirectoryUpload = { ok: false; errors: CsvError[] } | { ok: true; diff: DirectoryDiff };

/** A valid file, ready to be compared with the store (`apply: false`) or written (`apply: true`). */
type Checked = { ok: false; errors: CsvError[] } | { ok: true; run(apply: boolean): Promise<DirectoryDiff> };

function asDiff<T>(outcomes: { outcome: string; row: T }[], missing: string[], label: (row: T) => string): DirectoryDiff {
  const rows = (outcome: string) => outcomes.filter((o) => o.outcome === outcome).map((o) => label(o.row));
  return { added: rows('added'), changed: rows('updated'), missing };
}

const registryDiff = (result: Pick<PutEntriesResult, 'outcomes' | 'notInBatch'>) =>
  asDiff(
    result.outcomes.map(({ entry, outcome }) => ({ row: entry, outcome })),
    result.notInBatch.map(({ id, name }) => `${name} (${id})`),
    (entry) => `${entry.name} (${entry.id})`,
  );

/** Officers by name, level and role: their numbers are never shown. */
const rotaDiff = (result: PutOfficersResult) =>
  asDiff(
    result.outcomes.map(({ officer, outcome }) => ({ row: officer, outcome })),
    result.notInFile.map(({ name }) => name),
    (officer) => `${officer.name} (level ${officer.level}, ${officer.role})`,
  );

function check(deps: ConsoleServices, kind: DirectoryKind, text: string): Checked {
  switch (kind) {
    case 'partners': {
      const parsed = parsePartnersCsv(text);
      return parsed.ok ? { ok: true, run: (apply) => (apply ? deps.partners.apply(parsed) : deps.partners.diff(parsed)) } : parsed;
    }
    case 'registry': {
      const parsed = parseRegistryCsv(text);
      if (!parsed.ok) return parsed;
      const registry = deps.registryEntries;
      return { ok: true, run: async (apply) => registryDiff(apply ? await registry.putEntries(parsed.entries) : await registry.plan(parsed.entries)) };
    }
    case 'rota': {
      const parsed = parseOfficersCsv(text);
      if (!parsed.ok) return parsed;
      const officers = parsed.officers.map((row) => ({ ...row, key: deps.callerKey(row.phone) }));
      const rota = deps.escalation.officers;
      return { ok: true, run: async (apply) => rotaDiff(apply ? await rota.putOfficers(officers) : await rota.plan(officers)) };
    }
  }
}

export async function uploadDirectory(deps: ConsoleServices, user: ConsoleUser, kind: DirectoryKind, text: string, apply: boolean): Promise<DirectoryUpload> {
  const checked = check(deps, kind, text);
  const actor = { key: `console:${user.email}`, name: user.name };
  const at = new Date(deps.now()).toISOString();
  if (!checked.ok) {
    await deps.sessions.recordEvent({ at, action: 'directory_checked', actor, detail: { kind, valid: false, errors: checked.errors.length } });
    return { ok: false, errors: checked.errors };
  }
  const diff = await checked.run(apply);
  await deps.sessions.recordEvent({
    at,
    action: apply ? 'directory_uploaded' : 'directory_checked',
    actor,
    detail: { kind, added: diff.added.length, changed: diff.changed.length, missing: diff.missing.length },
  });
  return { ok: true, diff };
}
