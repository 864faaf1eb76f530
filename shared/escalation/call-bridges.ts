/**
 * The CALL bridge from the configuration: a bridge for every provider with credentials and a voice number, routed
 * by the officer's number like SMS (config.sms.routes), the others as failover. Imported only where officers'
 * commands run (the SMS function, the local hotline), so no other bundle carries the voice SDKs.
 */
import { africasTalkingCallBridge } from '../channels/africastalking-call-bridge';
import { twilioCallBridge } from '../channels/twilio-call-bridge';
import type { BaseConfig, SmsProviderName } from '../config';
import type { EscalationRepository } from '../store/escalations';
import { routedCallBridge } from './call-bridge';
import type { CallBridge, NumberVault } from '../ports';

/** How long an Africa's Talking bridge waits for the officer to answer before its sealed number is dropped. */
export const BRIDGE_KEEP_SECONDS = 15 * 60;

/** What a bridge needs of the store: where an Africa's Talking bridge keeps its call (made in shared/runtime.ts). */
export interface CallBridgeStores {
  escalations: Pick<EscalationRepository, 'recordBridgeCall'>;
  vault: Pick<NumberVault, 'encrypt'>;
  now?: () => number;
}

export function configuredCallBridges(config: BaseConfig, store: CallBridgeStores): Partial<Record<SmsProviderName, CallBridge>> {
  const { twilio, africastalking } = config.calls;
  const { escalations } = store;
  const now = store.now ?? Date.now;
  return {
    ...(twilio ? { twilio: twilioCallBridge(twilio) } : {}),
    ...(africastalking
      ? {
          africastalking: africasTalkingCallBridge(africastalking, {
            seal: (phone) => store.vault.encrypt(phone),
            remember: (call) => escalations.recordBridgeCall(call, Math.floor(now() / 1000) + BRIDGE_KEEP_SECONDS),
          }),
        }
      : {}),
  };
}

/** The configured providers, routed; `fallback` (the local bridge) when none is configured. */
export function configuredCallBridge(config: BaseConfig, store: CallBridgeStores, fallback?: CallBridge): CallBridge {
  const bridges = configuredCallBridges(config, store);
  if (Object.keys(bridges).length === 0 && fallback) return fallback;
  return routedCallBridge(bridges, config.sms.routes);
}
