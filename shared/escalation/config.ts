/**
 * The on-call escalation's variables, a section of the configuration (shared/config.ts): its fields go into
 * the environment object, its output under `config.escalation`. What only AWS needs (the scheduler's function,
 * role and group) is checked where it is used (eventbridge-scheduler.ts).
 */
import * as z from '../domain/zod';

/** Logged (as an error) when an escalation is left open: the stack's metric filter and alarm match it exactly. */
export const ESCALATION_EXHAUSTED_MESSAGE = 'escalation exhausted';

/** Seconds an officer has to ACK before the next level is paged. */
export const DEFAULT_ACK_TIMEOUT_SECONDS = 600;
/** How many times the whole chain is run again after its first pass before the escalation is left open. */
export const DEFAULT_REPEAT_COUNT = 2;

/** Escalations one reporter may start in any hour (docs/escalation.md). */
export const DEFAULT_ESCALATIONS_PER_REPORTER_PER_HOUR = 2;

/** The variables as they appear in the environment. */
export const escalationEnvShape = {
  /** Seconds an officer has to acknowledge a page before the next level is paged (EventBridge: 60 s precision). */
  ESCALATION_ACK_TIMEOUT_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(86_400)), DEFAULT_ACK_TIMEOUT_SECONDS),
  /** After the last level, the chain starts again from level 1 this many times; then the case stays open. */
  ESCALATION_REPEAT_COUNT: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(10)), DEFAULT_REPEAT_COUNT),
  /** Escalations one reporter may start in any hour; later urgent reports are listed to their case, not paged. */
  ESCALATIONS_PER_REPORTER_PER_HOUR: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), DEFAULT_ESCALATIONS_PER_REPORTER_PER_HOUR),
  /** Hours a CALL request waits for the voice bridge before it expires. */
  ESCALATION_CALL_REQUEST_HOURS: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(168)), 24),
  /** AWS: the function EventBridge Scheduler invokes (functions/escalation). Unset in that function itself. */
  ESCALATION_FUNCTION_ARN: z.optional(z.string().check(z.regex(/^arn:aws[\w-]*:lambda:/, 'a Lambda function ARN'))),
  /** AWS: the role EventBridge Scheduler assumes to invoke it. */
  ESCALATION_SCHEDULER_ROLE_ARN: z.optional(z.string().check(z.regex(/^arn:aws[\w-]*:iam::\d{12}:role\//, 'an IAM role ARN'))),
  /** AWS: the schedule group the one-off triggers are created in (the IAM policy is scoped to it). */
  ESCALATION_SCHEDULE_GROUP: z.optional(z.string().check(z.regex(/^[0-9a-zA-Z_.-]{1,64}$/, 'a schedule group name'))),
};

type EscalationEnv = z.output<z.ZodMiniObject<typeof escalationEnvShape>>;

export function toEscalationConfig(env: EscalationEnv) {
  return {
    ackTimeoutSeconds: env.ESCALATION_ACK_TIMEOUT_SECONDS,
    repeatCount: env.ESCALATION_REPEAT_COUNT,
    perReporterPerHour: env.ESCALATIONS_PER_REPORTER_PER_HOUR,
    callRequestHours: env.ESCALATION_CALL_REQUEST_HOURS,
    scheduler: {
      functionArn: env.ESCALATION_FUNCTION_ARN,
      roleArn: env.ESCALATION_SCHEDULER_ROLE_ARN,
      group: env.ESCALATION_SCHEDULE_GROUP,
    },
  };
}

/** Its section of the configuration (shared/config.ts `loadConfig`): read only by the functions that name it. */
export const escalationSection = { shape: escalationEnvShape, read: toEscalationConfig };

export type EscalationConfig = ReturnType<typeof toEscalationConfig>;
