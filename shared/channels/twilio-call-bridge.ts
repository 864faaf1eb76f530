/**
 * The CALL bridge through Twilio: `calls.create` rings the officer with inline TwiML that, once they answer, says
 * which case it is and dials the reporter with the hotline's number as caller ID. The reporter's number is only in
 * the TwiML Twilio keeps for the call, never in anything the officer sees or hears.
 */
import twilio from 'twilio';
import { BRIDGE_LANG, t } from '../domain/prompts';
import { PROVIDER_TIMEOUT_MS, type BridgeResult, type CallBridge } from '../ports';

export interface TwilioCalling {
  accountSid: string;
  authToken: string;
  /** The Twilio voice number (+…) the officer is rung from and the reporter sees. */
  from: string;
}

/** Seconds the reporter's phone rings before the bridge gives up. */
export const BRIDGE_DIAL_TIMEOUT_SECONDS = 30;

/** A reference read out character by character ("7 K 3 R 9 M"), so text-to-speech does not make a word of it. */
export const spokenReference = (reference: string) => reference.split('').join(' ');

/** The TwiML the officer's answered call runs: who it is about, then the reporter, from the hotline's number. */
export function bridgeTwiml(reporterPhone: string, reference: string, hotlineNumber: string): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say(
    { voice: 'alice', language: 'en-GB' },
    t(BRIDGE_LANG, 'bridge.connecting', { ref: spokenReference(reference) }),
  );
  const dial = response.dial({ callerId: hotlineNumber, timeout: BRIDGE_DIAL_TIMEOUT_SECONDS });
  dial.number(reporterPhone);
  response.say({ voice: 'alice', language: 'en-GB' }, t(BRIDGE_LANG, 'bridge.unreachable'));
  return response.toString();
}

export function twilioCallBridge(calling: TwilioCalling): CallBridge {
  // No keep-alive, as for SMS (twilio-sender.ts): a socket kept across a frozen Lambda container is often dead.
  const client = twilio(calling.accountSid, calling.authToken, {
    httpClient: new twilio.RequestClient({ keepAlive: false, timeout: PROVIDER_TIMEOUT_MS }),
  });
  return {
    provider: 'twilio',
    async bridge(officerPhone: string, reporterPhone: string, reference: string): Promise<BridgeResult> {
      try {
        const call = await client.calls.create({
          to: officerPhone,
          from: calling.from,
          twiml: bridgeTwiml(reporterPhone, reference, calling.from),
        });
        return { ok: true, callId: call.sid };
      } catch (error) {
        const status = (error as { status?: number }).status;
        const code = (error as { code?: number }).code;
        return { ok: false, reason: `${status ?? 'network'}${code ? ` (${code})` : ''}: ${(error as Error).message}` };
      }
    },
  };
}
