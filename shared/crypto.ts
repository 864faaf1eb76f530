/**
 * What protects a reporter's number and a victim's card: the vault that seals the number kept for a consented
 * call-back, and the keyed hash cards are matched on. The KMS vault is in crypto-kms.ts, so that only the functions
 * that use it bundle the KMS client.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { NumberVault } from './ports';


export class VaultError extends Error {}

/** The parts after a sealed text's format tag; throws when the text is not of that format with that many parts. */
export function sealedParts(sealed: string, format: string, count: number): string[] {
  const [tag, ...parts] = sealed.split('.');
  if (tag !== format || parts.length !== count || parts.some((part) => part === '')) {
    throw new VaultError(`not a ${format} sealed number`);
  }
  return parts;
}

const LOCAL_FORMAT = 'v1';
/** Binds ciphertexts to their purpose and format: a sealed text from elsewhere does not open here. */
const LOCAL_AAD = Buffer.from('safejob-hotline number-vault v1');

/**
 * AES-256-GCM with a key derived by HKDF-SHA256 from a configured secret (high-entropy, so HKDF rather than a
 * password hash) and a random 96-bit IV per number, so one number never seals to the same text twice. Output:
 * `v1.<iv>.<tag>.<ciphertext>`, base64url parts; a new format (say, a rotated key) gets a new tag.
 */
export class LocalNumberVault implements NumberVault {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (secret.length < 32) throw new VaultError('the number vault secret needs at least 32 characters');
    this.key = Buffer.from(hkdfSync('sha256', secret, 'safejob-hotline', 'number-vault v1', 32));
  }

  async encrypt(plain: string): Promise<string> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(LOCAL_AAD);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [LOCAL_FORMAT, ...[iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url'))].join('.');
  }

  async decrypt(sealed: string): Promise<string> {
    const [iv, tag, body] = sealedParts(sealed, LOCAL_FORMAT, 3).map((part) => Buffer.from(part, 'base64url'));
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv!).setAAD(LOCAL_AAD).setAuthTag(tag!);
      return Buffer.concat([decipher.update(body!), decipher.final()]).toString('utf8');
    } catch {
      throw new VaultError('the sealed number was altered or sealed with another key');
    }
  }
}

/**
 * The key a card number is matched on: an HMAC of its digits, like phone keys (16 digits with a known prefix are
 * few enough to enumerate). The `card:` prefix keeps it apart from phone keys made with the same secret.
 */
export function cardKey(secret: string, digits: string): string {
  return createHmac('sha256', secret).update(`card:${digits}`).digest('base64url');
}
