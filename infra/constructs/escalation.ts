import { Duration, Stack } from 'aws-cdk-lib';
import { Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { CfnSchedule, CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { Construct } from 'constructs';
import { DEFAULT_ACK_TIMEOUT_SECONDS, DEFAULT_REPEAT_COUNT, ESCALATION_EXHAUSTED_MESSAGE } from '../../shared/escalation/config';
import type { OperatorAlarms } from './alarms';
import { BACKGROUND_MEMORY_MB, HotlineFunction } from './function';
import type { FunctionContext } from './function-context';
import { acknowledgeNag } from './nag';
import type { SmsOutbox } from './outbox';
import { TABLE_ACCESS } from './table-access';

/** Every alarm's metric name and the EMF namespace of the business metrics (shared/metrics.ts). */
export const ESCALATION_METRIC = { namespace: 'SafeJobHotline', metricName: 'EscalationsExhausted' } as const;

/** The escalation function: one step's state write, a few SMS into the outbox and one schedule, or a sweep. */
const ESCALATION_TIMEOUT = Duration.seconds(30);
/** How often the sweeper handles escalations whose one-off trigger was lost (a failed invocation past its retries). */
export const ESCALATION_SWEEP_RATE = 'rate(5 minutes)';

/**
 * The on-call escalation: one-off EventBridge Scheduler triggers and the function they invoke, the sweeper, and the
 * alarm on an escalation left open. Every step's ACK timeout is a one-off schedule in this group (created at run
 * time by whichever function pages: USSD, SMS, voice and the intake replay start escalations, the escalation
 * function moves them on); the IAM policies are scoped to it.
 */
export class OnCallEscalation {
  readonly function: HotlineFunction;
  private readonly scope: Construct;
  private readonly schedules: CfnScheduleGroup;
  private readonly schedulerRole: Role;
  private readonly timers: Record<string, string>;

  constructor(scope: Construct, { table, secrets, publicBaseUrl }: FunctionContext, outbox: SmsOutbox, alarms: OperatorAlarms) {
    this.scope = scope;
    const stack = Stack.of(scope);
    this.schedules = new CfnScheduleGroup(scope, 'EscalationSchedules');
    // The role EventBridge Scheduler assumes to invoke the escalation function, for schedules of this account only.
    this.schedulerRole = new Role(scope, 'EscalationSchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'SafeJob Hotline: lets EventBridge Scheduler invoke the escalation function, nothing else',
    });
    this.timers = {
      ESCALATION_ACK_TIMEOUT_SECONDS: String(DEFAULT_ACK_TIMEOUT_SECONDS),
      ESCALATION_REPEAT_COUNT: String(DEFAULT_REPEAT_COUNT),
      ESCALATION_SCHEDULER_ROLE_ARN: this.schedulerRole.roleArn,
      ESCALATION_SCHEDULE_GROUP: this.schedules.ref,
    };

    this.function = new HotlineFunction(scope, 'EscalationFunction', {
      description: 'SafeJob Hotline: on-call escalation timeouts (next level, repeat, left open) and the overdue sweep',
      entry: 'functions/escalation/index.ts',
      memorySize: BACKGROUND_MEMORY_MB,
      timeout: ESCALATION_TIMEOUT,
      publicBaseUrl,
      // Its own ARN comes from each invocation's context (an ARN in its own environment would be a cycle). No number
      // vault: pages and timeouts never text a reporter (functions/escalation/index.ts).
      environment: this.timers,
    })
      .bindTable(table, TABLE_ACCESS.EscalationFunction)
      .bindSecrets(secrets.generated);
    // Exactly the function, not its versions (`grantInvoke` would add `<arn>:*`).
    this.schedulerRole.addToPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.function.functionArn] }),
    );
    this.allowScheduling(this.function);
    outbox.bindSender(this.function);

    // The sweeper: every few minutes, whatever escalation is overdue is moved on (a lost or failed trigger).
    new CfnSchedule(scope, 'EscalationSweep', {
      groupName: this.schedules.ref,
      description: 'SafeJob Hotline: handles on-call escalations whose timeout trigger was lost',
      scheduleExpression: ESCALATION_SWEEP_RATE,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: this.function.functionArn,
        roleArn: this.schedulerRole.roleArn,
        input: JSON.stringify({ sweep: true }),
        retryPolicy: { maximumEventAgeInSeconds: 300, maximumRetryAttempts: 2 },
      },
    });

    this.watchForExhausted(this.function);
    alarms.alarm(
      'EscalationExhaustedAlarm',
      'escalation-exhausted',
      'An urgent report was not acknowledged by any officer after every round (or nobody was on the rota to page): ' +
        'it stays open. Find the reference in the logs ("escalation exhausted"), and page someone.',
      new Metric({ ...ESCALATION_METRIC, period: Duration.minutes(1), statistic: Stats.SUM }),
    );
  }

  /**
   * A function that starts escalations (an urgent report): the timers, where the escalation function is, leave to
   * create its one-off triggers, and its log watched for an escalation left open.
   */
  bindStarter(fn: HotlineFunction): void {
    fn.addEnvironment('ESCALATION_FUNCTION_ARN', this.function.functionArn);
    for (const [name, value] of Object.entries(this.timers)) fn.addEnvironment(name, value);
    this.allowScheduling(fn);
    this.watchForExhausted(fn);
  }

  /** Who pages officers may create the one-off triggers, handing EventBridge Scheduler only its own role. */
  private allowScheduling(fn: HotlineFunction): void {
    const stack = Stack.of(this.scope);
    const scheduleArns = `arn:${stack.partition}:scheduler:${stack.region}:${stack.account}:schedule/${this.schedules.ref}/*`;
    fn.addToRolePolicy(new PolicyStatement({ actions: ['scheduler:CreateSchedule'], resources: [scheduleArns] }));
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    acknowledgeNag(fn.role!, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/<${stack.getLogicalId(this.schedules)}>/*]`,
      'Each escalation step creates a one-off schedule named after its report and step (esc-<reference>-<step>) at ' +
        'run time, so the names cannot be listed in advance; the wildcard is limited to the escalation schedule ' +
        "group, and only CreateSchedule is allowed (schedules delete themselves once they have run).");
  }

  /**
   * An escalation left open (nobody acknowledged after every round, or nobody to page) alarms the operators. The
   * service logs one fixed message wherever it happens: the escalation function, or whichever function started the
   * escalation when a report finds nobody to page at all.
   */
  private watchForExhausted(fn: HotlineFunction): void {
    new MetricFilter(this.scope, `${fn.node.id}ExhaustedFilter`, {
      logGroup: fn.logGroup,
      filterPattern: FilterPattern.stringValue('$.message', '=', ESCALATION_EXHAUSTED_MESSAGE),
      metricNamespace: ESCALATION_METRIC.namespace,
      metricName: ESCALATION_METRIC.metricName,
      metricValue: '1',
    });
  }
}
