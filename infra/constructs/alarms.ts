import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Stats, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';

/**
 * The operators' alarms: an encrypted topic that only this stack's alarms may publish to, and the alarms on it.
 * CloudWatch cannot publish to a topic under the AWS-managed SNS key, so the topic has its own key whose policy
 * lets CloudWatch use it, for this stack's alarms only (named with the stack's prefix).
 */
export class OperatorAlarms {
  readonly topic: Topic;
  private readonly scope: Construct;
  private readonly namePrefix: string;
  private readonly action: SnsAction;

  constructor(scope: Construct, { email }: { email?: string }) {
    this.scope = scope;
    const stack = Stack.of(scope);
    const key = new Key(scope, 'AlarmTopicKey', {
      description: 'SafeJob Hotline: encryption at rest of the operator alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.topic = new Topic(scope, 'AlarmTopic', {
      displayName: 'SafeJob Hotline alarms',
      masterKey: key,
      enforceSSL: true,
    });
    if (email) this.topic.addSubscription(new EmailSubscription(email));
    this.namePrefix = `${stack.stackName}-`;
    const alarmArns = `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:${this.namePrefix}*`;
    const fromThisStacksAlarms = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': alarmArns },
    };
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromThisStacksAlarms,
      }),
    );
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudWatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromThisStacksAlarms,
      }),
    );
    this.action = new SnsAction(this.topic);
  }

  /**
   * An alarm to the operators: at or above `threshold` in one period; no data is not a breach unless
   * `missingDataBreaches` (a metric that something must keep putting, such as a heartbeat).
   */
  alarm(id: string, name: string, description: string, metric: IMetric, threshold = 1, missingDataBreaches = false): Alarm {
    const created = new Alarm(this.scope, id, {
      alarmName: `${this.namePrefix}${name}`,
      alarmDescription: description,
      metric,
      threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: missingDataBreaches ? TreatMissingData.BREACHING : TreatMissingData.NOT_BREACHING,
    });
    created.addAlarmAction(this.action);
    return created;
  }

  /**
   * A function's errors (an exception or a timeout, not an answered 4xx/5xx) and throttles alarm at once. Each is a
   * caller without an answer, an SMS not sent or a timer not run; Lambda retries the queue and scheduler
   * invocations, but an operator should still look.
   */
  watchFunction(name: string, fn: IFunction): void {
    this.alarm(
      `${fn.node.id}ErrorsAlarm`,
      `${name}-errors`,
      `The ${name} function failed (an uncaught error or a timeout): see its log group for "level":"error" lines and ` +
        'the REPORT lines with a Status other than success.',
      fn.metricErrors({ period: Duration.minutes(5), statistic: Stats.SUM }),
    );
    this.alarm(
      `${fn.node.id}ThrottlesAlarm`,
      `${name}-throttles`,
      `The ${name} function was throttled: the account's (or its reserved) concurrency is used up. Ask AWS for a ` +
        'higher Lambda concurrency quota, or look for a runaway caller in the API access logs.',
      fn.metricThrottles({ period: Duration.minutes(5), statistic: Stats.SUM }),
    );
  }
}
