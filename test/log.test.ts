/**
 * Structured logs (Powertools Logger underneath) with phone numbers redacted in every line, and the EMF business
 * metrics of shared/metrics.ts (lines built there, to the CloudWatch embedded metric format specification).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, powertoolsLoggerOf, redactPhoneNumbers } from '../shared/log';
import { createMetrics, METRICS_NAMESPACE } from '../shared/metrics';

const capture = () => {
  const lines: string[] = [];
  return { lines, log: createLogger('test', (line) => lines.push(line)), parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
};

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('createLogger', () => {
  it('writes one JSON object per line: level, service, message, time, then the fields', () => {
    const { log, parsed } = capture();
    log.info('ussd session ended', { sessionId: 'ATUid_1', hops: 3, nested: { ok: true } });
    log.warn('registry refresh failed', {});
    log.error('sms not handled', { provider: 'twilio' });
    const [info, warn, error] = parsed();
    expect(info).toMatchObject({ level: 'info', service: 'test', message: 'ussd session ended', sessionId: 'ATUid_1', hops: 3, nested: { ok: true } });
    expect(Date.parse(info!.time as string)).not.toBeNaN();
    expect(warn).toMatchObject({ level: 'warn', message: 'registry refresh failed' });
    expect(error).toMatchObject({ level: 'error', provider: 'twilio' });
  });

  it('masks every phone number to its last 4 digits, wherever it is in the line', () => {
    const { log, lines } = capture();
    log.error('could not text +992927001122', {
      to: '+992 92 700 11 22',
      local: '927001122',
      trunk: '8 92 700 1122',
      bracketed: '(992) 927-001-122',
      asNumber: 992927001122,
      list: ['+447700900123', { deeper: 'call 992927001199 now' }],
      error: new Error('Twilio refused +447700900124: not a mobile number'),
    });
    const line = lines[0]!;
    expect(line).not.toMatch(/\d{5,}/);
    const entry = JSON.parse(line) as Record<string, unknown>;
    expect(entry).toMatchObject({
      message: 'could not text ***1122',
      to: '***1122',
      local: '***1122',
      trunk: '***1122',
      bracketed: '***1122',
      asNumber: '***1122',
      list: ['***0123', { deeper: 'call ***1199 now' }],
      error: { name: 'Error', message: 'Twilio refused ***0124: not a mobile number' },
    });
  });

  it('keeps what is not a phone number: ids, hashes, ARNs, times, amounts, references', () => {
    const { log, parsed } = capture();
    const fields = {
      messageId: '550e8400-e29b-41d4-a716-446655440000',
      sid: 'SM0a1b2c3d4e5f60718293a4b5c6d7e8f9',
      callerKey: 'Zq3_4-k1234567890abcdefghijABCDEFGHIJ_-xyzw',
      arn: 'arn:aws:lambda:eu-west-2:123456789012:function:SafeJobHotline-UssdFunction',
      at: '2026-11-25T16:50:33.628Z',
      amount: 5000,
      reference: 'K7QX3M',
      durationInMillis: 12345678,
      ip: '192.0.2.10',
    };
    log.info('kept', fields);
    expect(parsed()[0]).toMatchObject(fields);
  });

  it('redacts text the same way on its own', () => {
    expect(redactPhoneNumbers('from +992927001122 and 992927001133, ref K7QX3M, 12345678')).toBe('from ***1122 and ***1133, ref K7QX3M, 12345678');
  });

  it('writes through console.log off Lambda when no writer is given', () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    createLogger('local').info('hello', { phone: '+992927001122' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', service: 'local', phone: '***1122' });
  });

  it('on Lambda writes straight to stdout/stderr (no runtime prefix) and adds the invocation to each line', () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'SafeJobHotline-UssdFunction');
    const written: string[] = [];
    // Errors and warnings go to stderr, the rest to stdout: both end up in the function's log group.
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      });
    }
    const consoleLog = vi.spyOn(console, 'log');
    const log = createLogger('hotline');
    powertoolsLoggerOf(log)?.addContext({
      functionName: 'SafeJobHotline-UssdFunction',
      awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-2:123456789012:function:SafeJobHotline-UssdFunction',
      memoryLimitInMB: '1024',
      functionVersion: '$LATEST',
      callbackWaitsForEmptyEventLoop: true,
      logGroupName: '/aws/lambda/x',
      logStreamName: 'x',
      getRemainingTimeInMillis: () => 1000,
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    });
    log.error('escalation exhausted', { reference: 'K7QX3M', officer: '+992900009101' });
    expect(consoleLog).not.toHaveBeenCalled();
    const line = written.join('').trim();
    const entry = JSON.parse(line) as Record<string, unknown>;
    // The stack's metric filter matches `$.message` exactly.
    expect(entry).toMatchObject({
      level: 'error',
      message: 'escalation exhausted',
      reference: 'K7QX3M',
      officer: '***9101',
      function_request_id: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
      function_name: 'SafeJobHotline-UssdFunction',
    });
  });
});

describe('createMetrics', () => {
  const emitted = () => {
    const lines: string[] = [];
    return { lines, metrics: createMetrics((line) => lines.push(line)), parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
  };
  /** 2026-12-01T09:30:00.250Z, in ms since the epoch: EMF's Timestamp. */
  const NOW = Date.UTC(2026, 11, 1, 9, 30, 0, 250);
  const atNow = () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  };
  afterEach(() => {
    vi.useRealTimers();
  });

  it('emits one EMF line per count, in the SafeJobHotline namespace, with its dimension', () => {
    atNow();
    const { metrics, lines } = emitted();
    metrics.countReport('ussd', true);
    metrics.countReport('sms', false);
    metrics.countVerification('licence');
    metrics.countSms('twilio', true);
    metrics.countSms('africastalking', false);
    metrics.recordDeepHealth(false);
    const emf = (dimension: string, names: string[]) =>
      `{"_aws":{"Timestamp":${NOW},"CloudWatchMetrics":[{"Namespace":"${METRICS_NAMESPACE}","Dimensions":[["service","${dimension}"]],` +
      `"Metrics":[${names.map((name) => `{"Name":"${name}","Unit":"Count"}`).join(',')}]}]},"service":"hotline"`;
    expect(lines).toEqual([
      `${emf('channel', ['Reports', 'UrgentReports'])},"channel":"ussd","Reports":1,"UrgentReports":1}`,
      `${emf('channel', ['Reports'])},"channel":"sms","Reports":1}`,
      `${emf('kind', ['Verifications'])},"kind":"licence","Verifications":1}`,
      `${emf('provider', ['SmsSent'])},"provider":"twilio","SmsSent":1}`,
      `${emf('provider', ['SmsFailed'])},"provider":"africastalking","SmsFailed":1}`,
      // The deep health check's heartbeat: 0 when it passes, so the alarm sees data either way.
      `${emf('check', ['DeepHealthFailing'])},"check":"deep","DeepHealthFailing":0}`,
    ]);
  });

  it('writes each line as a valid EMF document: every dimension a string member, every metric a number member', () => {
    const { metrics, parsed } = emitted();
    metrics.countReport('voice', true);
    metrics.countVerification('card');
    metrics.countSms('local', false);
    metrics.recordDeepHealth(true);
    const documents = parsed();
    expect(documents).toHaveLength(4);
    for (const document of documents) {
      const { _aws: metadata, ...members } = document as { _aws: { Timestamp: unknown; CloudWatchMetrics: unknown } } & Record<string, unknown>;
      expect(Object.keys(metadata).sort()).toEqual(['CloudWatchMetrics', 'Timestamp']);
      expect(Number.isInteger(metadata.Timestamp) && (metadata.Timestamp as number) > Date.UTC(2026, 0, 1)).toBe(true);
      const directives = metadata.CloudWatchMetrics as { Namespace: unknown; Dimensions: unknown[][]; Metrics: { Name: unknown; Unit: unknown }[] }[];
      expect(directives).toHaveLength(1);
      for (const directive of directives) {
        expect(Object.keys(directive).sort()).toEqual(['Dimensions', 'Metrics', 'Namespace']);
        expect(directive.Namespace).toBe(METRICS_NAMESPACE);
        expect(directive.Dimensions.length).toBeGreaterThan(0);
        for (const dimension of directive.Dimensions.flat()) {
          expect(typeof dimension).toBe('string');
          expect(typeof members[dimension as string]).toBe('string');
          expect(members[dimension as string]).not.toBe('');
        }
        expect(directive.Metrics.length).toBeGreaterThan(0);
        for (const metric of directive.Metrics) {
          expect(Object.keys(metric).sort()).toEqual(['Name', 'Unit']);
          expect(metric.Unit).toBe('Count');
          expect(Number.isFinite(members[metric.Name as string])).toBe(true);
        }
      }
    }
  });

  it('emits nothing off Lambda, and on Lambda writes to stdout', () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    createMetrics().countReport('voice', true);
    expect(written).toEqual([]);
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'SafeJobHotline-VoiceFunction');
    createMetrics().countReport('voice', true);
    expect(written).toHaveLength(1);
    expect(JSON.parse(written[0]!)).toMatchObject({ channel: 'voice', UrgentReports: 1 });
  });

  it('never throws into what it counts', () => {
    const metrics = createMetrics(() => {
      throw new Error('stdout closed');
    });
    expect(() => metrics.countSms('twilio', false)).not.toThrow();
  });

  it('after a line it could not write, writes the next one with only its own count', () => {
    let fail = true;
    const lines: string[] = [];
    const metrics = createMetrics((line) => {
      if (fail) throw new Error('stdout closed');
      lines.push(line);
    });
    metrics.countSms('twilio', false);
    fail = false;
    metrics.countVerification('card');
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ kind: 'card', Verifications: 1 }),
    ]);
    expect(JSON.parse(lines[0]!)).not.toHaveProperty('SmsFailed');
    expect(JSON.parse(lines[0]!)).not.toHaveProperty('provider');
  });
});
