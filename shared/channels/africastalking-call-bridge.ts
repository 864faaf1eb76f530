/**
 * The CALL bridge through Africa's Talking: a POST to its voice API's /call (africastalking-rest.ts) rings the
 * officer; when they answer, Africa's Talking asks the voice callback URL (POST /voice/africastalking,
 * `direction=Outbound`, with our `clientRequestId`) what to do, and the voice app answers with a Dial to the reporter (functions/voice/app.ts). The reporter's number is not in
 * any URL nor stored in the clear: it is kept sealed under the request id until the officer answers.
 */
import { randomUUID } from 'node:crypto';
import { africasTalkingUrls, postToAfricasTalking, type AfricasTalkingAccount } from './africastalking-rest';
import type { BridgeCall, BridgeResult, CallBridge } from '../ports';

export interface AfricasTalkingCalling extends AfricasTalkingAccount {
  /** The Africa's Talking voice number (+…) the officer is rung from and the reporter sees. */
  from: string;
}

export interface BridgeKeeping {
  seal(phone: string): Promise<string>;
  /** Keeps the sealed number under the request id until the officer answers (or it expires). */
  remember(call: BridgeCall): Promise<void>;
}

interface AtCallReply {
  entries?: { phoneNumber?: string; status?: string; sessionId?: string }[];
  errorMessage?: string;
}

const describeError = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function africasTalkingCallBridge(calling: AfricasTalkingCalling, keeping: BridgeKeeping): CallBridge {
  const { call } = africasTalkingUrls(calling);
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
      const answer = await postToAfricasTalking(calling, call, { to: officerPhone, from: calling.from, clientRequestId: requestId });
      if (!answer.answered) return { ok: false, reason: answer.reason };
      if (answer.status !== 200 && answer.status !== 201) return { ok: false, reason: `HTTP ${answer.status}` };
      const reply = answer.body as AtCallReply | undefined;
      const entry = reply?.entries?.[0];
      if (entry?.status === 'Queued' && entry.sessionId) return { ok: true, callId: entry.sessionId };
      return { ok: false, reason: `${entry?.status ?? 'no entry'}${reply?.errorMessage && reply.errorMessage !== 'None' ? `: ${reply.errorMessage}` : ''}` };
    },
  };
}
