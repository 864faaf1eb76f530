/**
 * The CALL bridge through Twilio: the Calls resource (twilio-rest.ts) rings the officer with inline TwiML that, once they answer, says
 * which case it is and dials the reporter with the hotline's number as caller ID. The reporter's number is only in
 * the TwiML Twilio keeps for the call, never in anything the officer sees or hears.
 */
import { BRIDGE_LANG, t } from '../domain/prompts';
import type { BridgeResult, CallBridge } from '../ports';
import { createTwilioResource, type TwilioAccount } from './twilio-rest';
import { numberTwiml } from './twilio-dial';
import { escapeXml, xmlElement, xmlResponse } from './xml';

export interface TwilioCalling extends TwilioAccount {
  /** The Twilio voice number (+…) the officer is rung from and the reporter sees. */
  from: string;
}

/** Seconds the reporter's phone rings before the bridge gives up. */
export const BRIDGE_DIAL_TIMEOUT_SECONDS = 30;

/** A reference read out character by character ("7 K 3 R 9 M"), so text-to-speech does not make a word of it. */
export const spokenReference = (reference: string) => reference.split('').join(' ');

/** The TwiML the officer's answered call runs: who it is about, then the reporter, from the hotline's number. */
export function bridgeTwiml(reporterPhone: string, reference: string, hotlineNumber: string): string {
  const say = (text: string) => xmlElement('Say', { voice: 'alice', language: 'en-GB' }, escapeXml(text));
  return xmlResponse([
    say(t(BRIDGE_LANG, 'bridge.connecting', { ref: spokenReference(reference) })),
    xmlElement('Dial', { callerId: hotlineNumber, timeout: BRIDGE_DIAL_TIMEOUT_SECONDS }, numberTwiml(reporterPhone)),
    say(t(BRIDGE_LANG, 'bridge.unreachable')),
  ]);
}

export function twilioCallBridge(calling: TwilioCalling): CallBridge {
  return {
    provider: 'twilio',
    async bridge(officerPhone: string, reporterPhone: string, reference: string): Promise<BridgeResult> {
      const answer = await createTwilioResource(calling, 'Calls', {
        To: officerPhone,
        From: calling.from,
        Twiml: bridgeTwiml(reporterPhone, reference, calling.from),
      });
      return answer.ok ? { ok: true, callId: answer.sid } : { ok: false, reason: answer.reason };
    },
  };
}
