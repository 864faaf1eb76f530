/**
 * The table an operator's command (import, export) works on, from the store's variables only: such commands need
 * none of the hotline's secrets, which loadConfig requires in aws mode. The defaults are those of shared/config.ts,
 * so by default a command reaches the running local hotline (`npm start`); with HOTLINE_MODE=aws and no endpoint,
 * the deployed table TABLE_NAME in AWS_REGION, with the operator's ordinary AWS credentials.
 */
import { z } from 'zod';
import type { StoreTarget } from '../shared/store/client';

export const storeTargetSchema = z
  .object({
    HOTLINE_MODE: z.enum(['local', 'aws']).default('local'),
    AWS_REGION: z.string().min(1).default('eu-west-2'),
    AWS_ENDPOINT_URL_DYNAMODB: z.url().optional(),
    TABLE_NAME: z.string().regex(/^[a-zA-Z0-9_.-]{3,255}$/, 'a DynamoDB table name').default('safejob-hotline'),
  })
  .transform(
    (env): StoreTarget => ({
      region: env.AWS_REGION,
      endpoint: env.AWS_ENDPOINT_URL_DYNAMODB ?? (env.HOTLINE_MODE === 'local' ? 'http://127.0.0.1:8000' : undefined),
      tableName: env.TABLE_NAME,
    }),
  );

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
