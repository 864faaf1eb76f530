/**
 * The escalation function on AWS, invoked by EventBridge Scheduler: a one-off `{ reference, step }` when a step's
 * ACK timeout is due, and `{ sweep: true }` every few minutes to handle any overdue escalation whose trigger was
 * lost. It decides from the stored state, so a duplicate, late or raced trigger changes nothing. A thrown error
 * makes Lambda retry the invocation; the sweeper catches whatever still falls through.
 */
import type { Context } from 'aws-lambda';
import * as z from '../../shared/domain/zod';
import { escalationTriggerSchema } from '../../shared/domain/escalation';
import { escalationSection } from '../../shared/escalation/config';
import type { EscalationDeps } from '../../shared/escalation/deps';
import { eventBridgeScheduler } from '../../shared/escalation/eventbridge-scheduler';
import { handleEscalationTrigger, sweepOverdue } from '../../shared/escalation/service';
import { Outbox } from '../../shared/outbox/outbox';
import { SqsQueue } from '../../shared/outbox/sqs';
import { createDeps, escalationStores } from '../../shared/services-root';
import { lazyDeps } from '../../shared/runtime';

const eventSchema = z.union([escalationTriggerSchema, z.object({ sweep: z.literal(true) })]);
export type EscalationEvent = z.infer<typeof eventSchema>;

/** Built once per container. The function schedules its own next triggers: its ARN comes from the invocation. */
const getDeps = lazyDeps({ escalation: escalationSection }, (config, ownArn: string): EscalationDeps => {
  const { escalation } = config;
  if (!config.sms.outboxQueueUrl) throw new Error('OUTBOX_QUEUE_URL is required for the escalation function');
  const deps = createDeps(config);
  return {
    ...escalationStores(deps),
    outbox: new Outbox(deps.messages, new SqsQueue(config.sms.outboxQueueUrl), deps.callerKey),
    log: deps.log,
    callerKey: deps.callerKey,
    commandCode: deps.commandCode,
    recordingLinks: deps.recordingLinks,
    reports: deps.reports,
    escalation,
    scheduler: eventBridgeScheduler(escalation, escalation.scheduler.functionArn ?? ownArn),
    // Pages and timeouts never text a reporter: no number vault here.
    now: Date.now,
  };
});

/** The ARN without a version or alias qualifier: schedules target the function itself. */
export const unqualified = (arn: string) => arn.split(':').slice(0, 7).join(':');

export async function handler(event: unknown, context: Pick<Context, 'invokedFunctionArn'>): Promise<void> {
  const deps = await getDeps(unqualified(context.invokedFunctionArn));
  const parsed = eventSchema.safeParse(event);
  if (!parsed.success) {
    // Retrying cannot make it understandable: logged, not thrown.
    deps.log.error('escalation event not understood', { issues: parsed.error.issues.map((issue) => issue.message) });
    return;
  }
  if ('sweep' in parsed.data) await sweepOverdue(deps);
  else await handleEscalationTrigger(deps, parsed.data);
}
