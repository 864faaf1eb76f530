/**
 * A case and its referrals as Primero (primeroIMS/primero, API v2) takes them in: the case's `data` as for
 * `POST /api/v2/cases`, and each referral as a Primero Referral transition (its `transitions` table fields:
 * type, status, transitioned_to_remote, service, notes, consent_overridden, rejected_reason, rejection_note,
 * responded_at, created_at, remote). Field names are Primero's; values are the hotline's, minimum data only: no
 * reporter number, no free text.
 */
import type { Referral } from './referral';
import type { Report } from '../report';

const identifierText = (identifier: Report['identifiers'][number]) =>
  identifier.kind === 'card' ? `card ****${identifier.last4}` : `${identifier.kind} ${identifier.value}`;

export function primeroCase(report: Report, referrals: readonly Referral[]) {
  return {
    data: {
      short_id: report.reference,
      case_id_display: report.reference,
      record_state: true,
      status: report.status === 'closed' ? 'closed' : 'open',
      registration_date: report.createdAt.slice(0, 10),
      created_at: report.createdAt,
      module_id: 'primeroModule-cp',
      risk_level: report.urgency.urgent ? 'high' : 'medium',
      consent_for_services: referrals.some((r) => r.consent.basis === 'reporter'),
      disclosure_other_orgs: referrals.some((r) => r.consent.basis === 'reporter'),
      // The hotline's own fields, prefixed so that a Primero form can map them.
      safejob_channel: report.channel,
      safejob_language: report.lang,
      safejob_category: report.category,
      safejob_paid: report.paid,
      safejob_amount: report.amount?.value,
      safejob_currency: report.amount?.currency,
      safejob_urgency_reasons: report.urgency.reasons,
      safejob_identifiers: report.identifiers.map(identifierText),
    },
    transitions: referrals.map((referral) => ({
      id: referral.id,
      type: 'Referral',
      record_type: 'case',
      status: referral.status,
      remote: true,
      transitioned_to_remote: referral.organisationName,
      transitioned_to_agency: referral.organisationId,
      transitioned_by: referral.referredBy.name,
      service: referral.service,
      notes: referral.notes ?? null,
      consent_overridden: referral.consent.basis === 'override',
      rejected_reason: referral.rejectedReason ?? null,
      rejection_note: referral.outcomeNote ?? null,
      responded_at: referral.respondedAt ?? null,
      created_at: referral.createdAt,
      safejob_deadline: referral.deadline,
      safejob_urgency: referral.urgency,
    })),
  };
}
