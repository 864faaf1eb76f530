/**
 * Officers hear a caller's recording through a short-lived signed link, never the provider's recording URL (or a
 * local file) itself: `<base>/recordings/<reference>?exp=<epoch seconds>&sig=<HMAC-SHA256>`. The voice app's route
 * checks the signature and the expiry, then redirects to the recording; a tampered or expired link gets 403.
 * The key is derived from the phone-hash secret for this one purpose, so that no other code or hash can be reused
 * as a signature.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Long enough for an officer paged at night to listen the next morning; short enough that a forwarded page expires. */
export const RECORDING_LINK_TTL_SECONDS = 12 * 3600;

export type RecordingLinkCheck = 'valid' | 'expired' | 'invalid';

export class RecordingLinks {
  private readonly key: Buffer;

  constructor(secret: string, private readonly baseUrl: string, private readonly now: () => number = Date.now) {
    this.key = createHmac('sha256', secret).update('recording-link\u0000v1').digest();
  }

  /** A link to a report's recording, valid for `RECORDING_LINK_TTL_SECONDS` from now. */
  linkFor(reference: string): string {
    const expires = Math.floor(this.now() / 1000) + RECORDING_LINK_TTL_SECONDS;
    return `${this.baseUrl}/recordings/${encodeURIComponent(reference)}?exp=${expires}&sig=${this.signature(reference, expires)}`;
  }

  /** Whether a link's parts are ones this hotline signed, and still in time. */
  check(reference: string, exp: string | undefined, sig: string | undefined): RecordingLinkCheck {
    if (!exp || !/^\d{1,12}$/.test(exp) || !sig || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return 'invalid';
    const expected = Buffer.from(this.signature(reference, Number(exp)));
    if (!timingSafeEqual(expected, Buffer.from(sig))) return 'invalid';
    return Number(exp) * 1000 < this.now() ? 'expired' : 'valid';
  }

  private signature(reference: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${reference}\u0000${expires}`).digest('base64url');
  }
}
