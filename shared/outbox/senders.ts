import { africasTalkingSender } from '../channels/africastalking-sender';
import { kannelSender } from '../channels/kannel-sender';
import { twilioSender } from '../channels/twilio-sender';
import type { BaseConfig, SmsProviderName } from '../config';
import type { SmsSender } from '../ports';

/** A sender for every provider whose credentials are configured. */
export function configuredSenders(config: BaseConfig): Partial<Record<SmsProviderName, SmsSender>> {
  return {
    ...(config.africastalking ? { africastalking: africasTalkingSender(config.africastalking) } : {}),
    ...(config.twilio.sending ? { twilio: twilioSender(config.twilio.sending, config.publicBaseUrl) } : {}),
    ...(config.kannel.sending
      ? { kannel: kannelSender(config.kannel.sending, { publicBaseUrl: config.publicBaseUrl, webhookToken: config.kannel.webhookToken }) }
      : {}),
  };
}
