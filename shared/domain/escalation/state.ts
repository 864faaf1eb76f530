/**
 * An escalation's stored state, its triggers, and the effects a transition asks the service to run.
 */
import * as z from '../zod';
import type { ReportStatus } from '../report';

export const ESCALATION_STATUSES = ['paging', 'acknowledged', 'exhausted', 'closed'] as const;

export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];

const personObject = () => z.object({ key: z.string().check(z.minLength(1)), name: z.string().check(z.minLength(1)) });
const personSchema = z.lazy(personObject);

export type Person = z.infer<typeof personSchema>;

const actSchema = z.lazy(() => z.extend(personObject(), { at: z.iso.datetime() }));

export const escalationStateSchema = z.lazy(() => z.object({
  reference: z.string().check(z.minLength(1)),
  status: z.enum(ESCALATION_STATUSES),
  /** Bumped by every write: the shell writes on condition that the stored version is the one it read. */
  version: z.number().check(z.int(), z.gte(1)),
  /** Bumped by every page; a scheduled trigger names the step it was scheduled for. 0: never paged. */
  step: z.number().check(z.int(), z.gte(0)),
  /** The pass through the chain, from 1 (0: never paged). */
  round: z.number().check(z.int(), z.gte(0)),
  /** The level paged at this step; null: the supervisors, because nobody was on duty (or never paged). */
  level: z.nullable(z.number().check(z.int(), z.gte(1))),
  /** Who was paged at this step. */
  paged: z.array(personSchema),
  /** Everyone paged so far, once each: told when someone takes the case. */
  notified: z.array(personSchema),
  /** When the current step times out (only while paging). */
  dueAt: z.optional(z.iso.datetime()),
  startedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  acknowledgedBy: z.optional(actSchema),
  closedBy: z.optional(actSchema),
  /** The body (REFERRAL_BODIES) the case was referred to. */
  referredTo: z.optional(z.string()),
}));

export type EscalationState = z.infer<typeof escalationStateSchema>;

export interface EscalationSettings {
  ackTimeoutSeconds: number;
  repeatCount: number;
  /** An officer's code for a case, printed in the pages they get (docs/security.md). */
  codeFor(officerKey: string, reference: string): string;
  /** A short-lived signed link to a report's recording (shared/recording-links.ts), for pages about voice reports. */
  recordingLinkFor?(reference: string): string;
}

/** What a scheduled trigger carries: the report and the step it was scheduled for. */
export const escalationTriggerSchema = z.lazy(() => z.object({ reference: z.string().check(z.minLength(1)), step: z.number().check(z.int(), z.gte(1)) }));

export type EscalationTrigger = z.infer<typeof escalationTriggerSchema>;

export const AUDIT_ACTIONS = [
  'paged',
  'exhausted',
  'ack',
  'done',
  'refer',
  'note',
  'info',
  'call_requested',
  'call_placed',
  'call_failed',
  'reporter_notified',
  'reporter_not_notified',
  'duty_on',
  'duty_off',
  'who',
  /** A command without its code: the officer was sent the command to send back. */
  'code_requested',
  /** A command with a wrong code. */
  'code_rejected',
  /** A command on a case that is not the officer's. */
  'denied',
  /** Another urgent report of the case's reporter, held by the hourly limit and listed here instead of paged. */
  'related_report',
  // The console (functions/console/): who looked, exported and changed what.
  'viewed',
  'exported',
  'reopen',
  /** A case handed to an officer (from the console): `to`, and `from` when someone held it. */
  'assigned',
  'reporter_messaged',
  'sharing_consent',
  'referral_created',
  'referral_accepted',
  'referral_rejected',
  'referral_done',
  'referral_revoked',
  'referral_reminder',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditDetail = Record<string, string | number | boolean | string[]>;

export type EscalationEffect =
  /** An SMS to an officer (the shell finds their number in the rota). */
  | { type: 'sms'; officerKey: string; text: string }
  /** A trigger for `step` at `at` (ISO time). */
  | { type: 'schedule'; trigger: EscalationTrigger; at: string }
  | { type: 'reportStatus'; status: ReportStatus; statusNote?: string; referredTo?: string }
  /** Tell the reporter by SMS, which the shell can do only through a consented, still kept call-back number. */
  | { type: 'notifyReporter'; event: 'acknowledged' | 'closed' }
  /** Nobody acknowledged after every round, or there was nobody to page: a person must look. */
  | { type: 'alert'; reason: 'exhausted' | 'nobody_to_page' }
  /** Ring the officer and bridge them to the reporter (shared/escalation/call-bridge.ts); the shell records the outcome. */
  | { type: 'bridgeCall'; officerKey: string }
  | { type: 'audit'; action: AuditAction; actor?: Person; detail?: AuditDetail };

export interface Transition {
  state: EscalationState;
  effects: EscalationEffect[];
}

/** A trigger that changes nothing: a late or repeated one, or one for an escalation that is no longer paging. */
export interface Ignored {
  ignored: 'not_paging' | 'stale_step' | 'early';
  /** For an early trigger: the trigger again, at the step's deadline. */
  effects: EscalationEffect[];
}
