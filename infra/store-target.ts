/**
 * How an operator's command (import, export) reports that the table it works on (shared/config.ts
 * storeTargetSchema) failed it.
 */
import type { StoreTarget } from '../shared/store/client';

/** One plain sentence for an operator: what failed, where, and the likely fix. `action` is e.g. "export from". */
export function describeStoreFailure(error: unknown, target: StoreTarget, action: string): string {
  const where = target.endpoint
    ? `table ${target.tableName} at ${target.endpoint}`
    : `table ${target.tableName} in AWS ${target.region}`;
  const hint = target.endpoint ? ' (is `npm start` running?)' : '';
  const { name, message, code } = error as Error & { code?: string };
  const text = `${name} ${message} ${code ?? ''}`;
  if (name === 'ResourceNotFoundException') return `Cannot ${action} ${where}: there is no such table${hint}`;
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|TimeoutError|socket hang up/.test(text)) {
    return `Cannot ${action} ${where}: cannot reach it${hint}`;
  }
  if (name === 'CredentialsProviderError') {
    return `Cannot ${action} ${where}: no AWS credentials (set AWS_PROFILE, or run against the local hotline)`;
  }
  return `Cannot ${action} ${where}: ${name}: ${message}`;
}
