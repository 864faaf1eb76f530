/**
 * Structured JSON logs, one line per event, through the AWS Lambda Powertools Logger (on Lambda it adds the request
 * id, cold start and trace id of the invocation it runs in, and writes straight to stdout, so CloudWatch metric
 * filters such as `{ $.message = "escalation exhausted" }` see a plain JSON object).
 *
 * Callers pass only what may be logged: never a raw phone number or a report's free text (use the keyed phone
 * hash). As a safety net every line is redacted before it is written: any string that looks like a phone number
 * (a `+` and 7 or more digits, or a run of 9 or more digits, spaces, dots, dashes and brackets allowed between
 * them), and any integer of 9 to 15 digits, is masked to its last 4 digits (`***1122`), wherever it is in the line:
 * a field, a nested object, an error's message or stack.
 */
import { Logger as PowertoolsLogger, LogFormatter, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { runsOnLambda } from './config';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** `+992 92 700 11 22`, `+992927001122`, `(992) 927-001-122`, `992927001122`: a `+` then 7+ digits, or 9+ digits. */
const PHONE_LIKE = /(?<![\w+])(?:\+\d(?:[\s().-]{0,2}\d){6,}|\(?\d(?:[\s().-]{0,2}\d){8,})(?!\w)/g;
/** ARNs hold account ids (12 digits); request and message ids are UUIDs: neither is a phone number. */
const NOT_A_PHONE = /arn:aws[\w-]*:[^\s"',]*|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
/** Powertools' own fields: ids and times, never caller data. */
const STRUCTURAL_KEYS = new Set(['time', 'timestamp', 'function_arn', 'function_request_id', 'xray_trace_id']);

/** Masks what looks like a phone number to its last 4 digits. */
export function redactPhoneNumbers(text: string): string {
  // Set aside what must stay (ARNs, UUIDs), mask the rest, put them back.
  const kept: string[] = [];
  const masked = text
    .replace(NOT_A_PHONE, (match) => `\u0000${kept.push(match) - 1}\u0000`)
    .replace(PHONE_LIKE, (match) => `***${match.replace(/\D/g, '').slice(-4)}`);
  return kept.length === 0 ? masked : masked.replace(/\u0000(\d+)\u0000/g, (_, index: string) => kept[Number(index)]!);
}

function redactingReplacer(key: string, value: unknown): unknown {
  if (STRUCTURAL_KEYS.has(key)) return value;
  if (typeof value === 'string') return redactPhoneNumbers(value);
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) >= 1e8 && Math.abs(value) < 1e15) {
    return `***${String(Math.abs(value)).slice(-4)}`;
  }
  // An error's message and stack are redacted too: Powertools formats it into an object whose strings come back
  // through this replacer.
  return value;
}

/**
 * The hotline's line format (kept from before Powertools, so log queries and tests keep working): `level` in lower
 * case, `service`, `message`, `time`, then the invocation's fields on Lambda, then the caller's fields.
 */
class HotlineLogFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const context = attributes.lambdaContext;
    const base: LogAttributes = {
      level: attributes.logLevel.toLowerCase(),
      service: attributes.serviceName,
      message: attributes.message,
      time: this.formatTimestamp(attributes.timestamp),
    };
    if (context) {
      Object.assign(base, {
        cold_start: context.coldStart,
        function_name: context.functionName,
        function_request_id: context.awsRequestId,
      });
    }
    if (attributes.xRayTraceId) base.xray_trace_id = attributes.xRayTraceId;
    return new LogItem({ attributes: base }).addAttributes(additional);
  }

  /** Name and message, and on Lambda the stack (source-mapped there); no `location` guessed from the stack. */
  override formatError(error: Error): LogAttributes {
    return {
      name: error.name,
      message: error.message,
      ...(runsOnLambda() && error.stack ? { stack: error.stack } : {}),
      ...(error.cause !== undefined ? { cause: error.cause instanceof Error ? this.formatError(error.cause) : error.cause } : {}),
    };
  }
}

/** Powertools' Logger, writing each finished line to `write` when one is given (tests, the local hotline). */
class HotlinePowertoolsLogger extends PowertoolsLogger {
  #write: ((line: string) => void) | undefined;

  constructor(service: string, write: ((line: string) => void) | undefined) {
    super({ serviceName: service, logFormatter: new HotlineLogFormatter(), jsonReplacerFn: redactingReplacer });
    this.#write = write;
  }

  protected override printLog(logLevel: number, log: LogItem): void {
    if (!this.#write) return super.printLog(logLevel, log);
    log.prepareForPrint();
    this.#write(JSON.stringify(log.getAttributes(), this.getJsonReplacer()));
  }
}

/** The Powertools logger behind `createLogger`'s result, for `injectLambdaContext` / `addContext` in a handler. */
export const powertoolsLoggerOf = (logger: Logger): PowertoolsLogger | undefined =>
  logger instanceof HotlineLogger ? logger.powertools : undefined;

class HotlineLogger implements Logger {
  constructor(readonly powertools: PowertoolsLogger) {}

  info(message: string, fields: Record<string, unknown> = {}): void {
    this.powertools.info(message, fields);
  }

  warn(message: string, fields: Record<string, unknown> = {}): void {
    this.powertools.warn(message, fields);
  }

  error(message: string, fields: Record<string, unknown> = {}): void {
    this.powertools.error(message, fields);
  }
}

/**
 * A logger for `service`. Lines go to `write` when given (tests capture them). Otherwise, on Lambda, Powertools
 * writes them to stdout itself (no runtime prefix, so each CloudWatch event is one JSON object); elsewhere (the
 * local hotline) to `console.log`.
 */
export function createLogger(service: string, write?: (line: string) => void): Logger {
  const onLambda = runsOnLambda();
  const sink = write ?? (onLambda ? undefined : (line: string) => console.log(line));
  return new HotlineLogger(new HotlinePowertoolsLogger(service, sink));
}
