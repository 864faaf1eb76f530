/**
 * The hotline's business metrics, as CloudWatch Embedded Metric Format (EMF) lines: on Lambda each count is one JSON
 * line on stdout, which CloudWatch Logs turns into a metric in the `SafeJobHotline` namespace without an API call
 * (nothing to flush at the end of an invocation, no PutMetricData permission). Locally (no AWS_LAMBDA_FUNCTION_NAME)
 * they are not emitted at all. The line is built here rather than by Powertools Metrics: one fixed shape per count
 * needs none of its buffering or validation, which cost every bundle 11 KB and the first count a Console of its own
 * (docs/decisions.md).
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
 * One EMF document: `_aws` holds the time (ms since the epoch) and one metric directive naming the namespace, one
 * dimension set (`service` and `dimension`'s name) and each metric with its unit; the dimensions' values (strings) and
 * the metrics' values (numbers) are members of the root, as the specification requires.
 */
function emfLine(dimension: readonly [name: string, value: string], names: readonly MetricName[], value: number, timestamp: number): string {
  const [dimensionName, dimensionValue] = dimension;
  const line: Record<string, unknown> = {
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        { Namespace: METRICS_NAMESPACE, Dimensions: [['service', dimensionName]], Metrics: names.map((Name) => ({ Name, Unit: 'Count' })) },
      ],
    },
    service: SERVICE,
    [dimensionName]: dimensionValue,
  };
  for (const name of names) line[name] = value;
  return JSON.stringify(line);
}

/**
 * Metrics written to `write`, one EMF line per count. Without `write`: on Lambda to stdout, elsewhere nowhere.
 */
export function createMetrics(write?: (line: string) => void): HotlineMetrics {
  const sink = write ?? (runsOnLambda() ? (line: string) => void process.stdout.write(`${line}\n`) : undefined);
  if (!sink) return { countReport() {}, countVerification() {}, countSms() {}, recordDeepHealth() {} };

  const emit = (dimension: [string, string], names: MetricName[], value = 1) => {
    // A metric must never break what it counts.
    try {
      sink(emfLine(dimension, names, value, Date.now()));
    } catch {
      // Nothing to do: the event itself is logged by its caller.
    }
  };
  return {
    countReport: (channel, urgent) => emit(['channel', channel], urgent ? ['Reports', 'UrgentReports'] : ['Reports']),
    countVerification: (kind) => emit(['kind', kind], ['Verifications']),
    countSms: (provider, ok) => emit(['provider', provider], [ok ? 'SmsSent' : 'SmsFailed']),
    recordDeepHealth: (failing) => emit(['check', 'deep'], ['DeepHealthFailing'], failing ? 1 : 0),
  };
}

/** The process's metrics (see createMetrics): what the shells and shared code call. */
export const metrics: HotlineMetrics = createMetrics();
