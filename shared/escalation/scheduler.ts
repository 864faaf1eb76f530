/**
 * The timer port of the escalation: "run the trigger for this step at this time". The handler decides from the
 * stored state, so a trigger that fires twice, late, or after an ACK changes nothing; adapters may therefore be
 * at-least-once. Locally: in-process timers (local-scheduler.ts). On AWS: EventBridge Scheduler one-off schedules
 * (eventbridge-scheduler.ts), backed by a sweeper every few minutes.
 */
import type { EscalationTrigger } from '../domain/escalation';

export interface EscalationScheduler {
  /** Arranges for `trigger` to be handled at `at` (ISO time) or soon after. Idempotent per (reference, step). */
  schedule(trigger: EscalationTrigger, at: string): Promise<void>;
}
