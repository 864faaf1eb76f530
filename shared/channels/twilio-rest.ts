/**
 * Twilio's REST API (2010-04-01) as the sender and the CALL bridge use it: a form POST to one of the account's
 * resources with Basic auth. A refusal carries `{ code, message, status }`, described as the SDK did:
 * `400 (21211): The 'To' number is not a valid phone number.`
 */
import { basicAuth, postForm } from './provider-http';

export interface TwilioAccount {
  accountSid: string;
  authToken: string;
}

export type TwilioAnswer = { ok: true; sid: string } | { ok: false; status?: number; reason: string };

export const TWILIO_API = 'https://api.twilio.com';

export async function createTwilioResource(account: TwilioAccount, resource: 'Messages' | 'Calls', form: Record<string, string>): Promise<TwilioAnswer> {
  const answer = await postForm(`${TWILIO_API}/2010-04-01/Accounts/${encodeURIComponent(account.accountSid)}/${resource}.json`, form, {
    Authorization: basicAuth(account.accountSid, account.authToken),
  });
  if (!answer.answered) return { ok: false, reason: `network: ${answer.reason}` };
  const body = (answer.body ?? {}) as { sid?: string; code?: number; message?: string };
  if (answer.status >= 200 && answer.status < 300 && typeof body.sid === 'string') return { ok: true, sid: body.sid };
  const message = body.message ?? (typeof answer.body === 'string' ? answer.body.slice(0, 200) : 'no message');
  return { ok: false, status: answer.status, reason: `${answer.status}${body.code ? ` (${body.code})` : ''}: ${message}` };
}
