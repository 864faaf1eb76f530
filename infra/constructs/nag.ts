import { Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** Accepts one cdk-nag AwsSolutions finding on a construct (and its children), with the reason it is accepted. */
export function acknowledgeNag(scope: Construct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions::${rule}`, reason });
}
