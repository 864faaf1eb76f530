/**
 * On-call escalation as a pure state machine (docs/escalation.md; anchors PagerDuty, Grafana OnCall, GoAlert). No I/O
 * and no clock: every function takes the stored state, the report, the rota and `now`, and returns the next state
 * with the effects the shell (shared/escalation/service.ts) runs: SMS to officers, a scheduled trigger, the
 * report's new status, a reporter notification, an alert, an audit record.
 *
 * The chain: level 1's officers on duty are paged; if none of them acknowledges within the timeout, the next level
 * with someone on duty is paged (and those paged before are told it moved on); after the last level the chain
 * starts again, `repeatCount` times, and then the escalation stays open ('exhausted') with an alert. Levels with
 * nobody on duty are skipped; when nobody at all is on duty the supervisors are paged, on duty or not.
 *
 * Races: every trigger carries the `step` it was scheduled for, and a trigger for any other step (late, repeated)
 * changes nothing; the shell writes every new state conditionally on the `version` it read, so an ACK and a
 * timeout that race cannot both win.
 */
export {
  OFFICER_ROLES,
  rotaOfficerObject,
  officerLanguage,
  chainOf,
  onDutyByLevel,
  type OfficerRole,
  type RotaOfficer,
  type ChainStep,
} from './rota';
export {
  ESCALATION_STATUSES,
  escalationStateSchema,
  escalationTriggerSchema,
  AUDIT_ACTIONS,
  type EscalationStatus,
  type Person,
  type EscalationState,
  type EscalationSettings,
  type EscalationTrigger,
  type AuditAction,
  type AuditDetail,
  type EscalationEffect,
  type Transition,
  type Ignored,
} from './state';
export { campaignText, formatAmount, identifierLabel, reasonsText, pageText, recordingText } from './page-texts';
export { start, onTimeout, changed, repage } from './paging';
export { onAck, onAssign, onDone, onRefer, onCall, onReopen, type TakeOutcome, type CallOutcome } from './officer-actions';
export { escalates, heldForReporterLimit, heldReportEffects } from './reporter-limit';
