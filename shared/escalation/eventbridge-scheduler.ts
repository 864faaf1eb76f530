/**
 * The escalation timers on AWS: one EventBridge Scheduler one-off schedule per step, `at(...)` the step's
 * deadline, invoking functions/escalation with `{ reference, step }`, deleted by the service once it has run.
 *
 * Why EventBridge Scheduler rather than an SQS delay queue: an SQS delay is at most 15 minutes, so a timeout set
 * longer than that (ESCALATION_ACK_TIMEOUT_SECONDS is configurable up to a day) would need re-queueing chains;
 * a schedule takes any deadline, is named (so scheduling the same step twice is one schedule: idempotent), and
 * cleans itself up. Its precision is 60 s (a trigger fires up to a minute after its time), which an ACK timeout
 * of minutes does not notice. A trigger lost anyway (a failed invocation past its retries) is picked up by the
 * sweeper, a recurring schedule that handles every overdue escalation (service.ts `sweepOverdue`).
 */
import { ConflictException, CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import type { EscalationTrigger } from '../domain/escalation';
import type { EscalationConfig } from './config';
import type { EscalationScheduler } from '../ports';

/** A schedule must lie in the future when it is created: one less than this ahead is moved to this ahead. */
export const MIN_LEAD_MS = 60_000;

export interface EventBridgeSchedulerOptions {
  /** The escalation function's ARN (the target). */
  functionArn: string;
  /** The role EventBridge Scheduler assumes to invoke it. */
  roleArn: string;
  group: string;
  client?: Pick<SchedulerClient, 'send'>;
  now?: () => number;
}

/** `esc-<reference>-<step>`: one schedule per step, so a repeated request is a ConflictException, not a second one. */
export const scheduleName = (trigger: EscalationTrigger) => `esc-${trigger.reference}-${trigger.step}`;

/** `at(2026-11-25T12:34:56)` in UTC, rounded up to the second, at least MIN_LEAD_MS from now. */
export function atExpression(at: string, nowMs: number): string {
  const when = Math.max(Math.ceil(Date.parse(at) / 1000) * 1000, nowMs + MIN_LEAD_MS);
  return `at(${new Date(when).toISOString().slice(0, 19)})`;
}

export class EventBridgeEscalationScheduler implements EscalationScheduler {
  private readonly client: Pick<SchedulerClient, 'send'>;
  private readonly now: () => number;

  constructor(private readonly options: EventBridgeSchedulerOptions) {
    this.client = options.client ?? new SchedulerClient({});
    this.now = options.now ?? Date.now;
  }

  async schedule(trigger: EscalationTrigger, at: string): Promise<void> {
    try {
      await this.client.send(
        new CreateScheduleCommand({
          Name: scheduleName(trigger),
          GroupName: this.options.group,
          ScheduleExpression: atExpression(at, this.now()),
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Description: `SafeJob Hotline: escalation ${trigger.reference} step ${trigger.step}`,
          Target: {
            Arn: this.options.functionArn,
            RoleArn: this.options.roleArn,
            Input: JSON.stringify(trigger),
            // Past this, the sweeper has long since handled it.
            RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 20 },
          },
        }),
      );
    } catch (error) {
      // The same step scheduled again (a retried start, a re-armed trigger): the first schedule stands.
      if (error instanceof ConflictException) return;
      throw error;
    }
  }
}

/** The scheduler from the configuration; `functionArn` overrides it (the escalation function's own ARN). */
export function eventBridgeScheduler(config: EscalationConfig, functionArn = config.scheduler.functionArn): EventBridgeEscalationScheduler {
  const { roleArn, group } = config.scheduler;
  if (!functionArn || !roleArn || !group) {
    throw new Error('EventBridge escalation timers need ESCALATION_FUNCTION_ARN, ESCALATION_SCHEDULER_ROLE_ARN and ESCALATION_SCHEDULE_GROUP');
  }
  return new EventBridgeEscalationScheduler({ functionArn, roleArn, group });
}
