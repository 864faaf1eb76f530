/**
 * National referrals, the shell around shared/domain/console/referral.ts: making one (consent checked, the case
 * marked referred through the same REFER as officers' SMS, the partner's focal points notified by SMS and e-mail
 * with a link), the partner's answers (only for their own organisation's referrals), revoking, deadline reminders.
 * Every step is in the case's audit trail. Notices carry the reference and a link, never the reporter's number or
 * words.
 */
import { can, type ConsoleUser } from '../domain/console/access';
import {
  applyReferralAction,
  defaultDeadline,
  needsReminder,
  referralBasis,
  type FocalPoint,
  type Referral,
  type ReferralAction,
  type ReferralService,
} from '../domain/console/referral';
import { officerLanguage } from '../domain/escalation';
import type { Report } from '../domain/report';
import { runReportCommand } from '../escalation/service';
import type { ConsoleServices } from '../runtime';
import { actorOf } from './cases';
import { ct, isConsoleLang, type ConsoleLang } from './texts';

export interface ReferralRequest {
  organisationId: string;
  service: ReferralService;
  urgency: 'urgent' | 'normal';
  /** ISO; the default for the urgency when absent. */
  deadline?: string;
  notes?: string;
  /** A supervisor's reason to refer without the reporter's consent. */
  overrideReason?: string;
}

export type ReferralOutcome =
  | { ok: true; referral: Referral }
  | { ok: false; problem: 'forbidden' | 'not_on_rota' | 'unknown_case' | 'unknown_organisation' | 'service_not_offered' | 'no_consent' | 'override_not_allowed' | 'wrong_status' | 'empty_text' | 'not_found' | 'refused' };

const caseLink = (deps: ConsoleServices, referral: Pick<Referral, 'reference' | 'id'>) =>
  `${deps.consoleBaseUrl}/console/referrals/${referral.reference}/${referral.id}`;

/** The partners are written to in Russian and English: the working languages of the agencies the hotline refers to. */
function bilingual(key: Parameters<typeof ct>[1], vars: Record<string, string>): string {
  return (['ru', 'en'] as ConsoleLang[]).map((lang) => ct(lang, key, vars)).join('\n\n');
}

async function notifyFocalPoints(deps: ConsoleServices, points: FocalPoint[], referral: Referral, key: 'mail.referral' | 'mail.reminder'): Promise<void> {
  const vars = {
    reference: referral.reference,
    organisation: referral.organisationName,
    service: ct('en', `service.${referral.service}` as Parameters<typeof ct>[1]),
    deadline: referral.deadline.slice(0, 16).replace('T', ' '),
    link: caseLink(deps, referral),
  };
  for (const point of points) {
    try {
      await deps.mail.send({ to: point.email, subject: ct('en', `${key}.subject`, vars), text: bilingual(`${key}.body`, vars) });
      if (point.phone) await deps.outbox.send(point.phone, ct('ru', `${key}.sms`, vars));
    } catch (error) {
      // One unreachable focal point must not stop the others; the referral itself is stored.
      deps.log.error('partner notice failed', { reference: referral.reference, organisation: referral.organisationId, error });
    }
  }
}

export async function createReferral(deps: ConsoleServices, user: ConsoleUser, reference: string, request: ReferralRequest): Promise<ReferralOutcome> {
  if (!can(user, 'cases.work')) return { ok: false, problem: 'forbidden' };
  const officer = await deps.escalation.officers.findByEmail(user.email);
  if (!officer) return { ok: false, problem: 'not_on_rota' };
  const [report, organisation, consent] = await Promise.all([
    deps.reports.getByReference(reference),
    deps.partners.organisation(request.organisationId),
    deps.referrals.sharingConsent(reference),
  ]);
  if (!report) return { ok: false, problem: 'unknown_case' };
  if (!organisation) return { ok: false, problem: 'unknown_organisation' };
  if (!organisation.services.includes(request.service)) return { ok: false, problem: 'service_not_offered' };
  const actor = actorOf(user, officer);
  const basis = referralBasis(
    consent,
    request.overrideReason ? { reason: request.overrideReason, by: actor, allowed: can(user, 'cases.supervise') } : undefined,
  );
  if ('refused' in basis) return { ok: false, problem: basis.refused };
  // The same REFER as by SMS, first: the officers' rules decide whether this officer may act on the case (nothing
  // reaches a partner otherwise); the case is taken (paging stops) and marked referred to the organisation's kind.
  const refer = await runReportCommand(deps.escalation, officer, { name: 'refer', reference, body: organisation.kind, note: organisation.name }, { signedIn: true });
  if (refer.refused) return { ok: false, problem: 'refused' };
  const now = new Date(deps.now());
  const referral: Referral = {
    id: deps.referrals.newId(),
    reference,
    organisationId: organisation.id,
    organisationName: organisation.name,
    service: request.service,
    urgency: request.urgency,
    deadline: request.deadline ?? defaultDeadline(request.urgency, now),
    status: 'in_progress',
    ...(request.notes?.trim() ? { notes: request.notes.trim() } : {}),
    consent: basis,
    referredBy: actor,
    createdAt: now.toISOString(),
  };
  await deps.referrals.create(referral);
  await deps.escalation.escalations.audit(reference, referral.createdAt, 'referral_created', actor, {
    referral: referral.id,
    organisation: organisation.id,
    service: referral.service,
    consent: basis.basis,
    ...(basis.basis === 'override' ? { overrideReason: basis.reason } : {}),
  });
  await notifyFocalPoints(deps, await deps.partners.focalPointsOf(organisation.id), referral, 'mail.referral');
  return { ok: true, referral };
}

/** The partner's focal point, when this user is one. */
export async function focalPointOf(deps: ConsoleServices, user: ConsoleUser): Promise<FocalPoint | undefined> {
  return can(user, 'referrals.respond') ? deps.partners.focalPoint(user.email) : undefined;
}

/** A referral as its partner may see it: theirs only, with the minimum of the case the reporter agreed to share. */
export async function partnerReferral(
  deps: ConsoleServices,
  user: ConsoleUser,
  reference: string,
  id: string,
): Promise<{ referral: Referral; report: PartnerCaseView } | undefined> {
  const point = await focalPointOf(deps, user);
  const referral = await deps.referrals.get(reference, id);
  if (!point || !referral || referral.organisationId !== point.organisationId) return undefined;
  const report = await deps.reports.getByReference(reference);
  if (!report) return undefined;
  await deps.escalation.escalations.audit(reference, new Date(deps.now()).toISOString(), 'viewed', actorOf(user), {
    by: 'partner',
    organisation: point.organisationId,
  });
  return { referral, report: partnerView(report) };
}

/** The fields a partner sees: what happened, how much, whom the scammer used. Never the reporter's words or number. */
export interface PartnerCaseView {
  reference: string;
  createdAt: string;
  channel: Report['channel'];
  lang: Report['lang'];
  category: Report['category'];
  paid: Report['paid'];
  amount?: Report['amount'];
  identifiers: Report['identifiers'];
  urgency: Report['urgency'];
}

export function partnerView(report: Report): PartnerCaseView {
  const { reference, createdAt, channel, lang, category, paid, amount, identifiers, urgency } = report;
  return { reference, createdAt, channel, lang, category, paid, ...(amount ? { amount } : {}), identifiers, urgency };
}

export async function partnerReferrals(deps: ConsoleServices, user: ConsoleUser): Promise<Referral[]> {
  const point = await focalPointOf(deps, user);
  return point ? deps.referrals.ofOrganisation(point.organisationId) : [];
}

const AUDIT_OF = { accept: 'referral_accepted', reject: 'referral_rejected', done: 'referral_done', revoke: 'referral_revoked' } as const;

/**
 * A partner's accept, reject or done on their own organisation's referral, or an officer's revoke. The referring
 * officer is told by SMS (in their language), and the outcome shows on the case.
 */
export async function respondToReferral(
  deps: ConsoleServices,
  user: ConsoleUser,
  reference: string,
  id: string,
  action: ReferralAction,
): Promise<ReferralOutcome> {
  const referral = await deps.referrals.get(reference, id);
  if (!referral) return { ok: false, problem: 'not_found' };
  let actor;
  if (action.name === 'revoke') {
    if (!can(user, 'cases.work')) return { ok: false, problem: 'forbidden' };
    actor = actorOf(user, await deps.escalation.officers.findByEmail(user.email));
  } else {
    const point = await focalPointOf(deps, user);
    if (!point || point.organisationId !== referral.organisationId) return { ok: false, problem: 'forbidden' };
    actor = actorOf(user);
  }
  const result = applyReferralAction(referral, action, actor, new Date(deps.now()));
  if (!result.ok) return { ok: false, problem: result.why };
  if (!(await deps.referrals.update(result.referral, referral.status))) return { ok: false, problem: 'wrong_status' };
  const detail: Record<string, string> = { referral: id, organisation: referral.organisationId };
  if (action.name === 'reject') detail.reason = action.reason.trim();
  if (action.name === 'done') detail.note = action.note.trim();
  await deps.escalation.escalations.audit(reference, new Date(deps.now()).toISOString(), AUDIT_OF[action.name], actor, detail);
  if (action.name !== 'revoke') await tellReferringOfficer(deps, result.referral);
  return { ok: true, referral: result.referral };
}

/** An officer's first language when the console has it, else Russian (every officer reads it). */
const officerConsoleLang = (officer: Parameters<typeof officerLanguage>[0]): ConsoleLang => {
  const lang = officerLanguage(officer);
  return isConsoleLang(lang) ? lang : 'ru';
};

async function tellReferringOfficer(deps: ConsoleServices, referral: Referral): Promise<void> {
  const officer = await deps.escalation.officers.get(referral.referredBy.key);
  if (!officer) return;
  const text = ct(officerConsoleLang(officer), `sms.referral.${referral.status}` as Parameters<typeof ct>[1], {
    reference: referral.reference,
    organisation: referral.organisationName,
  });
  await deps.outbox.send(officer.phone, text).catch((error: unknown) => deps.log.error('officer notice failed', { reference: referral.reference, error }));
}

/**
 * Reminds the partners of open referrals whose deadline is near or past, and the supervisors once it has passed.
 * Run every few minutes (locally by a timer, on AWS by a schedule); a reminder is sent at most twice per referral.
 */
export async function remindDueReferrals(deps: ConsoleServices): Promise<number> {
  const now = new Date(deps.now());
  const { organisations } = await deps.partners.directory();
  let reminded = 0;
  for (const organisation of organisations) {
    for (const referral of await deps.referrals.ofOrganisation(organisation.id)) {
      if (!needsReminder(referral, now)) continue;
      const next = { ...referral, remindedAt: now.toISOString() };
      if (!(await deps.referrals.update(next, referral.status))) continue;
      await notifyFocalPoints(deps, await deps.partners.focalPointsOf(organisation.id), referral, 'mail.reminder');
      const overdue = now.getTime() >= Date.parse(referral.deadline);
      if (overdue) {
        const rota = await deps.escalation.officers.list();
        for (const supervisor of rota.filter((o) => o.role === 'supervisor')) {
          await deps.outbox.send(supervisor.phone, ct(officerConsoleLang(supervisor), 'sms.referral.overdue', { reference: referral.reference, organisation: referral.organisationName }));
        }
      }
      await deps.escalation.escalations.audit(referral.reference, now.toISOString(), 'referral_reminder', undefined, { referral: referral.id, overdue });
      reminded++;
    }
  }
  return reminded;
}
