import { handle } from 'hono/aws-lambda';
import type { Context } from 'aws-lambda';
import { awsChannelDeps } from '../../shared/aws-adapters';
import { createUssdApp } from './app';
import { isScheduledHealthCheck, probeDeepHealth } from './health-probe';

export const app = createUssdApp(awsChannelDeps);
const serve = handle(app);

/** API Gateway's requests, and the scheduled deep health check (functions/ussd/health-probe.ts). */
export const handler = (event: Parameters<typeof serve>[0], context: Context) =>
  isScheduledHealthCheck(event) ? probeDeepHealth(app) : serve(event, context);
