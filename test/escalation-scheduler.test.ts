/**
 * The timer adapters and the escalation's configuration: EventBridge Scheduler requests (with a stand-in client),
 * the local timers, and the Lambda entry point's reading of its events.
 */
import { ConflictException, CreateScheduleCommand } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as handle, unqualified } from '../functions/escalation/index';
import { loadWholeConfig } from '../shared/config-sections';
import { atExpression, EventBridgeEscalationScheduler, eventBridgeScheduler, scheduleName } from '../shared/escalation/eventbridge-scheduler';
import { LocalEscalationScheduler } from '../shared/escalation/local-scheduler';
import { startTestStore, type TestStore } from './support/dynalite';
import { withTableAccessChecked } from './support/partition-keys';

const NOW = Date.parse('2026-11-25T08:00:00.000Z');

describe('the escalation configuration', () => {
  it('defaults to a 600 s ACK timeout, two repeats and two escalations per reporter an hour, and reads the scheduler variables', () => {
    expect(loadWholeConfig({}).escalation).toEqual({
      ackTimeoutSeconds: 600,
      repeatCount: 2,
      perReporterPerHour: 2,
      callRequestHours: 24,
      scheduler: { functionArn: undefined, roleArn: undefined, group: undefined },
    });
    expect(loadWholeConfig({ ESCALATION_ACK_TIMEOUT_SECONDS: '30', ESCALATION_REPEAT_COUNT: '0', ESCALATIONS_PER_REPORTER_PER_HOUR: '5' }).escalation).toMatchObject({
      ackTimeoutSeconds: 30,
      repeatCount: 0,
      perReporterPerHour: 5,
    });
    expect(() => loadWholeConfig({ ESCALATIONS_PER_REPORTER_PER_HOUR: '0' })).toThrow(/ESCALATIONS_PER_REPORTER_PER_HOUR/);
  });

  it('names every wrong variable, and the EventBridge timers want their function, role and group', () => {
    expect(() => loadWholeConfig({ ESCALATION_ACK_TIMEOUT_SECONDS: '0', ESCALATION_REPEAT_COUNT: 'x' })).toThrow(
      /ESCALATION_ACK_TIMEOUT_SECONDS[\s\S]*ESCALATION_REPEAT_COUNT/,
    );
    expect(() => eventBridgeScheduler(loadWholeConfig({}).escalation)).toThrow(
      'EventBridge escalation timers need ESCALATION_FUNCTION_ARN, ESCALATION_SCHEDULER_ROLE_ARN and ESCALATION_SCHEDULE_GROUP',
    );
  });
});

describe('EventBridgeEscalationScheduler', () => {
  const options = {
    functionArn: 'arn:aws:lambda:eu-west-2:123456789012:function:escalation',
    roleArn: 'arn:aws:iam::123456789012:role/scheduler',
    group: 'escalations',
  };

  it('creates one named one-off schedule per step that invokes the function with the trigger and deletes itself', async () => {
    const send = vi.fn(async (_command: CreateScheduleCommand) => ({}));
    const scheduler = new EventBridgeEscalationScheduler({ ...options, client: { send } as never, now: () => NOW });
    await scheduler.schedule({ reference: '7K3R9M', step: 2 }, '2026-11-25T08:10:00.250Z');
    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0]![0].input).toEqual({
      Name: 'esc-7K3R9M-2',
      GroupName: 'escalations',
      ScheduleExpression: 'at(2026-11-25T08:10:01)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Description: 'SafeJob Hotline: escalation 7K3R9M step 2',
      Target: {
        Arn: options.functionArn,
        RoleArn: options.roleArn,
        Input: '{"reference":"7K3R9M","step":2}',
        RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 20 },
      },
    });
  });

  it('treats the same step scheduled twice as done, and passes other errors on', async () => {
    const conflict = new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} });
    const scheduler = new EventBridgeEscalationScheduler({ ...options, client: { send: async () => Promise.reject(conflict) } as never });
    await expect(scheduler.schedule({ reference: '7K3R9M', step: 1 }, '2026-11-25T08:10:00Z')).resolves.toBeUndefined();
    const failing = new EventBridgeEscalationScheduler({ ...options, client: { send: async () => Promise.reject(new Error('throttled')) } as never });
    await expect(failing.schedule({ reference: '7K3R9M', step: 1 }, '2026-11-25T08:10:00Z')).rejects.toThrow('throttled');
  });

  it('never schedules in the past or within the next minute', () => {
    expect(atExpression('2026-11-25T07:00:00.000Z', NOW)).toBe('at(2026-11-25T08:01:00)');
    expect(atExpression('2026-11-25T08:00:30.000Z', NOW)).toBe('at(2026-11-25T08:01:00)');
    expect(scheduleName({ reference: 'ABCDEF', step: 12 })).toMatch(/^[0-9a-zA-Z_.-]{1,64}$/);
  });

  it('is built from the configuration, and refuses to be built without it', () => {
    const { escalation: config } = loadWholeConfig({
      ESCALATION_SCHEDULER_ROLE_ARN: options.roleArn,
      ESCALATION_SCHEDULE_GROUP: options.group,
    });
    expect(() => eventBridgeScheduler(config)).toThrow(/ESCALATION_FUNCTION_ARN/);
    expect(eventBridgeScheduler(config, options.functionArn)).toBeInstanceOf(EventBridgeEscalationScheduler);
    expect(unqualified(`${options.functionArn}:live`)).toBe(options.functionArn);
    expect(unqualified(options.functionArn)).toBe(options.functionArn);
  });
});

describe('LocalEscalationScheduler', () => {
  it('fires each trigger at its time, once per step, and retries a failed one', async () => {
    const fired: string[] = [];
    let failures = 1;
    const scheduler = new LocalEscalationScheduler({ retryMs: 80 });
    scheduler.attach(async (trigger) => {
      if (trigger.reference === 'FAIL22' && failures-- > 0) throw new Error('store down');
      fired.push(`${trigger.reference}#${trigger.step}`);
    });
    const soon = (ms: number) => new Date(Date.now() + ms).toISOString();
    await scheduler.schedule({ reference: 'BBBBBB', step: 1 }, soon(40));
    await scheduler.schedule({ reference: 'AAAAAA', step: 1 }, soon(10));
    // Scheduling the same step again replaces its timer: it fires once.
    await scheduler.schedule({ reference: 'AAAAAA', step: 1 }, soon(15));
    await scheduler.schedule({ reference: 'FAIL22', step: 3 }, soon(0));
    expect(scheduler.pending().map((p) => p.trigger.reference)).toEqual(['FAIL22', 'AAAAAA', 'BBBBBB']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await scheduler.drain();
    expect(fired).toEqual(['AAAAAA#1', 'BBBBBB#1', 'FAIL22#3']);
    await scheduler.stop();
  });

  it('stops: pending timers are cleared and later requests are dropped', async () => {
    const fired: string[] = [];
    const scheduler = new LocalEscalationScheduler();
    scheduler.attach(async (trigger) => void fired.push(trigger.reference));
    await scheduler.schedule({ reference: 'AAAAAA', step: 1 }, new Date(Date.now() + 20).toISOString());
    await scheduler.stop();
    await scheduler.schedule({ reference: 'BBBBBB', step: 1 }, new Date().toISOString());
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fired).toEqual([]);
    expect(scheduler.pending()).toEqual([]);
  });
});

describe('functions/escalation handler', () => {
  let store: TestStore;
  const lines: string[] = [];
  beforeAll(async () => {
    store = await startTestStore('escalation-lambda');
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', store.endpoint);
    vi.stubEnv('TABLE_NAME', store.tableName);
    vi.stubEnv('OUTBOX_QUEUE_URL', 'https://sqs.eu-west-2.amazonaws.com/123456789012/outbox');
    vi.stubEnv('ESCALATION_SCHEDULER_ROLE_ARN', 'arn:aws:iam::123456789012:role/scheduler');
    vi.stubEnv('ESCALATION_SCHEDULE_GROUP', 'escalations');
    vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    await store.close();
  });
  const context = { invokedFunctionArn: 'arn:aws:lambda:eu-west-2:123456789012:function:escalation' };

  it('handles a trigger and a sweep from the stored state, and logs an event it cannot read without retrying it', async () => {
    // Every table item it touches is one its grant allows (infra/constructs/table-access.ts).
    const handler = withTableAccessChecked(store, 'EscalationFunction', handle);
    await expect(handler({ reference: 'ZZZZZZ', step: 1 }, context)).resolves.toBeUndefined();
    expect(lines.some((line) => line.includes('"escalation trigger for nothing"'))).toBe(true);
    await expect(handler({ sweep: true }, context)).resolves.toBeUndefined();
    await expect(handler({ hello: 'world' }, context)).resolves.toBeUndefined();
    expect(lines.some((line) => line.includes('"escalation event not understood"'))).toBe(true);
    expect(handler.keysSeen()).toBeGreaterThan(0);
  });
});
