/**
 * National referrals, after Primero's referral transition: a case is handed to a partner organisation for a named
 * service, only with the reporter's consent to sharing or a supervisor's recorded override; the partner accepts, or
 * rejects with a reason, then reports done with an outcome note that flows back to the referring officer; the
 * referring side may revoke it while it is open. Pure: the shell (shared/console/referrals.ts) stores and notifies.
 *
 *   in_progress → accepted → done
 *   in_progress → rejected
 *   in_progress | accepted → revoked
 */
import * as z from '../zod';
import { REFERRAL_BODIES } from '../officer';

export const REFERRAL_STATUSES = ['in_progress', 'accepted', 'rejected', 'done', 'revoked'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** What may be asked of a partner; each organisation lists the ones it offers. */
export const REFERRAL_SERVICES = ['investigation', 'account_blocking', 'legal_aid', 'return_assistance', 'consular_help', 'licence_check'] as const;
export type ReferralService = (typeof REFERRAL_SERVICES)[number];

export const REFERRAL_URGENCIES = ['urgent', 'normal'] as const;
/** Hours a partner has to answer, by urgency, unless the officer sets another deadline. */
export const DEFAULT_RESPONSE_HOURS = { urgent: 24, normal: 120 } as const;
/** Reminders go out this long before the deadline (and once more when it has passed). */
export const REMINDER_BEFORE_HOURS = 4;

const personSchema = z.lazy(() => z.object({ key: z.string().check(z.minLength(1)), name: z.string().check(z.minLength(1)) }));

export const partnerOrganisationSchema = z.lazy(() => z.object({
  id: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{1,40}$/, 'lower-case letters, digits and dashes')),
  name: z.string().check(z.minLength(1), z.maxLength(120)),
  /** Which of the SMS REFER bodies it is: an SMS `REFER … POLICE` and a console referral agree. */
  kind: z.enum(REFERRAL_BODIES),
  services: z.array(z.enum(REFERRAL_SERVICES)).check(z.minLength(1)),
}));
export type PartnerOrganisation = z.infer<typeof partnerOrganisationSchema>;

export const focalPointSchema = z.lazy(() => z.object({
  email: z.string().check(z.minLength(3)),
  name: z.string().check(z.minLength(1), z.maxLength(80)),
  organisationId: z.string().check(z.minLength(1)),
  /** For SMS notices (staff data, never logged). */
  phone: z.optional(z.string()),
}));
export type FocalPoint = z.infer<typeof focalPointSchema>;

export const sharingConsentSchema = z.lazy(() => z.object({
  reference: z.string().check(z.minLength(1)),
  given: z.boolean(),
  /** `reporter`: asked in the channel; `officer`: the reporter told an officer (e.g. on a call-back). */
  source: z.enum(['reporter', 'officer']),
  recordedBy: z.optional(personSchema),
  at: z.iso.datetime(),
}));
export type SharingConsent = z.infer<typeof sharingConsentSchema>;

export const referralSchema = z.lazy(() => z.object({
  id: z.string().check(z.minLength(1)),
  reference: z.string().check(z.minLength(1)),
  organisationId: z.string().check(z.minLength(1)),
  organisationName: z.string().check(z.minLength(1)),
  service: z.enum(REFERRAL_SERVICES),
  urgency: z.enum(REFERRAL_URGENCIES),
  /** When the partner must have answered (accepted or rejected). */
  deadline: z.iso.datetime(),
  status: z.enum(REFERRAL_STATUSES),
  /** What the officer tells the partner. */
  notes: z.optional(z.string().check(z.maxLength(1000))),
  /** Made on the reporter's consent, or by a supervisor's override with its reason. */
  consent: z.union([
    z.object({ basis: z.literal('reporter') }),
    z.object({ basis: z.literal('override'), reason: z.string().check(z.minLength(1), z.maxLength(500)), by: personSchema }),
  ]),
  referredBy: personSchema,
  createdAt: z.iso.datetime(),
  respondedAt: z.optional(z.iso.datetime()),
  respondedBy: z.optional(personSchema),
  rejectedReason: z.optional(z.string().check(z.maxLength(500))),
  /** The partner's outcome note: flows back to the referring officer. */
  outcomeNote: z.optional(z.string().check(z.maxLength(1000))),
  doneAt: z.optional(z.iso.datetime()),
  revokedAt: z.optional(z.iso.datetime()),
  /** When the last deadline reminder went out. */
  remindedAt: z.optional(z.iso.datetime()),
}));
export type Referral = z.infer<typeof referralSchema>;

export type ReferralAction =
  | { name: 'accept' }
  | { name: 'reject'; reason: string }
  | { name: 'done'; note: string }
  | { name: 'revoke' };

/** Which statuses each action may leave. */
const FROM: Record<ReferralAction['name'], readonly ReferralStatus[]> = {
  accept: ['in_progress'],
  reject: ['in_progress'],
  done: ['accepted'],
  revoke: ['in_progress', 'accepted'],
};

/** The referral after the action, or why it cannot be taken. */
export function applyReferralAction(
  referral: Referral,
  action: ReferralAction,
  actor: { key: string; name: string },
  now: Date,
): { ok: true; referral: Referral } | { ok: false; why: 'wrong_status' | 'empty_text' } {
  if (!FROM[action.name].includes(referral.status)) return { ok: false, why: 'wrong_status' };
  const at = now.toISOString();
  switch (action.name) {
    case 'accept':
      return { ok: true, referral: { ...referral, status: 'accepted', respondedAt: at, respondedBy: actor } };
    case 'reject': {
      const reason = action.reason.trim();
      if (!reason) return { ok: false, why: 'empty_text' };
      return { ok: true, referral: { ...referral, status: 'rejected', respondedAt: at, respondedBy: actor, rejectedReason: reason } };
    }
    case 'done': {
      const note = action.note.trim();
      if (!note) return { ok: false, why: 'empty_text' };
      return { ok: true, referral: { ...referral, status: 'done', doneAt: at, outcomeNote: note } };
    }
    case 'revoke':
      return { ok: true, referral: { ...referral, status: 'revoked', revokedAt: at } };
  }
}

/** Whether a referral may be made: the reporter's consent, or an override reason from someone who may override. */
export function referralBasis(
  consent: SharingConsent | undefined,
  override: { reason: string; by: { key: string; name: string }; allowed: boolean } | undefined,
): Referral['consent'] | { refused: 'no_consent' | 'override_not_allowed' } {
  if (consent?.given) return { basis: 'reporter' };
  if (!override || override.reason.trim() === '') return { refused: 'no_consent' };
  if (!override.allowed) return { refused: 'override_not_allowed' };
  return { basis: 'override', reason: override.reason.trim(), by: override.by };
}

/** Open referrals whose deadline is near or past and that were not reminded since it came near. */
export function needsReminder(referral: Referral, now: Date): boolean {
  if (referral.status !== 'in_progress') return false;
  const remindFrom = Date.parse(referral.deadline) - REMINDER_BEFORE_HOURS * 3600_000;
  if (now.getTime() < remindFrom) return false;
  const last = referral.remindedAt ? Date.parse(referral.remindedAt) : undefined;
  // One reminder when it comes near, one more once it has passed.
  if (last === undefined) return true;
  return last < Date.parse(referral.deadline) && now.getTime() >= Date.parse(referral.deadline);
}

/** The default deadline of a referral made now. */
export function defaultDeadline(urgency: (typeof REFERRAL_URGENCIES)[number], now: Date): string {
  return new Date(now.getTime() + DEFAULT_RESPONSE_HOURS[urgency] * 3600_000).toISOString();
}

/** What loading a partner directory file changes: by organisation id and focal point e-mail. */
export interface DirectoryDiff {
  added: string[];
  changed: string[];
  /** Stored but not in the file: kept, listed so that an administrator can see it. */
  missing: string[];
}
