import { RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import type { HotlineFunction } from './function';

/**
 * The number vault's encryption context (shared/crypto-kms.ts ENCRYPTION_CONTEXT): the functions may use the key
 * only with it, so the key seals and opens call-back numbers and nothing else.
 */
export const NUMBER_VAULT_ENCRYPTION_CONTEXT = { purpose: 'reporter-callback-number' } as const;

export type VaultAction = 'kms:Encrypt' | 'kms:Decrypt';

/**
 * The number vault (shared/crypto-kms.ts): a consented reporter's call-back number is stored only as a KMS
 * ciphertext under this key. Its own key, not the table's: who may use the table (every function) is not who may
 * open a number (only where a reporter is texted or dialled back). Retained with the table: without it the sealed
 * numbers in the retained table could never be opened.
 */
export class NumberVault {
  readonly key: Key;

  constructor(scope: Construct) {
    this.key = new Key(scope, 'NumberVaultKey', {
      description: "SafeJob Hotline: seals reporters' call-back numbers (encryption context purpose=reporter-callback-number)",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /**
   * NUMBER_VAULT_KMS_KEY_ID, and the given uses of the key with the vault's encryption context only: seal (every
   * channel that takes reports), open (only where a reporter is texted or dialled back), or neither (the intake
   * replay, whose journal entries carry the number already sealed, though the shared channel wiring wants the id).
   */
  bind(fn: HotlineFunction, actions: readonly VaultAction[]): void {
    fn.addEnvironment('NUMBER_VAULT_KMS_KEY_ID', this.key.keyArn);
    if (actions.length === 0) return;
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: [...actions],
        resources: [this.key.keyArn],
        conditions: {
          StringEquals: Object.fromEntries(
            Object.entries(NUMBER_VAULT_ENCRYPTION_CONTEXT).map(([key, value]) => [`kms:EncryptionContext:${key}`, value]),
          ),
        },
      }),
    );
  }
}
