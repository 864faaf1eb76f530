/**
 * Structured JSON logs, one line per event. Callers pass only what may be logged: never a raw phone number or a
 * report's free text (use the keyed phone hash).
 */
type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

function errorFields(value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}

export function createLogger(service: string, write: (line: string) => void = (line) => console.log(line)): Logger {
  const log = (level: Level) => (message: string, fields: Record<string, unknown> = {}) => {
    const entries = Object.entries(fields).map(([k, v]) => [k, errorFields(v)]);
    write(JSON.stringify({ level, service, message, time: new Date().toISOString(), ...Object.fromEntries(entries) }));
  };
  return { info: log('info'), warn: log('warn'), error: log('error') };
}
