import { handle } from 'hono/aws-lambda';
import type { Context } from 'aws-lambda';
import { awsChannels, CHANNEL_SECTIONS } from '../../shared/aws-adapters';
import { lazyDeps } from '../../shared/runtime';
import { withUssd } from '../../shared/ussd/compose';
import { createUssdApp } from './app';
import { isScheduledHealthCheck, probeDeepHealth } from './health-probe';

/** The channels' common part and the USSD sessions: no other channel's repositories (shared/ussd/compose.ts). */
export const app = createUssdApp(lazyDeps(CHANNEL_SECTIONS, (config) => withUssd(awsChannels(config))));
const serve = handle(app);

/** API Gateway's requests, and the scheduled deep health check (functions/ussd/health-probe.ts). */
export const handler = (event: Parameters<typeof serve>[0], context: Context) =>
  isScheduledHealthCheck(event) ? probeDeepHealth(app) : serve(event, context);
