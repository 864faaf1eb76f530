/**
 * The hotline's business metrics, as CloudWatch Embedded Metric Format (EMF) lines built by the AWS Lambda
 * Powertools Metrics utility: on Lambda each count is one JSON line on stdout, which CloudWatch Logs turns into a
 * metric in the `SafeJobHotline` namespace without an API call (nothing to flush at the end of an invocation, no
 * PutMetricData permission). Locally (no AWS_LAMBDA_FUNCTION_NAME) they are not emitted at all.
 *
 * | metric          | dimensions          | counted when                                                        |
 * | --------------- | ------------------- | ------------------------------------------------------------------- |
 * | Reports         | service, channel    | a report is stored for the first time (not a retry of the same one) |
 * | UrgentReports   | service, channel    | ... and it is urgent (its escalation starts)                        |
 * | Verifications   | service, kind       | a caller checks an agency, licence, number or card                  |
 * | SmsSent         | service, provider   | a provider accepted an outbound SMS                                 |
 * | SmsFailed       | service, provider   | a provider refused one, or could not be reached (one per attempt)   |
 * | DeepHealthFailing | service, check    | every scheduled deep health check: 1 when it fails, 0 when it passes (the alarm's heartbeat) |
 *
 * `service` is always `hotline`, so each metric sums across functions; each has one small set of dimension values.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { runsOnLambda, type SmsProviderName } from './config';

export const METRICS_NAMESPACE = 'SafeJobHotline';
const SERVICE = 'hotline';

export type MetricName = 'Reports' | 'UrgentReports' | 'Verifications' | 'SmsSent' | 'SmsFailed' | 'DeepHealthFailing';

export interface HotlineMetrics {
  /** A report stored for the first time, from `channel` (ussd, sms, voice); `urgent` counts it as urgent too. */
  countReport(channel: string, urgent: boolean): void;
  /** A verification answered: `kind` is what was checked (agency, licence, phone, card...), a small fixed set. */
  countVerification(kind: string): void;
  /** One provider's answer to one sending attempt. */
  countSms(provider: SmsProviderName | 'local', ok: boolean): void;
  /** A scheduled deep health check's outcome (`GET /health/deep`): the operators' alarm watches it. */
  recordDeepHealth(failing: boolean): void;
}

/**
 * Metrics written to `write`, one EMF line per count. Without `write`: on Lambda to stdout, elsewhere nowhere.
 */
export function createMetrics(write?: (line: string) => void): HotlineMetrics {
  const sink = write ?? (runsOnLambda() ? (line: string) => void process.stdout.write(`${line}\n`) : undefined);
  if (!sink) return { countReport() {}, countVerification() {}, countSms() {}, recordDeepHealth() {} };

  // One Powertools Metrics per process, made at the first count: each one makes a Console of its own (1.2 ms the
  // first time, then ~50 µs a count), which this module never writes to.
  let store: Metrics | undefined;
  const emit = (dimension: [string, string], names: MetricName[], value = 1) => {
    const metrics = (store ??= new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE }));
    try {
      metrics.addDimension(...dimension);
      for (const name of names) metrics.addMetric(name, MetricUnit.Count, value);
      sink(JSON.stringify(metrics.serializeMetrics()));
    } finally {
      // Each line carries its own count and dimension only, written or not.
      metrics.clearMetrics();
      metrics.clearDimensions();
    }
  };
  // A metric must never break what it counts.
  const safely = (count: () => void) => {
    try {
      count();
    } catch {
      // Nothing to do: the event itself is logged by its caller.
    }
  };
  return {
    countReport: (channel, urgent) => safely(() => emit(['channel', channel], urgent ? ['Reports', 'UrgentReports'] : ['Reports'])),
    countVerification: (kind) => safely(() => emit(['kind', kind], ['Verifications'])),
    countSms: (provider, ok) => safely(() => emit(['provider', provider], [ok ? 'SmsSent' : 'SmsFailed'])),
    recordDeepHealth: (failing) => safely(() => emit(['check', 'deep'], ['DeepHealthFailing'], failing ? 1 : 0)),
  };
}

/** The process's metrics (see createMetrics): what the shells and shared code call. */
export const metrics: HotlineMetrics = createMetrics();
