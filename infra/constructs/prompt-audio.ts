import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { HotlineFunction } from './function';
import { acknowledgeNag } from './nag';

/**
 * The voice line's recordings (docs/studio.md): the prompt studio's takes under `studio/`, and the committed
 * recordings of prompts/audio/ synced beside them by the operator (`aws s3 sync prompts/audio s3://<bucket>/`).
 * Private: the voice function serves them at PUBLIC_BASE_URL/audio/… (its AUDIO_BASE_URL) to the providers, which
 * fetch them without credentials. Versioned and retained, so a take replaced or deleted by mistake can be recovered.
 */
export class PromptAudio {
  readonly bucket: Bucket;

  constructor(scope: Construct) {
    this.bucket = new Bucket(scope, 'PromptAudioBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeNag(this.bucket, 'AwsSolutions-S1',
      'Only two roles can touch the bucket (the voice function reads, the voice and console functions write under ' +
        'studio/), and every take saved or approved is audited in the table with who and when (STUDIO AUDIT#); ' +
        'versioning keeps every take. Server access logs would need a second bucket to record the same.');
  }

  /** Reads every recording, to serve it (the voice function). */
  bindReader(fn: HotlineFunction): void {
    this.grant(fn, 's3:GetObject', '*', 'It serves every recording the voice line plays, whose names change with every take.');
  }

  /** Saves takes, under studio/ only (the studio line in the voice function, the console's browser studio). */
  bindRecorder(fn: HotlineFunction): void {
    this.grant(fn, 's3:PutObject', 'studio/*', 'Takes get a new object name each (prompt, language and time): the prefix is the narrowest resource there is.');
  }

  private grant(fn: HotlineFunction, action: string, keys: string, why: string): void {
    fn.addEnvironment('AUDIO_BUCKET', this.bucket.bucketName);
    fn.addToRolePolicy(new PolicyStatement({ actions: [action], resources: [this.bucket.arnForObjects(keys)] }));
    const bucketId = Stack.of(this.bucket).getLogicalId(this.bucket.node.defaultChild as CfnBucket);
    acknowledgeNag(fn.role!, `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${keys}]`, why);
  }
}
