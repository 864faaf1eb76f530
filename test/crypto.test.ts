import { KMSClient } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { cardKey, LocalNumberVault, VaultError } from '../shared/crypto';
import { KmsNumberVault } from '../shared/crypto-kms';
import { phoneKey, phoneKeys } from '../shared/privacy';

const SECRET = 'v'.repeat(32);

describe('the local number vault', () => {
  const vault = new LocalNumberVault(SECRET);

  it('round-trips a number', async () => {
    for (const number of ['+992935554433', '+447700900123']) {
      expect(await vault.decrypt(await vault.encrypt(number))).toBe(number);
    }
  });

  it('seals one number differently each time, in the versioned format, without the digits', async () => {
    const sealed = await Promise.all(Array.from({ length: 20 }, () => vault.encrypt('+992935554433')));
    expect(new Set(sealed).size).toBe(20);
    for (const text of sealed) {
      expect(text).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
      expect(text).not.toContain('935554433');
    }
  });

  it('refuses a sealed text that was altered anywhere', async () => {
    const sealed = await vault.encrypt('+992935554433');
    const [format, iv, tag, body] = sealed.split('.') as [string, string, string, string];
    const flip = (part: string) => (part[0] === 'A' ? 'B' : 'A') + part.slice(1);
    for (const altered of [
      [format, flip(iv), tag, body],
      [format, iv, flip(tag), body],
      [format, iv, tag, flip(body)],
    ]) {
      await expect(vault.decrypt(altered.join('.'))).rejects.toThrow(VaultError);
    }
  });

  it('refuses another key\'s text, another format and a malformed text', async () => {
    const sealed = await new LocalNumberVault('w'.repeat(32)).encrypt('+992935554433');
    await expect(vault.decrypt(sealed)).rejects.toThrow('altered or sealed with another key');
    await expect(vault.decrypt(sealed.replace(/^v1/, 'k1'))).rejects.toThrow('not a v1 sealed number');
    await expect(vault.decrypt('v1.only.two')).rejects.toThrow('not a v1 sealed number');
    await expect(vault.decrypt('v1..a.b')).rejects.toThrow('not a v1 sealed number');
  });

  it('needs a secret of at least 32 characters', () => {
    expect(() => new LocalNumberVault('short')).toThrow('at least 32 characters');
  });
});

describe('the KMS number vault', () => {
  /** A KMS client whose calls are answered here, at the SDK's first middleware step, and recorded. */
  function fakeKms() {
    const calls: { name: string; input: Record<string, unknown> }[] = [];
    const client = new KMSClient({ region: 'eu-west-2', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    client.middlewareStack.add(
      (_next, context) => async (args) => {
        const input = args.input as Record<string, unknown>;
        const name = String(context.commandName);
        calls.push({ name, input });
        const output =
          name === 'EncryptCommand'
            ? { CiphertextBlob: Buffer.concat([Buffer.from('blob:'), input.Plaintext as Uint8Array]) }
            : { Plaintext: (input.CiphertextBlob as Uint8Array).subarray(5) };
        return { output: { ...output, $metadata: {} }, response: {} };
      },
      { step: 'initialize', priority: 'high', name: 'fakeKms' },
    );
    return { client, calls };
  }

  it('encrypts and decrypts under the key, with the purpose as encryption context', async () => {
    const { client, calls } = fakeKms();
    const vault = new KmsNumberVault('alias/safejob-numbers', client);
    const sealed = await vault.encrypt('+992935554433');
    expect(sealed).toBe(`k1.${Buffer.from('blob:+992935554433').toString('base64url')}`);
    expect(await vault.decrypt(sealed)).toBe('+992935554433');
    expect(calls.map((call) => call.name)).toEqual(['EncryptCommand', 'DecryptCommand']);
    for (const { input } of calls) {
      expect(input).toMatchObject({ KeyId: 'alias/safejob-numbers', EncryptionContext: { purpose: 'reporter-callback-number' } });
    }
  });

  it('refuses a local vault\'s text without calling KMS', async () => {
    const { client, calls } = fakeKms();
    const sealed = await new LocalNumberVault(SECRET).encrypt('+992935554433');
    await expect(new KmsNumberVault('k', client).decrypt(sealed)).rejects.toThrow('not a k1 sealed number');
    expect(calls).toEqual([]);
  });
});

describe('card keys', () => {
  it('are keyed, stable, and apart from phone keys of the same digits', () => {
    const digits = '4276380012345679';
    expect(cardKey(SECRET, digits)).toBe(cardKey(SECRET, digits));
    expect(cardKey(SECRET, digits)).not.toBe(cardKey('w'.repeat(32), digits));
    expect(cardKey(SECRET, digits)).not.toBe(phoneKey(SECRET, digits));
  });
});

describe("a container's phone keys", () => {
  it('are the keys phoneKey gives, for every spelling of a number, also once the oldest were let go', () => {
    const keyOf = phoneKeys(SECRET);
    const spellings = ['+992 90 000 1234', '+992900001234', '00992900001234'];
    for (const raw of spellings) expect(keyOf(raw)).toBe(phoneKey(SECRET, '+992900001234'));
    // More numbers than a container keeps: the first ones are computed again, still the same.
    for (let i = 0; i < 2_500; i++) keyOf(`+99290${String(1_000_000 + i)}`);
    for (const raw of spellings) expect(keyOf(raw)).toBe(phoneKey(SECRET, raw));
    expect(phoneKeys('w'.repeat(32))(spellings[0]!)).not.toBe(keyOf(spellings[0]!));
  });
});
