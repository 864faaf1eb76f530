import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ConfigWith } from '../config';
import type { AudioStore } from '../ports';
import { toTelephonyAudio } from '../audio/telephony';

/**
 * The audio store on AWS: the prompt audio bucket (infra/constructs/prompt-audio.ts). The voice function reads it to
 * serve /audio/*; the studio (voice line and console) writes takes under `studio/`.
 */
export class S3AudioStore implements AudioStore {
  constructor(
    private readonly bucket: string,
    private readonly client: S3Client = new S3Client({}),
  ) {}

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType }));
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return object.Body ? await object.Body.transformToByteArray() : undefined;
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }
}

/** The audio adapters of a Lambda entry point that records or serves takes: the bucket (when the stack gave one) and the decoder. */
export function s3AudioAdapter(config: ConfigWith<'studio'>): { audio?: AudioStore; toTelephony?: typeof toTelephonyAudio } {
  const bucket = config.studio.audioBucket;
  return bucket ? { audio: new S3AudioStore(bucket, new S3Client({ region: config.region })), toTelephony: toTelephonyAudio } : {};
}
