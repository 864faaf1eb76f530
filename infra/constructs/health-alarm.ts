import { Duration } from 'aws-cdk-lib';
import { Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../shared/metrics';
import type { OperatorAlarms } from './alarms';

export const DEEP_HEALTH_RATE_MINUTES = 5;

/**
 * The deep health check as an alarm: every 5 minutes a rule invokes the function that serves `GET /health/deep`
 * with `{ "healthCheck": "deep" }` (functions/ussd/health-probe.ts), which records `DeepHealthFailing`; the alarm
 * fires when a check fails, and when no check reported (missing data breaches: the probe itself stopped).
 */
export function watchDeepHealth(scope: Construct, healthFunction: IFunction, alarms: OperatorAlarms): void {
  new Rule(scope, 'DeepHealthSchedule', {
    description: 'SafeJob Hotline: runs the deep health check (store, registry, provider credentials)',
    schedule: Schedule.rate(Duration.minutes(DEEP_HEALTH_RATE_MINUTES)),
    targets: [new LambdaFunction(healthFunction, { event: RuleTargetInput.fromObject({ healthCheck: 'deep' }), retryAttempts: 0 })],
  });
  alarms.alarm(
    'DeepHealthAlarm',
    'deep-health',
    'The deep health check (GET /health/deep) failed or did not run: the store, the registry or a provider ' +
      'credential is missing. Open /health/deep (it names what is wrong) and the USSD function log for ' +
      '"deep health check failing".',
    new Metric({
      namespace: METRICS_NAMESPACE,
      metricName: 'DeepHealthFailing',
      dimensionsMap: { service: 'hotline', check: 'deep' },
      statistic: Stats.MAXIMUM,
      period: Duration.minutes(DEEP_HEALTH_RATE_MINUTES * 2),
    }),
    1,
    true,
  );
}
