/**
 * The console's cases: the queue, a case's page and the officers' actions, acting on the same state as officers'
 * SMS commands (shared/escalation/service.ts `runReportCommand`): an ACK here stops the paging, an ACK by SMS shows
 * here. Every view and every change is written to the case's audit trail, with who and what.
 */
import { can, type ConsoleUser } from '../domain/console/access';
import type { CaseOutcome } from '../domain/console/outcomes';
import type { Referral, SharingConsent } from '../domain/console/referral';
import type { EscalationState } from '../domain/escalation';
import { normalisePhone } from '../domain/phone';
import { normaliseWebsite } from '../domain/registry';
import {
  identifierValue,
  normaliseReference,
  type Identifier,
  type IdentifierKind,
  type Report,
  type ReportCategory,
  type ReportChannel,
  type ReportStatus,
} from '../domain/report';
import type { Lang } from '../domain/prompts';
import { assignCase, reopenCase, runReportCommand, type AssignOutcome, type ReportCommand } from '../escalation/service';
import type { ConsoleServices } from '../runtime';

/** How far back the queue looks (the dashboard's 13 months and a little more). */
export const CASES_WINDOW_DAYS = 400;

export interface QueueFilters {
  /** `open`: anything not closed (the default). */
  status?: ReportStatus | 'open' | 'all';
  channel?: ReportChannel;
  category?: ReportCategory;
  lang?: Lang;
  /** The level last paged. */
  level?: number;
  urgent?: boolean;
  /** A reference, or an identifier (phone, @handle, link). */
  q?: string;
}

export interface QueueRow {
  report: Report;
  state: EscalationState | undefined;
}

export interface Actor {
  key: string;
  name: string;
}

/** The person as the audit trail names them: an officer by their rota key (as their SMS commands are), else by e-mail. */
export const actorOf = (user: ConsoleUser, officer?: { key: string; name: string }): Actor =>
  officer ? { key: officer.key, name: officer.name } : { key: `console:${user.email}`, name: user.name };

export const sinceDays = (now: number, days: number) => new Date(now - days * 86_400_000).toISOString();

/** The references an identifier as typed (phone, @handle, link) has been reported in. */
async function referencesNaming(deps: ConsoleServices, typed: string): Promise<string[] | undefined> {
  const text = typed.trim();
  const candidates: { kind: IdentifierKind; value: string }[] = [];
  if (/^@?[a-z\d_.]{3,32}$/i.test(text)) candidates.push({ kind: 'handle', value: text.replace(/^@/, '').toLowerCase() });
  if (/\d{6,}/.test(text.replace(/\D/g, ''))) candidates.push({ kind: 'phone', value: normalisePhone(text) });
  const site = normaliseWebsite(text);
  if (site && site.includes('.')) candidates.push({ kind: 'url', value: site });
  if (candidates.length === 0) return undefined;
  const found = await Promise.all(candidates.map((c) => deps.reports.getIdentifier(c.kind, c.value)));
  return [...new Set(found.flatMap((f) => f?.references ?? []))];
}

/** Urgent cases first, then the oldest: the one waiting longest for a person is on top. */
function byUrgencyAndAge(a: QueueRow, b: QueueRow): number {
  return Number(b.report.urgency.urgent) - Number(a.report.urgency.urgent) || a.report.createdAt.localeCompare(b.report.createdAt);
}

export async function caseQueue(deps: ConsoleServices, filters: QueueFilters): Promise<QueueRow[]> {
  const status = filters.status ?? 'open';
  let references: string[];
  const reference = filters.q ? normaliseReference(filters.q) : undefined;
  if (reference) references = [reference];
  else if (filters.q) references = (await referencesNaming(deps, filters.q)) ?? [];
  else {
    const cases = await deps.reports.listCases(sinceDays(deps.now(), CASES_WINDOW_DAYS));
    references = cases.filter((c) => status === 'all' || (status === 'open' ? c.status !== 'closed' : c.status === status)).map((c) => c.reference);
  }
  const reports = await deps.reports.getMany(references);
  const rows = await Promise.all(reports.map(async (report) => ({ report, state: await deps.escalation.escalations.get(report.reference) })));
  return rows
    .filter(({ report, state }) => {
      if (!filters.q && status !== 'all' && (status === 'open' ? report.status === 'closed' : report.status !== status)) return false;
      if (filters.channel && report.channel !== filters.channel) return false;
      if (filters.category && report.category !== filters.category) return false;
      if (filters.lang && report.lang !== filters.lang) return false;
      if (filters.urgent !== undefined && report.urgency.urgent !== filters.urgent) return false;
      if (filters.level !== undefined && state?.level !== filters.level) return false;
      return true;
    })
    .sort(byUrgencyAndAge);
}

export interface CaseDetail {
  report: Report;
  state: EscalationState | undefined;
  audit: Awaited<ReturnType<ConsoleServices['escalation']['escalations']['listAudit']>>;
  referrals: Referral[];
  sharing: SharingConsent | undefined;
  /** A consented call-back number is still kept: the reporter can be messaged and called back. */
  callbackAvailable: boolean;
  /** Other cases naming one of this case's identifiers, per identifier. */
  related: { identifier: Identifier; references: string[] }[];
  /** The rota, for assigning the case: by rota key (a keyed hash, never a number). */
  officers: { key: string; name: string; level: number; role: string }[];
}

/** A case as an officer sees it; the view itself is audited. */
export async function openCase(deps: ConsoleServices, user: ConsoleUser, reference: string): Promise<CaseDetail | undefined> {
  const report = await deps.reports.getByReference(reference);
  if (!report) return undefined;
  const officer = await deps.escalation.officers.findByEmail(user.email);
  await deps.escalation.escalations.audit(reference, new Date(deps.now()).toISOString(), 'viewed', actorOf(user, officer), { by: user.roles.join(',') });
  const [state, audit, referrals, sharing, sealed, related, rota] = await Promise.all([
    deps.escalation.escalations.get(reference),
    deps.escalation.escalations.listAudit(reference),
    deps.referrals.ofCase(reference),
    deps.referrals.sharingConsent(reference),
    report.callbackConsent ? deps.reports.getSealedCallbackNumber(reference) : undefined,
    Promise.all(
      report.identifiers.map(async (identifier) => ({
        identifier,
        references: ((await deps.reports.getIdentifier(identifier.kind, identifierValue(identifier)))?.references ?? []).filter((r) => r !== reference),
      })),
    ),
    deps.escalation.officers.list(),
  ]);
  const officers = rota.map(({ key, name, level, role }) => ({ key, name, level, role })).sort((a, b) => a.level - b.level || a.name.localeCompare(b.name));
  return { report, state, audit, referrals, sharing, callbackAvailable: sealed !== undefined, related, officers };
}

export type CaseAction =
  | { name: 'ack' }
  | { name: 'note'; text: string }
  | { name: 'close'; outcome: CaseOutcome; note?: string }
  | { name: 'reopen' }
  | { name: 'message'; text: string }
  | { name: 'sharing'; given: boolean }
  /** Hand the case to the officer with this rota key. */
  | { name: 'assign'; officerKey: string }
  /** Ring the officer and bridge them to the reporter (the masked CALL bridge), only with call-back consent. */
  | { name: 'call' };

export type ActionProblem =
  | 'not_on_rota'
  | 'forbidden'
  | 'no_consent'
  | 'not_closed'
  | 'unknown_case'
  | 'refused'
  | 'call_failed'
  | 'case_closed'
  | 'held_by_other'
  | 'unknown_officer';

export type ActionResult = { ok: true; message: string } | { ok: false; problem: ActionProblem; message?: string };

const ASSIGN_RESULTS: Record<AssignOutcome, ActionResult> = {
  assigned: { ok: true, message: 'assigned' },
  already: { ok: true, message: 'already' },
  closed: { ok: false, problem: 'case_closed' },
  taken_by_other: { ok: false, problem: 'held_by_other' },
  not_your_case: { ok: false, problem: 'refused' },
  unknown_case: { ok: false, problem: 'unknown_case' },
  unknown_officer: { ok: false, problem: 'unknown_officer' },
};

/** An officer's action on a case. `message` is the officer-language reply the SMS command would have sent. */
export async function actOnCase(deps: ConsoleServices, user: ConsoleUser, reference: string, action: CaseAction): Promise<ActionResult> {
  if (!can(user, 'cases.work')) return { ok: false, problem: 'forbidden' };
  const officer = await deps.escalation.officers.findByEmail(user.email);
  // Acting on a case is acting as someone on the rota: the same person the SMS commands and pages know.
  if (!officer) return { ok: false, problem: 'not_on_rota' };
  const report = await deps.reports.getByReference(reference);
  if (!report) return { ok: false, problem: 'unknown_case' };
  const at = new Date(deps.now()).toISOString();
  const actor = actorOf(user, officer);
  // The SMS rules decide (whose case it is); a refusal is reported as one, with the reason the SMS would give.
  const command = async (c: ReportCommand): Promise<ActionResult> => {
    const { text, refused } = await runReportCommand(deps.escalation, officer, c, { signedIn: true });
    return refused ? { ok: false, problem: 'refused', message: text } : { ok: true, message: text };
  };
  switch (action.name) {
    case 'ack':
      return command({ name: 'ack', reference });
    case 'note':
      return command({ name: 'note', reference, text: action.text });
    case 'close': {
      const note = [action.outcome, action.note?.trim()].filter(Boolean).join(': ');
      return command({ name: 'done', reference, note });
    }
    case 'reopen':
      return (await reopenCase(deps.escalation, officer, reference)) ? { ok: true, message: 'reopened' } : { ok: false, problem: 'not_closed' };
    case 'message': {
      const sealed = report.callbackConsent ? await deps.reports.getSealedCallbackNumber(reference) : undefined;
      if (!sealed) return { ok: false, problem: 'no_consent' };
      await deps.outbox.send(await deps.vault.decrypt(sealed), action.text);
      await deps.escalation.escalations.audit(reference, at, 'reporter_messaged', actor, { text: action.text });
      return { ok: true, message: 'sent' };
    }
    case 'assign':
      return ASSIGN_RESULTS[await assignCase(deps.escalation, officer, reference, action.officerKey)];
    case 'call': {
      if (!report.callbackConsent || !(await deps.reports.getSealedCallbackNumber(reference))) return { ok: false, problem: 'no_consent' };
      const placed = await command({ name: 'call', reference });
      return placed.ok ? placed : { ok: false, problem: 'call_failed', ...(placed.message ? { message: placed.message } : {}) };
    }
    case 'sharing':
      await deps.referrals.recordSharingConsent({ reference, given: action.given, source: 'officer', recordedBy: actor, at });
      await deps.escalation.escalations.audit(reference, at, 'sharing_consent', actor, { given: action.given });
      return { ok: true, message: 'recorded' };
  }
}
