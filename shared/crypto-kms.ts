import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { sealedParts, VaultError } from './crypto';
import type { NumberVault } from './ports';

const KMS_FORMAT = 'k1';
/** KMS refuses to decrypt without the same context, and CloudTrail records it with every use of the key. */
const ENCRYPTION_CONTEXT = { purpose: 'reporter-callback-number' };

/** The number vault on AWS: KMS Encrypt/Decrypt under one key. Output: `k1.<ciphertext blob, base64url>`. */
export class KmsNumberVault implements NumberVault {
  constructor(
    private readonly keyId: string,
    private readonly client: KMSClient = new KMSClient({}),
  ) {}

  async encrypt(plain: string): Promise<string> {
    const { CiphertextBlob } = await this.client.send(
      new EncryptCommand({ KeyId: this.keyId, Plaintext: Buffer.from(plain, 'utf8'), EncryptionContext: ENCRYPTION_CONTEXT }),
    );
    if (!CiphertextBlob) throw new VaultError('KMS returned no ciphertext');
    return `${KMS_FORMAT}.${Buffer.from(CiphertextBlob).toString('base64url')}`;
  }

  async decrypt(sealed: string): Promise<string> {
    const [blob] = sealedParts(sealed, KMS_FORMAT, 1);
    const { Plaintext } = await this.client.send(
      new DecryptCommand({
        KeyId: this.keyId,
        CiphertextBlob: Buffer.from(blob!, 'base64url'),
        EncryptionContext: ENCRYPTION_CONTEXT,
      }),
    );
    if (!Plaintext) throw new VaultError('KMS returned no plaintext');
    return Buffer.from(Plaintext).toString('utf8');
  }
}
