/**
 * One number cannot flood the on-call officers: at most `limitPerHour` escalations per reporter (by keyed phone
 * hash, whatever the channel) in any hour. A later urgent report from that reporter is still stored and marked,
 * and listed to whoever holds the reporter's case (a short SMS and the case's audit trail), never paged again.
 * The same rule for SMS, USSD and voice: intake applies it before the report is stored.
 */
import { t } from '../prompts';
import type { Report } from '../report';
import { officerLanguage, type RotaOfficer } from './rota';
import type { EscalationEffect, EscalationState } from './state';

const HOUR_MS = 3_600_000;

/** Whether a stored report pages anyone: urgent, and not held by the reporter's limit. */
export const escalates = (report: Pick<Report, 'urgency' | 'escalationHeld'>): boolean =>
  report.urgency.urgent && report.escalationHeld === undefined;

/**
 * The case a new urgent report is listed to instead of being paged, or undefined when it may page: `recent` are
 * the reporter's reports (any order), of which those escalated in the hour before `now` count. The case is the
 * newest of those still open (else the newest).
 */
export function heldForReporterLimit(recent: readonly Report[], limitPerHour: number, now: number): string | undefined {
  const escalated = recent
    .filter((report) => escalates(report) && now - Date.parse(report.createdAt) < HOUR_MS)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  if (escalated.length < limitPerHour) return undefined;
  return (escalated.find((report) => report.status !== 'closed') ?? escalated[0]!).reference;
}

/**
 * What a held report does to the case it is listed to: a short SMS (not a page) to whoever holds the case (the
 * officer who acknowledged it, else those paged for it now) naming the new reference, and an audit record.
 */
export function heldReportEffects(
  held: Pick<Report, 'reference'>,
  caseState: EscalationState | undefined,
  rota: readonly RotaOfficer[],
  limitPerHour: number,
): EscalationEffect[] {
  const holders = caseState ? (caseState.acknowledgedBy ? [caseState.acknowledgedBy] : caseState.paged) : [];
  const sms = holders.flatMap((holder): EscalationEffect[] => {
    const officer = rota.find((record) => record.key === holder.key);
    if (!officer) return [];
    const text = t(officerLanguage(officer), 'officer.relatedReport', { reference: caseState!.reference, related: held.reference, limit: limitPerHour });
    return [{ type: 'sms', officerKey: officer.key, text }];
  });
  return [...sms, { type: 'audit', action: 'related_report', detail: { related: held.reference, reason: 'reporter_limit' } }];
}
