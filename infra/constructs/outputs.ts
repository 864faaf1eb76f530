import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Construct } from 'constructs';
import type { OperatorAlarms } from './alarms';
import type { WebhookApi } from './http-api';
import type { IntakeJournal } from './intake-journal';
import type { SmsOutbox } from './outbox';
import { PROVIDER_CREDENTIALS_TEMPLATE, type HotlineSecrets } from './secrets';
import type { HotlineTable } from './table';

export interface OperatorOutputsProps {
  api: WebhookApi;
  stage: HttpStage;
  secrets: HotlineSecrets;
  table: HotlineTable;
  alarms: OperatorAlarms;
  outbox: SmsOutbox;
  journal: IntakeJournal;
}

/**
 * What an operator copies out of the deployed stack: the URLs to configure at the providers, the commands that read
 * the webhook token and fill the provider credentials, where the alarms and dead letters are, and the import
 * commands. Never a secret value: only where to read it.
 */
export function addOperatorOutputs(scope: Construct, { api, stage, secrets, table, alarms, outbox, journal }: OperatorOutputsProps): void {
  const { region } = Stack.of(scope);
  const endpoint = api.endpoint;
  new CfnOutput(scope, 'ApiUrl', { value: stage.url, description: 'Base URL of the HTTP API' });
  new CfnOutput(scope, 'HealthUrl', { value: `${endpoint}/health`, description: 'GET returns 200 when deployed' });
  new CfnOutput(scope, 'UssdCallbackUrl', {
    value: `${endpoint}/ussd/africastalking?token=`,
    description: "Africa's Talking USSD callback URL: append the AT_WEBHOOK_TOKEN (see AtWebhookTokenCommand)",
  });
  new CfnOutput(scope, 'UssdEventsCallbackUrl', {
    value: `${endpoint}/ussd/africastalking/events?token=`,
    description: "Africa's Talking USSD end-of-session notification URL: append the AT_WEBHOOK_TOKEN",
  });
  new CfnOutput(scope, 'SmsCallbackUrl', {
    value: `${endpoint}/sms/africastalking?token=`,
    description: "Africa's Talking incoming SMS callback URL: append the AT_WEBHOOK_TOKEN",
  });
  new CfnOutput(scope, 'SmsDeliveryReportsUrl', {
    value: `${endpoint}/sms/africastalking/delivery?token=`,
    description: "Africa's Talking SMS delivery reports callback URL: append the AT_WEBHOOK_TOKEN",
  });
  new CfnOutput(scope, 'KannelSmsServiceUrl', {
    value: `${endpoint}/sms/kannel?token=`,
    description:
      'Kannel SMS sms-service get-url: append the KANNEL_WEBHOOK_TOKEN (see KannelWebhookTokenCommand) and ' +
      '&from=%p&to=%P&text=%a&id=%I&smsc=%i&ts=%T&coding=%c&charset=%C (infra/kannel/kannel.conf)',
  });
  new CfnOutput(scope, 'KannelUssdServiceUrl', {
    value: `${endpoint}/ussd/kannel?token=`,
    description:
      'Kannel USSD sms-service get-url: append the KANNEL_WEBHOOK_TOKEN and ' +
      '&from=%p&to=%P&text=%a&id=%I&smsc=%i&meta=%D&coding=%c&charset=%C (infra/kannel/kannel.conf)',
  });
  new CfnOutput(scope, 'KannelWebhookTokenCommand', {
    value: `aws secretsmanager get-secret-value --secret-id ${secrets.kannelWebhookToken.secretArn} --query SecretString --output text`,
    description: 'Prints {"KANNEL_WEBHOOK_TOKEN": ...}: the token of the Kannel URLs (the Kannel host reads it itself)',
  });
  new CfnOutput(scope, 'TwilioSmsWebhookUrl', {
    value: `${endpoint}/sms/twilio`,
    description:
      'Twilio messaging webhook (A message comes in, HTTP POST) of the number or messaging service; signed with ' +
      'TWILIO_AUTH_TOKEN. The status callback URL is set per message by the sender.',
  });
  new CfnOutput(scope, 'VoiceCallbackUrl', {
    value: `${endpoint}/voice/africastalking?token=`,
    description:
      "Africa's Talking voice callback URL of the hotline's voice number: append the AT_WEBHOOK_TOKEN. Every later " +
      'callback of the call (and the final one after hang-up) comes back to it with its state.',
  });
  new CfnOutput(scope, 'TwilioVoiceWebhookUrl', {
    value: `${endpoint}/voice/twilio`,
    description:
      'Twilio voice webhook (A call comes in, HTTP POST) of the number; signed with TWILIO_AUTH_TOKEN. Leave the ' +
      'call status callback empty: every step of the call comes back to this URL.',
  });
  new CfnOutput(scope, 'StudioCallbackUrl', {
    value: `${endpoint}/voice/africastalking/studio?token=`,
    description:
      "Africa's Talking voice callback URL of the studio number (staff recording prompts, docs/studio.md): append the AT_WEBHOOK_TOKEN.",
  });
  new CfnOutput(scope, 'TwilioStudioWebhookUrl', {
    value: `${endpoint}/voice/twilio/studio`,
    description: 'Twilio voice webhook (A call comes in, HTTP POST) of the studio number, where staff record prompts (docs/studio.md).',
  });
  new CfnOutput(scope, 'AtWebhookTokenCommand', {
    value: `aws secretsmanager get-secret-value --secret-id ${secrets.atWebhookToken.secretArn} --query SecretString --output text`,
    description: 'Prints {"AT_WEBHOOK_TOKEN": ...}: the token to append to the callback URLs',
  });
  new CfnOutput(scope, 'ProviderCredentialsCommand', {
    value:
      `aws secretsmanager put-secret-value --secret-id ${secrets.providerCredentials.secretArn} ` +
      `--secret-string '${JSON.stringify(PROVIDER_CREDENTIALS_TEMPLATE)}'`,
    description:
      'Fills the SMS provider credentials: replace every <...>; leave out the keys of a provider you do not use ' +
      '(never an empty value: the functions then refuse to start). AT_USERNAME and AT_API_KEY go together; ' +
      'TWILIO_ACCOUNT_SID needs TWILIO_AUTH_TOKEN and TWILIO_FROM; TWILIO_AUTH_TOKEN alone only checks webhooks. ' +
      'Values are read once per container: a running container keeps the old ones until it is replaced. ' +
      'Tip: --secret-string file://creds.json keeps the keys out of shell history.',
  });
  new CfnOutput(scope, 'AlarmTopicArn', {
    value: alarms.topic.topicArn,
    description:
      'Operator alarms (dead letters, function errors and throttles, API 5xx, escalations left open, reports ' +
      'waiting for replay); subscribe with ' +
      'aws sns subscribe --topic-arn <this ARN> --protocol email --notification-endpoint <address>',
  });
  new CfnOutput(scope, 'OutboxDeadLetterQueueUrl', {
    value: outbox.deadLetterQueue.queueUrl,
    description:
      'Outbound SMS given up on (the message id is in the body; its status and last error are in the table)',
  });
  new CfnOutput(scope, 'ReportJournalDeadLetterQueueUrl', {
    value: journal.deadLetterQueue.queueUrl,
    description:
      'Reports the table refused on every replay: once the cause is fixed, redrive them to the journal ' +
      '(aws sqs start-message-move-task --source-arn <this queue ARN>)',
  });
  const tableName = table.table.tableName;
  new CfnOutput(scope, 'TableName', { value: tableName });
  new CfnOutput(scope, 'RegistryImportCommand', {
    value: `HOTLINE_MODE=aws AWS_REGION=${region} TABLE_NAME=${tableName} npm run registry:import -- registry.csv`,
    description:
      'Loads the licence registry CSV (data/registry.sample.csv shows the columns) into the deployed table with ' +
      'your AWS credentials; add --dry-run to check the file first. Running functions see it within a minute.',
  });
  new CfnOutput(scope, 'OfficersImportCommand', {
    value:
      `HOTLINE_MODE=aws AWS_REGION=${region} TABLE_NAME=${tableName} SECRETS_ARN=${secrets.phoneHashKey.secretArn} ` +
      'npm run officers:import -- rota.csv',
    description:
      'Loads the on-call rota (name,phone,role,languages,escalation_level) into the deployed table; the phone hash ' +
      'key is read from Secrets Manager with your credentials, so officers are found by the same keyed hash.',
  });
}
