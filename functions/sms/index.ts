import { handle } from 'hono/aws-lambda';
import { awsChannelAdapters, CHANNEL_SECTIONS } from '../../shared/aws-adapters';
import { configuredCallBridge } from '../../shared/escalation/call-bridges';
import { withChannels } from '../../shared/channels-root';
import { withSms } from '../../shared/sms/compose';
import { createDeps } from '../../shared/services-root';
import { lazyDeps } from '../../shared/runtime';
import { createSmsApp } from './app';

/**
 * The channels' common part with the CALL bridge (officers' commands arrive by SMS, so only this function carries
 * the voice providers' clients, and opens a sealed number to dial it), and the SMS function's own repositories.
 */
const smsChannelDeps = lazyDeps(CHANNEL_SECTIONS, (config) => {
  const deps = createDeps(config);
  const adapters = awsChannelAdapters(config);
  return withSms(
    withChannels(deps, {
      ...adapters,
      callBridge: (escalations) => configuredCallBridge(config, { escalations, vault: adapters.vault }),
    }),
  );
});

export const app = createSmsApp(smsChannelDeps);
export const handler = handle(app);
