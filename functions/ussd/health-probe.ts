/**
 * The scheduled deep health check on AWS (an EventBridge rule invokes the USSD function, which serves
 * `GET /health/deep`, with `{ "healthCheck": "deep" }` every 5 minutes): it asks the app's own route, in process, so
 * it checks exactly what the route checks with this function's configuration, and records the outcome as the
 * `DeepHealthFailing` metric (1 failing, 0 passing). The operators' alarm fires on a failure, and on no data (the
 * check stopped running).
 */
import type { Hono } from 'hono/tiny';
import * as z from '../../shared/domain/zod';
import { createLogger } from '../../shared/log';
import { metrics } from '../../shared/metrics';

const scheduledCheckSchema = z.object({ healthCheck: z.literal('deep') });

/** Whether a Lambda event is the scheduled deep health check (not an API Gateway request). */
export const isScheduledHealthCheck = (event: unknown): boolean => scheduledCheckSchema.safeParse(event).success;

export async function probeDeepHealth(app: Pick<Hono, 'request'>, log = createLogger('health-probe')): Promise<{ status: number }> {
  const response = await Promise.resolve(app.request('/health/deep')).catch(() => undefined);
  const status = response?.status ?? 0;
  metrics.recordDeepHealth(status !== 200);
  // The answer names the failing checks, never a secret or a stored value (shared/health.ts).
  if (status !== 200) log.error('deep health check failing', { status, answer: response ? await response.text() : 'no answer' });
  return { status };
}
