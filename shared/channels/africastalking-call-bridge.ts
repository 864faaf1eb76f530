/**
 * The CALL bridge through Africa's Talking: `VOICE.call` rings the officer; when they answer, Africa's Talking asks
 * the voice callback URL (POST /voice/africastalking, `direction=Outbound`, with our `clientRequestId`) what to do,
 * and the voice app answers with a Dial to the reporter (functions/voice/app.ts). The reporter's number is not in
 * any URL nor stored in the clear: it is kept sealed under the request id until the officer answers.
 */
import { randomUUID } from 'node:crypto';
import AfricasTalking from 'africastalking';
import axios from 'axios';
import { PROVIDER_TIMEOUT_MS, type BridgeCall, type BridgeResult, type CallBridge } from '../ports';

export interface AfricasTalkingCalling {
  username: string;
  apiKey: string;
  /** The Africa's Talking voice number (+…) the officer is rung from and the reporter sees. */
  from: string;
}

export interface BridgeKeeping {
  seal(phone: string): Promise<string>;
  /** Keeps the sealed number under the request id until the officer answers (or it expires). */
  remember(call: BridgeCall): Promise<void>;
}

// The SDK calls the shared axios instance, which has no timeout by default.
axios.defaults.timeout ||= PROVIDER_TIMEOUT_MS;

interface AtCallReply {
  entries?: { phoneNumber?: string; status?: string; sessionId?: string }[];
  errorMessage?: string;
}

function describeError(error: unknown): string {
  const response = (error as { response?: { status?: number } })?.response;
  if (response?.status) return `HTTP ${response.status}`;
  return error instanceof Error ? error.message : String(error);
}

export function africasTalkingCallBridge(calling: AfricasTalkingCalling, keeping: BridgeKeeping): CallBridge {
  const voice = AfricasTalking({ username: calling.username, apiKey: calling.apiKey }).VOICE;
  return {
    provider: 'africastalking',
    async bridge(officerPhone: string, reporterPhone: string, reference: string): Promise<BridgeResult> {
      // Written before the call: the officer may answer before the reply to this request arrives.
      const requestId = `${reference}-${randomUUID().slice(0, 8)}`;
      try {
        await keeping.remember({ requestId, reference, sealedNumber: await keeping.seal(reporterPhone) });
      } catch (error) {
        return { ok: false, reason: `the bridge could not be kept: ${describeError(error)}` };
      }
      let reply: AtCallReply;
      try {
        reply = (await voice.call({ callFrom: calling.from, callTo: [officerPhone], clientRequestId: requestId })) as AtCallReply;
      } catch (error) {
        return { ok: false, reason: describeError(error) };
      }
      const entry = reply?.entries?.[0];
      if (entry?.status === 'Queued' && entry.sessionId) return { ok: true, callId: entry.sessionId };
      return { ok: false, reason: `${entry?.status ?? 'no entry'}${reply?.errorMessage && reply.errorMessage !== 'None' ? `: ${reply.errorMessage}` : ''}` };
    },
  };
}
