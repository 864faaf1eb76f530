/**
 * The CDK app (`npx cdk synth`, `npx cdk deploy`; see cdk.json). Every synthesis runs the cdk-nag AwsSolutions
 * checks (cdk-nag 3 is a CDK policy-validation plugin, no longer an Aspect): an unacknowledged error fails the
 * synthesis, and the report lands in cdk.out/validation-report.json. Accepted findings are acknowledged with their
 * reason (`Validations.of(construct).acknowledge`) next to the resource they concern, in infra/constructs/.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { HotlineStack } from './stack';

const app = new App();

new HotlineStack(app, 'SafeJobHotline', {
  description: 'SafeJob Hotline: USSD/SMS/voice anti-fraud hotline for labour migrants',
  // Environment-agnostic on purpose (no lookups): the same template deploys to the account and region of the
  // deploying profile, e.g. `AWS_REGION=eu-west-2 npx cdk deploy`.
});

Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

app.synth();
