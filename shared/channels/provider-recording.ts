/**
 * Fetching a take the provider recorded on the studio line. Twilio's RecordingUrl (api.twilio.com) gives a WAV,
 * with the account's credentials when the account enforces HTTP authentication on media; Africa's Talking's
 * recordingUrl gives an MP3. Only HTTPS, only the provider's own host for Twilio, at most MAX_TAKE_BYTES, abandoned
 * after PROVIDER_TIMEOUT_MS.
 */
import { PROVIDER_TIMEOUT_MS } from '../ports';
import { basicAuth } from './provider-http';

/** A minute of 16-bit WAV at 8 kHz is under 1 MB; a take over this is not a prompt. */
export const MAX_TAKE_BYTES = 8 * 1024 * 1024;

export type FetchedTake = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

export interface RecordingSource {
  provider: 'twilio' | 'africastalking';
  url: string;
  /** Twilio's account SID and auth token, when there are credentials. */
  twilio?: { accountSid: string; authToken: string };
}

export async function fetchProviderRecording({ provider, url, twilio }: RecordingSource): Promise<FetchedTake> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (parsed.protocol !== 'https:') return { ok: false, reason: 'not HTTPS' };
  if (provider === 'twilio' && parsed.hostname !== 'api.twilio.com') return { ok: false, reason: `not a Twilio recording (${parsed.hostname})` };
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), PROVIDER_TIMEOUT_MS);
  try {
    const response = await fetch(parsed, {
      headers: provider === 'twilio' && twilio ? { Authorization: basicAuth(twilio.accountSid, twilio.authToken) } : {},
      signal: abort.signal,
      redirect: 'follow',
    });
    if (!response.ok) return { ok: false, reason: `HTTP ${response.status}` };
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength > MAX_TAKE_BYTES) return { ok: false, reason: `${bytes.byteLength} bytes` };
    return { ok: true, bytes };
  } catch (error) {
    return { ok: false, reason: abort.signal.aborted ? `no answer within ${PROVIDER_TIMEOUT_MS} ms` : (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
