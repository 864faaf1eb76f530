/**
 * The partner directory as administrators manage it: the same CSV as `npm run partners:import`, validated the same
 * way (shared/console/partners-csv.ts), checked first (the difference with what is stored, or every bad line), then
 * applied. Both steps are in the console's audit trail.
 */
import type { ConsoleUser } from '../domain/console/access';
import type { DirectoryDiff, FocalPoint, PartnerOrganisation } from '../domain/console/referral';
import type { ConsoleServices } from '../runtime';
import { parsePartnersCsv } from './partners-csv';

export interface PartnerDirectoryView {
  organisations: PartnerOrganisation[];
  focalPoints: FocalPoint[];
}

export type DirectoryUpload = { ok: false; errors: { line: number; reason: string }[] } | { ok: true; diff: DirectoryDiff };

export async function uploadPartnerDirectory(deps: ConsoleServices, user: ConsoleUser, text: string, apply: boolean): Promise<DirectoryUpload> {
  const parsed = parsePartnersCsv(text);
  const actor = { key: `console:${user.email}`, name: user.name };
  const at = new Date(deps.now()).toISOString();
  if (!parsed.ok) {
    await deps.sessions.recordEvent({ at, action: 'directory_checked', actor, detail: { valid: false, errors: parsed.errors.length } });
    return { ok: false, errors: parsed.errors };
  }
  const diff = apply ? await deps.partners.apply(parsed) : await deps.partners.diff(parsed);
  await deps.sessions.recordEvent({
    at,
    action: apply ? 'directory_uploaded' : 'directory_checked',
    actor,
    detail: { added: diff.added.length, changed: diff.changed.length, missing: diff.missing.length },
  });
  return { ok: true, diff };
}
