/**
 * The CDK app (`npx cdk synth`, `npx cdk deploy`; see cdk.json). Every synthesis runs the cdk-nag AwsSolutions
 * checks: an unsuppressed finding is an error or a warning in the output. Accepted findings are suppressed next to
 * the resource they concern, with their reason, in infra/stack.ts.
 */
import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { HotlineStack } from './stack';

const app = new App();

new HotlineStack(app, 'SafeJobHotline', {
  description: 'SafeJob Hotline: USSD/SMS/voice anti-fraud hotline for labour migrants',
  // Region and account come from the deploying profile (CDK_DEFAULT_*); the stack itself is environment-agnostic.
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});

Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));

app.synth();
