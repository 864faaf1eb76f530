/**
 * The CDK stack, synthesized once for the whole file (bundling the six functions with the local esbuild takes a
 * few seconds) with the same feature flags as `npx cdk synth` (cdk.json) and the cdk-nag AwsSolutions checks. Nothing
 * here calls AWS: synthesis is offline and the Secrets Manager and KMS clients are replaced by stand-ins. The
 * deploy-time context options are checked on further syntheses that skip bundling.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnElement, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmsApp } from '../functions/sms/app';
import { createUssdApp } from '../functions/ussd/app';
import { createVoiceApp } from '../functions/voice/app';
import { ESCALATION_METRIC, ESCALATION_SWEEP_RATE } from '../infra/constructs/escalation';
import { PHONE_METADATA_DATA_FILE } from '../infra/bundling';
import { TABLE_ACTIONS } from '../infra/constructs/function';
import { PHONE_METADATA_FILE } from '../infra/phone-metadata';
import { ALL_FAMILIES, leadingKeys, TABLE_ACCESS } from '../infra/constructs/table-access';
import { ROUTE_THROTTLES, SMS_ROUTES, USSD_ROUTES, VOICE_ROUTES } from '../infra/constructs/http-api';
import { BROADCAST_RESERVED, broadcastReservation, USSD_DEFAULT_RESERVED, ussdReservation } from '../infra/constructs/concurrency';
import type { HotlineContext } from '../infra/context';
import { UNFINISHED_REPAIR_EVENT } from '../shared/intake';
import { JOURNAL_MAX_RECEIVES } from '../infra/constructs/intake-journal';
import { NUMBER_VAULT_ENCRYPTION_CONTEXT } from '../infra/constructs/number-vault';
import { SMS_MAX_ATTEMPTS } from '../infra/constructs/outbox';
import { HotlineStack } from '../infra/stack';
import { awsChannelAdapters } from '../shared/aws-adapters';
import { loadWholeConfig } from '../shared/config-sections';
import { KmsNumberVault } from '../shared/crypto-kms';
import { ESCALATION_EXHAUSTED_MESSAGE, escalationEnvShape } from '../shared/escalation/config';
import { environmentWithSecrets, type SecretReader } from '../shared/secrets';
import { TABLE_KEYS } from '../shared/store/keys';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> } & Record<string, unknown>>;

interface ValidationReport {
  pluginReports: {
    pluginName: string;
    conclusion: string;
    violations: { ruleName: string; severity: string }[];
    suppressedViolations?: { ruleName: string; reason: string; violatingConstructs: { constructPath: string }[] }[];
  }[];
}

const cdkJson = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

let outdir: string;
let stack: HotlineStack;
let template: Template;
let report: ValidationReport;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'hotline-cdk-'));
  const app = new App({ outdir, context: cdkJson.context });
  stack = new HotlineStack(app, 'SafeJobHotline');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  // Throws if a validation plugin reports an unacknowledged error.
  const assembly = app.synth();
  template = Template.fromStack(stack);
  report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as ValidationReport;
}, 60_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

function only(type: string): { id: string; resource: Resources[string] } {
  const found = Object.entries(template.findResources(type) as Resources);
  expect(found, `exactly one ${type}`).toHaveLength(1);
  const [id, resource] = found[0]!;
  return { id, resource };
}

/** The CloudFormation resource that a construct of the stack renders (its `Resource` child, e.g. `OutboxQueue`). */
function at(path: string): { id: string; resource: Resources[string] } {
  const construct = [...path.split('/'), 'Resource'].reduce<IConstruct>((scope, id) => scope.node.findChild(id), stack);
  expect(construct, path).toBeInstanceOf(CfnElement);
  const id = stack.getLogicalId(construct as CfnElement);
  const resource = (template.toJSON().Resources as Resources)[id];
  expect(resource, path).toBeDefined();
  return { id, resource: resource! };
}

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Principal?: unknown; Condition?: unknown };

const FUNCTIONS = ['UssdFunction', 'SmsFunction', 'VoiceFunction', 'OutboxFunction', 'EscalationFunction', 'IntakeReplayFunction', 'BroadcastFunction'] as const;
/** The functions that take reports (and so seal numbers, journal, page): the shared channel wiring. */
const CHANNELS = ['UssdFunction', 'SmsFunction', 'VoiceFunction', 'IntakeReplayFunction'] as const;
type FunctionName = (typeof FUNCTIONS)[number];

function variablesOf(name: FunctionName): Record<string, unknown> {
  return (at(name).resource.Properties as { Environment: { Variables: Record<string, unknown> } }).Environment.Variables;
}

/** The statements of the one policy attached to a function's role. */
function statementsOf(name: FunctionName | 'ConsoleFunction'): Statement[] {
  const roleId = at(`${name}Role`).id;
  const policies = Object.values(template.findResources('AWS::IAM::Policy') as Resources).filter((policy) =>
    JSON.stringify((policy.Properties as { Roles: unknown }).Roles) === JSON.stringify([{ Ref: roleId }]),
  );
  expect(policies, `${name} has one policy`).toHaveLength(1);
  return (policies[0]!.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement;
}

const actions = (statement: Statement) => [statement.Action].flat();

/** The actions a function's role is allowed on one resource (a `Fn::GetAtt [id, Arn]`). */
function actionsOn(name: FunctionName, resourceId: string): string[] {
  const arn = JSON.stringify({ 'Fn::GetAtt': [resourceId, 'Arn'] });
  return statementsOf(name)
    .filter((statement) => statement.Effect === 'Allow' && [statement.Resource].flat().some((r) => JSON.stringify(r) === arn))
    .flatMap(actions)
    .sort();
}

const secretId = (path: string) => at(path).id;

/** The properties of the event source mapping that reads one queue. */
function mappingOf(queuePath: string): Record<string, unknown> {
  const arn = JSON.stringify({ 'Fn::GetAtt': [at(queuePath).id, 'Arn'] });
  const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping') as Resources).filter(
    (mapping) => JSON.stringify((mapping.Properties as { EventSourceArn: unknown }).EventSourceArn) === arn,
  );
  expect(mappings, queuePath).toHaveLength(1);
  return mappings[0]!.Properties as Record<string, unknown>;
}

/** The secret ids listed, in order, in a function's SECRETS_ARN. */
function secretsArnOf(name: FunctionName): string[] {
  const [separator, parts] = (variablesOf(name).SECRETS_ARN as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  expect(separator).toBe('');
  const refs = parts.filter((part) => part !== ',') as { Ref: string }[];
  expect(parts.filter((part) => part === ',')).toHaveLength(refs.length - 1);
  return refs.map((ref) => ref.Ref);
}

describe('HotlineStack: table', () => {
  it('has pk/sk string keys, on-demand billing, PITR, the TTL attribute and a rotated customer-managed key', () => {
    const { resource } = only('AWS::DynamoDB::Table');
    const tableKey = at('TableKey');
    expect(resource.Properties).toMatchObject({
      KeySchema: [
        { AttributeName: TABLE_KEYS.partition, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sort, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: expect.arrayContaining([
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ]),
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [tableKey.id, 'Arn'] } },
      DeletionProtectionEnabled: true,
    });
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.UpdateReplacePolicy).toBe('Retain');
    expect(tableKey.resource).toMatchObject({ Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
  });
});

describe('HotlineStack: retained resources', () => {
  it('keeps the logical id of every retained resource (a new id would orphan it and deploy an empty one)', () => {
    const retained = Object.entries(template.toJSON().Resources as Resources)
      .filter(([, resource]) => resource.DeletionPolicy === 'Retain')
      .map(([id]) => id)
      .sort();
    expect(retained).toEqual([
      'ApiAccessLogsE9DF007D',
      'BroadcastFunctionLogs0EA42E3C',
      at('ConsoleFunctionLogs').id,
      at('ConsoleUserPool').id,
      'EscalationFunctionLogsC093DD0E',
      'IntakeReplayFunctionLogs8CF7D932',
      'NumberVaultKey18180F9D',
      'OutboxFunctionLogs55E7651C',
      'PhoneHashKeyB0B78BCF',
      at('PromptAudioBucket').id,
      'SmsFunctionLogs87BCF932',
      'TableCD117FA1',
      'TableKeyF581D96F',
      'UssdFunctionLogs665A037F',
      'VoiceFunctionLogsEB55D928',
    ]);
  });
});

describe('HotlineStack: functions', () => {
  it('has the seven functions on Node 22 arm64 with their measured memory and timeouts, each with its own role and log group', () => {
    // The seven, and the console (its own block below).
    expect(Object.keys(template.findResources('AWS::Lambda::Function'))).toHaveLength(FUNCTIONS.length + 1);
    // The webhooks wait on a caller or a provider (10 s, under the USSD gateway's ~10 s and Twilio's 15 s); memory
    // buys them CPU for the cold start. Nobody waits on the queue and scheduler consumers.
    const sizes: Record<FunctionName, [memory: number, timeout: number]> = {
      UssdFunction: [1024, 10],
      SmsFunction: [1024, 10],
      VoiceFunction: [1024, 10],
      OutboxFunction: [512, 30],
      EscalationFunction: [512, 30],
      IntakeReplayFunction: [512, 30],
      BroadcastFunction: [512, 300],
    };
    for (const name of FUNCTIONS) {
      expect(at(name).resource.Properties, name).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: sizes[name][0],
        Timeout: sizes[name][1],
        Role: { 'Fn::GetAtt': [at(`${name}Role`).id, 'Arn'] },
        LoggingConfig: { LogGroup: { Ref: at(`${name}Logs`).id } },
      });
      // The role may write to its own log group only.
      expect(actionsOn(name, at(`${name}Logs`).id)).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
      expect(statementsOf(name).filter((s) => actions(s).some((a) => a.startsWith('logs:')))).toHaveLength(1);
    }
    const resourceTypes = Object.values(template.toJSON().Resources as Resources).map((r) => r.Type);
    expect(resourceTypes.filter((type) => type.startsWith('Custom::'))).toEqual([]);
    // Eight function log groups (the console's too) and the API access logs.
    expect(Object.keys(template.findResources('AWS::Logs::LogGroup'))).toHaveLength(9);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 180 });
  });

  it('gives every function the secrets ARNs it needs, never a secret value, in its environment', () => {
    const provider = secretId('ProviderCredentials');
    const token = secretId('AtWebhookToken');
    const hashKey = secretId('PhoneHashKey');
    const kannelToken = secretId('KannelWebhookToken');
    // A generated value is laid over last, so a stray key in the provider credentials cannot replace it.
    expect(secretsArnOf('UssdFunction')).toEqual([token, hashKey, kannelToken]);
    expect(secretsArnOf('SmsFunction')).toEqual([provider, token, hashKey, kannelToken]);
    // Twilio signs voice callbacks with the auth token in the provider credentials.
    expect(secretsArnOf('VoiceFunction')).toEqual([provider, token, hashKey]);
    // The outbox puts the Kannel token in every delivery report URL it gives Kannel.
    expect(secretsArnOf('OutboxFunction')).toEqual([provider, token, hashKey, kannelToken]);
    // Page officers and move escalations on: no provider credentials.
    expect(secretsArnOf('EscalationFunction')).toEqual([token, hashKey]);
    expect(secretsArnOf('IntakeReplayFunction')).toEqual([token, hashKey]);

    const secretNames = [
      'AT_WEBHOOK_TOKEN',
      'PHONE_HASH_KEY',
      'AT_USERNAME',
      'AT_API_KEY',
      'AT_SENDER_ID',
      'TWILIO_ACCOUNT_SID',
      'TWILIO_AUTH_TOKEN',
      'TWILIO_FROM',
    ];
    for (const name of FUNCTIONS) {
      const variables = variablesOf(name);
      // config.ts requires these whenever HOTLINE_MODE=aws.
      expect(variables, name).toMatchObject({
        HOTLINE_MODE: 'aws',
        TABLE_NAME: { Ref: only('AWS::DynamoDB::Table').id },
        NODE_OPTIONS: '--enable-source-maps',
        PUBLIC_BASE_URL: { 'Fn::GetAtt': [only('AWS::ApiGatewayV2::Api').id, 'ApiEndpoint'] },
      });
      expect(Object.keys(variables).filter((key) => secretNames.includes(key)), name).toEqual([]);
      // Not even as a CloudFormation dynamic reference, which would resolve to the value at deploy time.
      expect(JSON.stringify(variables), name).not.toMatch(/resolve:secretsmanager|SecretString/);
    }
    expect(variablesOf('OutboxFunction')).not.toHaveProperty('ESCALATION_FUNCTION_ARN');
  });

  it('generates the token and hash key and creates the provider credentials empty, so no value is in the template', () => {
    const secrets = template.findResources('AWS::SecretsManager::Secret') as Resources;
    expect(Object.keys(secrets).sort()).toEqual(
      [secretId('AtWebhookToken'), secretId('KannelWebhookToken'), secretId('PhoneHashKey'), secretId('ProviderCredentials'), secretId('ConsoleSessionSecret')].sort(),
    );
    const generated = (path: string) =>
      (at(path).resource.Properties as { GenerateSecretString?: { GenerateStringKey: string } }).GenerateSecretString;
    expect(generated('AtWebhookToken')?.GenerateStringKey).toBe('AT_WEBHOOK_TOKEN');
    expect(generated('PhoneHashKey')?.GenerateStringKey).toBe('PHONE_HASH_KEY');
    for (const path of ['AtWebhookToken', 'PhoneHashKey']) expect(at(path).resource.Properties).not.toHaveProperty('SecretString');
    // The operator fills it with put-secret-value; the template holds an empty JSON object and nothing generated.
    expect(at('ProviderCredentials').resource.Properties).toMatchObject({ SecretString: '{}' });
    expect(generated('ProviderCredentials')).toBeUndefined();
    expect(at('PhoneHashKey').resource.DeletionPolicy).toBe('Retain');
  });

  it('lets each function read only its table (and key) and its own secrets, with no wildcard and no managed policy', () => {
    const table = only('AWS::DynamoDB::Table').id;
    const tableKey = at('TableKey').id;
    for (const name of FUNCTIONS) {
      const statements = statementsOf(name);
      expect(statements.map((s) => JSON.stringify(s.Resource)).some((r) => r.includes('"*"')), name).toBe(false);
      expect(statements.flatMap(actions).some((action) => action.endsWith(':*')), name).toBe(false);
      // The fan-out alone also writes in batches (store/bulk-messages.ts).
      const batch = name === 'BroadcastFunction' ? ['dynamodb:BatchWriteItem'] : [];
      // The outbox alone reads no batch: it builds only the messages and the subscriptions (shared/runtime.ts).
      const itemActions = name === 'OutboxFunction' ? TABLE_ACTIONS.filter((action) => action !== 'dynamodb:BatchGetItem') : TABLE_ACTIONS;
      expect(actionsOn(name, table), name).toEqual([...batch, ...itemActions].sort());
      expect(actionsOn(name, tableKey), name).toEqual(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*']);
      const secretStatements = statements.filter((s) => actions(s).some((a) => a.startsWith('secretsmanager:')));
      expect(secretStatements, name).toEqual([
        expect.objectContaining({
          Action: 'secretsmanager:GetSecretValue',
          Resource: [...secretsArnOf(name)].sort().map((id) => ({ Ref: id })),
        }),
      ]);
    }
    template.allResourcesProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });

  it('lets USSD, SMS and escalation only send to the outbox queue, and the outbox function consume it and only send to the DLQ', () => {
    const queue = at('OutboxQueue').id;
    const deadLetters = at('OutboxDeadLetterQueue').id;
    const sqsActions = (name: FunctionName) => statementsOf(name).flatMap(actions).filter((a) => a.startsWith('sqs:'));

    expect(actionsOn('SmsFunction', queue)).toEqual(['sqs:SendMessage']);
    expect(actionsOn('SmsFunction', deadLetters)).toEqual([]);
    expect(sqsActions('SmsFunction')).toEqual(['sqs:SendMessage']);

    expect(actionsOn('OutboxFunction', queue)).toEqual(
      expect.arrayContaining(['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:ReceiveMessage']),
    );
    expect(actionsOn('OutboxFunction', queue)).not.toContain('sqs:SendMessage');
    expect(actionsOn('OutboxFunction', deadLetters)).toEqual(['sqs:SendMessage']);

    // USSD and SMS start escalations and the escalation function moves them on: each pages officers by SMS.
    for (const name of ['UssdFunction', 'EscalationFunction'] as const) {
      expect(actionsOn(name, queue), name).toEqual(['sqs:SendMessage']);
      expect(sqsActions(name), name).toEqual(['sqs:SendMessage']);
    }
  });
});

describe('HotlineStack: SMS outbox', () => {
  it('encrypts every queue (the outbox with SSE-SQS, the report journal under the table key) and refuses requests without TLS', () => {
    const queues = template.findResources('AWS::SQS::Queue') as Resources;
    const outboxQueues = [at('OutboxQueue').id, at('OutboxDeadLetterQueue').id, at('BroadcastQueue').id];
    const journalQueues = [at('ReportJournalQueue').id, at('ReportJournalDeadLetterQueue').id];
    expect(Object.keys(queues).sort()).toEqual([...outboxQueues, ...journalQueues].sort());
    for (const [id, queue] of Object.entries(queues)) {
      if (outboxQueues.includes(id)) expect(queue.Properties, id).toMatchObject({ SqsManagedSseEnabled: true });
      else {
        // Report text waiting for the table: the table's own key, so exactly who may read the table may read it.
        expect(queue.Properties, id).toMatchObject({
          KmsMasterKeyId: { 'Fn::GetAtt': [at('TableKey').id, 'Arn'] },
          KmsDataKeyReusePeriodSeconds: 300,
        });
      }
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('redrives to the dead-letter queue one receive after the last attempt, and keeps dead letters 14 days', () => {
    const deadLetters = at('OutboxDeadLetterQueue');
    expect(deadLetters.resource.Properties).toMatchObject({ MessageRetentionPeriod: 14 * 24 * 3600 });
    expect(deadLetters.resource.Properties).not.toHaveProperty('RedrivePolicy');
    const queue = at('OutboxQueue').resource.Properties as { RedrivePolicy: unknown; VisibilityTimeout: number };
    expect(queue.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [deadLetters.id, 'Arn'] },
      maxReceiveCount: SMS_MAX_ATTEMPTS + 1,
    });
    // The function gives up on its own after SMS_MAX_ATTEMPTS: the same constant.
    expect(variablesOf('OutboxFunction').SMS_MAX_ATTEMPTS).toBe(String(SMS_MAX_ATTEMPTS));
    const outboxTimeout = (at('OutboxFunction').resource.Properties as { Timeout: number }).Timeout;
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * outboxTimeout);
  });

  it('tells each function where the queues are', () => {
    const queueUrl = { Ref: at('OutboxQueue').id };
    expect(variablesOf('SmsFunction')).toMatchObject({ OUTBOX_QUEUE_URL: queueUrl });
    expect(variablesOf('SmsFunction')).not.toHaveProperty('DEAD_LETTER_QUEUE_URL');
    expect(variablesOf('OutboxFunction')).toMatchObject({
      OUTBOX_QUEUE_URL: queueUrl,
      DEAD_LETTER_QUEUE_URL: { Ref: at('OutboxDeadLetterQueue').id },
    });
  });

  it('feeds the outbox function from the queue in batches of 10, reporting partial batch failures, at most 10 at once', () => {
    const properties = mappingOf('OutboxQueue');
    expect(properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [at('OutboxQueue').id, 'Arn'] },
      FunctionName: { Ref: at('OutboxFunction').id },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 10 },
    });
    expect(properties.MaximumBatchingWindowInSeconds).toBeGreaterThanOrEqual(1);
    expect(properties.MaximumBatchingWindowInSeconds).toBeLessThanOrEqual(5);
    const queue = at('OutboxQueue').resource.Properties as { VisibilityTimeout: number };
    const outboxTimeout = (at('OutboxFunction').resource.Properties as { Timeout: number }).Timeout;
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * outboxTimeout + (properties.MaximumBatchingWindowInSeconds as number));
  });

  it('alarms an encrypted, TLS-only topic as soon as one message is in the dead-letter queue', () => {
    const topic = at('AlarmTopic');
    const { resource } = at('OutboxDeadLetterAlarm');
    expect(resource.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [at('OutboxDeadLetterQueue').id, 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topic.id }],
    });
    const alarmName = (resource.Properties as { AlarmName: string }).AlarmName;

    // CloudWatch cannot publish under the AWS-managed SNS key: a customer-managed key that lets it, for this
    // stack's alarms.
    const alarmKey = at('AlarmTopicKey');
    expect(topic.resource.Properties).toMatchObject({ KmsMasterKeyId: { 'Fn::GetAtt': [alarmKey.id, 'Arn'] } });
    expect(alarmKey.resource.Properties).toMatchObject({ EnableKeyRotation: true });
    const keyStatements = (alarmKey.resource.Properties as { KeyPolicy: { Statement: Statement[] } }).KeyPolicy.Statement;
    const cloudWatchUse = keyStatements.find((s) => JSON.stringify(s.Principal) === '{"Service":"cloudwatch.amazonaws.com"}');
    expect(cloudWatchUse).toMatchObject({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] });

    const topicStatements = (only('AWS::SNS::TopicPolicy').resource.Properties as { PolicyDocument: { Statement: Statement[] } })
      .PolicyDocument.Statement;
    expect(topicStatements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    const publish = topicStatements.find((s) => s.Effect === 'Allow');
    expect(publish).toMatchObject({ Action: 'sns:Publish', Principal: { Service: 'cloudwatch.amazonaws.com' }, Resource: { Ref: topic.id } });
    // Scoped to this stack's alarms (the alarm name's prefix), in the key policy as in the topic policy.
    for (const statement of [publish, cloudWatchUse]) {
      const sourceArn = JSON.stringify((statement?.Condition as { ArnLike: Record<string, unknown> }).ArnLike['aws:SourceArn']);
      const prefix = /:alarm:([^"*]+)\*/.exec(sourceArn)?.[1];
      expect(prefix, sourceArn).toBeDefined();
      expect(alarmName.startsWith(prefix!)).toBe(true);
    }
  });
});

describe('HotlineStack: on-call escalation', () => {
  const role = () => at('EscalationSchedulerRole');
  /** The schedule group is an L1 construct: its own CloudFormation element, no `Resource` child. */
  const groupId = () => stack.getLogicalId(stack.node.findChild('EscalationSchedules') as CfnElement);
  const group = () => ({ Ref: groupId() });
  const escalationArn = () => ({ 'Fn::GetAtt': [at('EscalationFunction').id, 'Arn'] });
  const roleArn = () => ({ 'Fn::GetAtt': [role().id, 'Arn'] });
  const schedulingFunctions = ['UssdFunction', 'SmsFunction', 'VoiceFunction', 'EscalationFunction', 'IntakeReplayFunction'] as const;

  it('tells every function that pages officers the same timers, the scheduler role and the schedule group', () => {
    for (const name of schedulingFunctions) {
      expect(variablesOf(name), name).toMatchObject({
        OUTBOX_QUEUE_URL: { Ref: at('OutboxQueue').id },
        ESCALATION_ACK_TIMEOUT_SECONDS: '600',
        ESCALATION_REPEAT_COUNT: '2',
        ESCALATION_SCHEDULER_ROLE_ARN: roleArn(),
        ESCALATION_SCHEDULE_GROUP: group(),
      });
    }
    // The channels and the replay target the escalation function; it takes its own ARN from the invocation (no cycle).
    for (const name of CHANNELS) expect(variablesOf(name).ESCALATION_FUNCTION_ARN, name).toEqual(escalationArn());
    expect(variablesOf('EscalationFunction')).not.toHaveProperty('ESCALATION_FUNCTION_ARN');
    // Every ESCALATION_ variable is one the configuration reads, and the values parse in aws mode.
    for (const name of FUNCTIONS) {
      const variables = variablesOf(name);
      for (const key of Object.keys(variables).filter((k) => k.startsWith('ESCALATION_'))) {
        expect(Object.keys(escalationEnvShape), `${name} ${key}`).toContain(key);
      }
    }
    const config = loadWholeConfig({
      ESCALATION_ACK_TIMEOUT_SECONDS: variablesOf('SmsFunction').ESCALATION_ACK_TIMEOUT_SECONDS as string,
      ESCALATION_REPEAT_COUNT: variablesOf('SmsFunction').ESCALATION_REPEAT_COUNT as string,
      ESCALATION_FUNCTION_ARN: 'arn:aws:lambda:eu-west-2:123456789012:function:SafeJobHotline-EscalationFunction',
      ESCALATION_SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/SafeJobHotline-EscalationSchedulerRole',
      ESCALATION_SCHEDULE_GROUP: 'EscalationSchedules-abc123',
    }).escalation;
    expect(config).toMatchObject({ ackTimeoutSeconds: 600, repeatCount: 2 });
  });

  it('lets USSD, SMS, voice, replay and escalation create schedules only in the escalation group and pass only the scheduler role, to the scheduler', () => {
    for (const name of FUNCTIONS) {
      const statements = statementsOf(name);
      const create = statements.filter((s) => actions(s).some((a) => a.startsWith('scheduler:')));
      const pass = statements.filter((s) => actions(s).includes('iam:PassRole'));
      if (name === 'OutboxFunction' || name === 'BroadcastFunction') {
        expect(create, name).toEqual([]);
        expect(pass, name).toEqual([]);
        continue;
      }
      expect(create, name).toHaveLength(1);
      expect(create[0]!.Action, name).toBe('scheduler:CreateSchedule');
      const resource = JSON.stringify(create[0]!.Resource);
      expect(resource).toContain(':scheduler:');
      expect(resource).toContain(`{"Ref":"${groupId()}"}`);
      expect(resource).toMatch(/schedule\/"?,?.*\/\*"/);
      expect(pass, name).toEqual([
        expect.objectContaining({
          Action: 'iam:PassRole',
          Resource: roleArn(),
          Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
      ]);
    }
  });

  it('has a scheduler role that only EventBridge Scheduler of this account assumes, and that may only invoke the escalation function', () => {
    const trust = (role().resource.Properties as { AssumeRolePolicyDocument: { Statement: Statement[] } }).AssumeRolePolicyDocument.Statement;
    expect(trust).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    ]);
    const policies = Object.values(template.findResources('AWS::IAM::Policy') as Resources).filter(
      (policy) => JSON.stringify((policy.Properties as { Roles: unknown }).Roles) === JSON.stringify([{ Ref: role().id }]),
    );
    expect(policies).toHaveLength(1);
    expect((policies[0]!.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement).toEqual([
      expect.objectContaining({ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: escalationArn() }),
    ]);
  });

  it('sweeps overdue escalations on a recurring schedule in the same group, with the same role', () => {
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule') as Resources);
    expect(schedules).toHaveLength(1);
    expect(schedules[0]!.Properties).toMatchObject({
      GroupName: group(),
      ScheduleExpression: ESCALATION_SWEEP_RATE,
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: { Arn: escalationArn(), RoleArn: roleArn(), Input: JSON.stringify({ sweep: true }) },
    });
    expect(Object.keys(template.findResources('AWS::Scheduler::ScheduleGroup'))).toEqual([groupId()]);
  });

  it('alarms the operators when an escalation is left open, from the logs of every function that can leave one', () => {
    const filters = Object.values(template.findResources('AWS::Logs::MetricFilter') as Resources);
    // Every function that starts escalations (a report that finds nobody to page) or moves them on.
    expect(filters.map((f) => (f.Properties as { LogGroupName: { Ref: string } }).LogGroupName.Ref).sort()).toEqual(
      ['EscalationFunction', 'SmsFunction', 'UssdFunction', 'VoiceFunction', 'IntakeReplayFunction', 'ConsoleFunction'].map((name) => at(`${name}Logs`).id).sort(),
    );
    for (const filter of filters) {
      expect(filter.Properties).toMatchObject({
        FilterPattern: `{ $.message = "${ESCALATION_EXHAUSTED_MESSAGE}" }`,
        MetricTransformations: [{ MetricNamespace: ESCALATION_METRIC.namespace, MetricName: ESCALATION_METRIC.metricName, MetricValue: '1' }],
      });
    }
    const alarm = at('EscalationExhaustedAlarm').resource.Properties as Record<string, unknown>;
    expect(alarm).toMatchObject({
      Namespace: ESCALATION_METRIC.namespace,
      MetricName: ESCALATION_METRIC.metricName,
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: at('AlarmTopic').id }],
    });
    const deadLetterAlarmName = (at('OutboxDeadLetterAlarm').resource.Properties as { AlarmName: string }).AlarmName;
    // The same stack prefix as the dead-letter alarm: the topic's policy admits it.
    expect((alarm.AlarmName as string).split('-')[0]).toBe(deadLetterAlarmName.split('-')[0]);
  });

  it('outputs the rota import command with the phone hash key secret, not its value', () => {
    const output = (template.toJSON().Outputs as Record<string, { Value: unknown }>).OfficersImportCommand!;
    const text = JSON.stringify(output.Value);
    expect(text).toContain('npm run officers:import -- rota.csv');
    expect(text).toContain('HOTLINE_MODE=aws');
    expect(text).toContain(`{"Ref":"${secretId('PhoneHashKey')}"}`);
  });
});

describe('HotlineStack: HTTP API', () => {
  it('has exactly the USSD, SMS and voice webhook routes, the recordings, and no /dev/ route', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route') as Resources);
    const routeKeys = routes.map((route) => (route.Properties as { RouteKey: string }).RouteKey).sort();
    expect(routeKeys).toEqual([
      'GET /audio/{proxy+}',
      'GET /console',
      'GET /console/{proxy+}',
      'GET /health',
      'GET /health/deep',
      'GET /sms/kannel',
      'GET /sms/kannel/delivery',
      'GET /ussd/kannel',
      'POST /console/{proxy+}',
      'POST /sms/africastalking',
      'POST /sms/africastalking/delivery',
      'POST /sms/kannel',
      'POST /sms/twilio',
      'POST /sms/twilio/status',
      'POST /ussd/africastalking',
      'POST /ussd/africastalking/events',
      'POST /ussd/kannel',
      'POST /voice/africastalking',
      'POST /voice/africastalking/studio',
      'POST /voice/twilio',
      'POST /voice/twilio/studio',
      'POST /voice/twilio/whisper',
      'GET /recordings/{reference}',
    ].sort());
    expect(routeKeys.filter((key) => /^\/dev/.test(key.split(' ')[1]!))).toEqual([]);
    expect(routeKeys).not.toContain('$default');
  });

  it('sends each route to the function that serves it', () => {
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration') as Resources;
    const functionOf = (routeKey: string) => {
      const route = Object.values(template.findResources('AWS::ApiGatewayV2::Route') as Resources).find(
        (r) => (r.Properties as { RouteKey: string }).RouteKey === routeKey,
      );
      const target = JSON.stringify((route?.Properties as { Target: unknown }).Target);
      const integrationId = Object.keys(integrations).find((id) => target.includes(`"${id}"`));
      return (integrations[integrationId!]!.Properties as { IntegrationUri: { 'Fn::GetAtt': [string, string] } }).IntegrationUri[
        'Fn::GetAtt'
      ][0];
    };
    for (const route of USSD_ROUTES) expect(functionOf(`${route.method} ${route.path}`), route.path).toBe(at('UssdFunction').id);
    for (const route of SMS_ROUTES) expect(functionOf(`${route.method} ${route.path}`), route.path).toBe(at('SmsFunction').id);
    for (const route of VOICE_ROUTES) expect(functionOf(`${route.method} ${route.path}`), route.path).toBe(at('VoiceFunction').id);
  });

  it('routes only to paths the apps serve', () => {
    const notStarted = () => Promise.reject(new Error('not started in this test'));
    const served = createUssdApp(notStarted).routes;
    for (const route of USSD_ROUTES) {
      expect(served.some((r) => r.method === route.method && r.path === route.path), route.path).toBe(true);
    }
    const smsServed = createSmsApp(notStarted).routes;
    for (const route of SMS_ROUTES) {
      expect(smsServed.some((r) => r.method === route.method && r.path === route.path), route.path).toBe(true);
    }
    // As functions/voice/index.ts builds it on Lambda: the recordings from the bucket, under one greedy path.
    const voiceServed = createVoiceApp(notStarted).routes;
    // API Gateway names a path parameter `{name}`, Hono `:name`.
    const honoPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');
    for (const route of VOICE_ROUTES) {
      const path = honoPath(route.path.replace('{proxy+}', '*'));
      expect(voiceServed.some((r) => r.method === route.method && r.path === path), route.path).toBe(true);
    }
    // Every POST the voice app serves is routed (a callback path it answers but the API does not route would 404).
    const voicePosts = voiceServed.filter((r) => r.method === 'POST').map((r) => r.path);
    expect([...new Set(voicePosts)].sort()).toEqual(VOICE_ROUTES.filter((r) => r.method === 'POST').map((r) => r.path).sort());
  });

  it('logs every request as JSON to a log group, without the query string, and throttles', () => {
    const { resource } = only('AWS::ApiGatewayV2::Stage');
    const properties = resource.Properties as {
      StageName: string;
      AutoDeploy: boolean;
      AccessLogSettings: { DestinationArn: unknown; Format: string };
      DefaultRouteSettings: Record<string, number>;
    };
    expect(properties.StageName).toBe('$default');
    expect(properties.AutoDeploy).toBe(true);
    expect((properties.AccessLogSettings.DestinationArn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]).toBe(at('ApiAccessLogs').id);
    const format = JSON.parse(properties.AccessLogSettings.Format) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
    // The Africa's Talking token travels as ?token=: nothing that could hold the query string is logged.
    expect(properties.AccessLogSettings.Format).not.toMatch(/querystring|requestOverride/i);
    expect(properties.DefaultRouteSettings).toEqual({ ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 });
  });

  it('throttles every route on its own (ROUTE_THROTTLES), callers apart from delivery reports, all within the account limit', () => {
    const { id: stageId, resource } = only('AWS::ApiGatewayV2::Stage');
    const settings = (resource.Properties as { RouteSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> }).RouteSettings;
    const routes = Object.entries(template.findResources('AWS::ApiGatewayV2::Route') as Resources);
    // One bucket per served route, none left on the shared default.
    expect(Object.keys(settings).sort()).toEqual(routes.map(([, route]) => (route.Properties as { RouteKey: string }).RouteKey).sort());
    const throttleOf = (key: string) => ({ rateLimit: settings[key]!.ThrottlingRateLimit, burstLimit: settings[key]!.ThrottlingBurstLimit });
    for (const key of ['POST /ussd/africastalking', 'GET /ussd/kannel', 'POST /sms/twilio', 'POST /sms/africastalking', 'POST /voice/twilio', 'POST /voice/africastalking']) {
      expect(throttleOf(key), key).toEqual(ROUTE_THROTTLES.caller);
    }
    for (const key of ['POST /sms/twilio/status', 'POST /sms/africastalking/delivery', 'GET /sms/kannel/delivery', 'POST /ussd/africastalking/events']) {
      expect(throttleOf(key), key).toEqual(ROUTE_THROTTLES.report);
    }
    expect(throttleOf('GET /health/deep')).toEqual(ROUTE_THROTTLES.health);
    expect(throttleOf('POST /console/{proxy+}')).toEqual(ROUTE_THROTTLES.console);
    // Every route flooded at once still fits AWS's account-wide 10,000 requests a second.
    expect(Object.values(settings).reduce((sum, route) => sum + route.ThrottlingRateLimit, 0)).toBeLessThanOrEqual(10_000);
    // RouteSettings name routes by key: the stage waits for every route.
    const dependsOn = (template.toJSON().Resources as Resources)[stageId]!.DependsOn as string[];
    for (const [routeId] of routes) expect(dependsOn, routeId).toContain(routeId);
  });

  it('outputs the webhook URLs, where to read the token and the alarm topic, but no secret value', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining([
        'ApiUrl',
        'HealthUrl',
        'UssdCallbackUrl',
        'UssdEventsCallbackUrl',
        'SmsCallbackUrl',
        'SmsDeliveryReportsUrl',
        'TwilioSmsWebhookUrl',
        'VoiceCallbackUrl',
        'TwilioVoiceWebhookUrl',
        'RegistryImportCommand',
        'ReportJournalDeadLetterQueueUrl',
        'AtWebhookTokenCommand',
        'ProviderCredentialsCommand',
        'AlarmTopicArn',
        'OfficersImportCommand',
      ]),
    );
    const endpoint = { 'Fn::GetAtt': [only('AWS::ApiGatewayV2::Api').id, 'ApiEndpoint'] };
    const url = (suffix: string) => ({ 'Fn::Join': ['', [endpoint, suffix]] });
    expect(outputs.UssdCallbackUrl!.Value).toEqual(url('/ussd/africastalking?token='));
    expect(outputs.SmsCallbackUrl!.Value).toEqual(url('/sms/africastalking?token='));
    expect(outputs.SmsDeliveryReportsUrl!.Value).toEqual(url('/sms/africastalking/delivery?token='));
    expect(outputs.TwilioSmsWebhookUrl!.Value).toEqual(url('/sms/twilio'));
    expect(outputs.VoiceCallbackUrl!.Value).toEqual(url('/voice/africastalking?token='));
    expect(outputs.TwilioVoiceWebhookUrl!.Value).toEqual(url('/voice/twilio'));
    // Every routed POST path has an output URL to paste into a provider console.
    const urls = Object.values(outputs).map((output) => JSON.stringify(output.Value));
    for (const route of [...USSD_ROUTES, ...SMS_ROUTES, ...VOICE_ROUTES].filter((r) => r.method === 'POST')) {
      // The Twilio status callback is set per message by the sender; it needs no console setting.
      if (route.path === '/sms/twilio/status') continue;
      // The whisper is named in the urgent Dial's TwiML (<Number url>); it needs no console setting either.
      if (route.path === '/voice/twilio/whisper') continue;
      expect(urls.some((text) => text.includes(`"${route.path}"`) || text.includes(`"${route.path}?token="`)), route.path).toBe(true);
    }
    expect(JSON.stringify(outputs.RegistryImportCommand)).toContain('npm run registry:import -- registry.csv');
    expect(JSON.stringify(outputs.AtWebhookTokenCommand)).toContain('aws secretsmanager get-secret-value');
    expect(outputs.AlarmTopicArn!.Value).toEqual({ Ref: at('AlarmTopic').id });
  });

  it('outputs the put-secret-value command for the provider credentials, with the keys the configuration reads', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: { 'Fn::Join': [string, unknown[]] } }>;
    const [, parts] = outputs.ProviderCredentialsCommand!.Value['Fn::Join'];
    expect(parts).toHaveLength(3);
    expect(parts[0]).toBe('aws secretsmanager put-secret-value --secret-id ');
    expect(parts[1]).toEqual({ Ref: secretId('ProviderCredentials') });
    const match = /^ --secret-string '(\{[^']*\})'$/.exec(parts[2] as string);
    expect(match, parts[2] as string).not.toBeNull();
    const keys = Object.keys(JSON.parse(match![1]!) as Record<string, string>);
    expect(keys).toEqual([
      'AT_USERNAME',
      'AT_API_KEY',
      'AT_SENDER_ID',
      'TWILIO_ACCOUNT_SID',
      'TWILIO_AUTH_TOKEN',
      'TWILIO_FROM',
      'KANNEL_SENDSMS_URL',
      'KANNEL_USERNAME',
      'KANNEL_PASSWORD',
      'KANNEL_SMSC_ROUTES',
    ]);
    // Filled in with well-formed values, these keys configure every sender (a misspelt key would be ignored).
    const example: Record<string, string> = {
      AT_USERNAME: 'safejob',
      AT_API_KEY: 'atsk_0123456789',
      AT_SENDER_ID: 'SafeJob',
      TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'twilio-auth-token',
      TWILIO_FROM: '+447700900123',
      KANNEL_SENDSMS_URL: 'https://sms.example.org/cgi-bin/sendsms',
      KANNEL_USERNAME: 'hotline',
      KANNEL_PASSWORD: 'sendsms-password',
      KANNEL_SMSC_ROUTES: 'tcell=SMPP_TCELL,megafon=SMPP_MEGAFON,zet-mobile=SMPP_ZET,babilon-m=SMPP_BABILON,o-mobile=SMPP_OMOBILE',
    };
    const config = loadWholeConfig({
      HOTLINE_MODE: 'aws',
      AT_WEBHOOK_TOKEN: 'x'.repeat(48),
      // The Kannel token comes from its own generated secret.
      KANNEL_WEBHOOK_TOKEN: 'z'.repeat(48),
      PHONE_HASH_KEY: 'y'.repeat(64),
      PUBLIC_BASE_URL: 'https://abc123.execute-api.eu-west-2.amazonaws.com',
      ...Object.fromEntries(keys.map((key) => [key, example[key]])),
    });
    expect(config.africastalking).toEqual({ username: 'safejob', apiKey: 'atsk_0123456789', senderId: 'SafeJob' });
    expect(config.twilio.sending).toBeDefined();
    expect(config.kannel.sending?.smscRoutes).toEqual({ tcell: 'SMPP_TCELL', megafon: 'SMPP_MEGAFON', 'zet-mobile': 'SMPP_ZET', 'babilon-m': 'SMPP_BABILON', 'o-mobile': 'SMPP_OMOBILE' });
  });
});

describe('HotlineStack: least privilege', () => {
  /** A readable name for a policy resource: the construct it is, or what it covers. */
  function label(resource: unknown): string {
    const json = JSON.stringify(resource);
    if (json.includes(':scheduler:')) return 'EscalationSchedules/*';
    const named = [
      'Table',
      'TableKey',
      'NumberVaultKey',
      'OutboxQueue',
      'OutboxDeadLetterQueue',
      'BroadcastQueue',
      'ReportJournalQueue',
      'ReportJournalDeadLetterQueue',
      'AtWebhookToken',
      'KannelWebhookToken',
      'PhoneHashKey',
      'ProviderCredentials',
      'EscalationSchedulerRole',
      'PromptAudioBucket',
      ...FUNCTIONS.map((name) => `${name}Logs`),
    ];
    // An object ARN: the bucket's ARN joined with a key pattern.
    const [first, suffix] = ((resource as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join']?.[1] ?? []) as [unknown, unknown];
    if (first && typeof suffix === 'string') return `${label(first)}${suffix}`;
    const id = (resource as { 'Fn::GetAtt'?: [string]; Ref?: string })['Fn::GetAtt']?.[0] ?? (resource as { Ref?: string }).Ref;
    return named.find((path) => at(path).id === id) ?? json;
  }

  /** Every "action resource [condition]" a function's role allows, sorted, without duplicates. */
  function grantsOf(name: FunctionName): string[] {
    const grants = statementsOf(name).flatMap((statement) => {
      expect(statement.Effect).toBe('Allow');
      const condition = statement.Condition ? ` if ${JSON.stringify(statement.Condition)}` : '';
      return actions(statement).flatMap((action) => [statement.Resource].flat().map((r) => `${action} ${label(r)}${condition}`));
    });
    return [...new Set(grants)].sort();
  }

  /** The table grant's condition: the function's partition families only (infra/constructs/table-access.ts). */
  const onItsItems = (name: FunctionName) => ` if ${JSON.stringify({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': leadingKeys(TABLE_ACCESS[name]) } })}`;
  const basics = (name: FunctionName, secrets: string[]) => [
    `logs:CreateLogStream ${name}Logs`,
    `logs:PutLogEvents ${name}Logs`,
    ...TABLE_ACTIONS.map((action) => `${action} Table${onItsItems(name)}`),
    // DynamoDB (and SQS, for the journal) use the table key on the caller's behalf.
    ...['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'].map((action) => `${action} TableKey`),
    ...secrets.map((secret) => `secretsmanager:GetSecretValue ${secret}`),
  ];
  const scheduling = [
    'scheduler:CreateSchedule EscalationSchedules/*',
    'iam:PassRole EscalationSchedulerRole if {"StringEquals":{"iam:PassedToService":"scheduler.amazonaws.com"}}',
  ];
  const vault = (...kmsActions: string[]) =>
    kmsActions.map((action) => `${action} NumberVaultKey if {"StringEquals":{"kms:EncryptionContext:purpose":"reporter-callback-number"}}`);
  const consumes = (queue: string) =>
    ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'].map(
      (action) => `${action} ${queue}`,
    );
  const sends = (...queues: string[]) => queues.map((queue) => `sqs:SendMessage ${queue}`);
  const generated = ['AtWebhookToken', 'PhoneHashKey'];
  const withProvider = ['AtWebhookToken', 'PhoneHashKey', 'ProviderCredentials'];
  // Kannel's webhooks (USSD, SMS) and the delivery report URLs the outbox gives Kannel carry its token.
  const withKannel = (secrets: string[]) => [...secrets, 'KannelWebhookToken'];

  const EXPECTED: Record<FunctionName, string[]> = {
    UssdFunction: [...basics('UssdFunction', withKannel(generated)), ...sends('OutboxQueue', 'ReportJournalQueue'), ...scheduling, ...vault('kms:Encrypt')],
    // Opens a sealed number: an officer's ACK or DONE by SMS texts the reporter; CALL hands it to the voice bridge.
    SmsFunction: [
      ...basics('SmsFunction', withKannel(withProvider)),
      ...sends('OutboxQueue', 'ReportJournalQueue'),
      ...scheduling,
      ...vault('kms:Decrypt', 'kms:Encrypt'),
    ],
    // Opens a sealed number only to dial it when an officer picks up an Africa's Talking CALL bridge.
    // Serves every recording; saves the studio line's takes under studio/ only.
    VoiceFunction: [
      ...basics('VoiceFunction', withProvider),
      's3:GetObject PromptAudioBucket/*',
      's3:PutObject PromptAudioBucket/studio/*',
      ...sends('OutboxQueue', 'ReportJournalQueue'),
      ...scheduling,
      ...vault('kms:Decrypt', 'kms:Encrypt'),
    ],
    OutboxFunction: [
      ...basics('OutboxFunction', withKannel(withProvider)).filter((grant) => !grant.startsWith('dynamodb:BatchGetItem ')),
      ...consumes('OutboxQueue'),
      ...consumes('BroadcastQueue'),
      ...sends('OutboxDeadLetterQueue'),
    ],
    // Fans broadcasts out: batch writes of 25, each subscriber's number opened, the bulk queue only.
    BroadcastFunction: [
      ...basics('BroadcastFunction', generated),
      `dynamodb:BatchWriteItem Table${onItsItems('BroadcastFunction')}`,
      ...sends('BroadcastQueue'),
      ...vault('kms:Decrypt'),
    ],
    // No vault: pages and timeouts never text a reporter.
    EscalationFunction: [...basics('EscalationFunction', generated), ...sends('OutboxQueue'), ...scheduling],
    // No vault: a journal entry carries the number already sealed, and starting an escalation opens none.
    IntakeReplayFunction: [
      ...basics('IntakeReplayFunction', generated),
      ...consumes('ReportJournalQueue'),
      ...sends('OutboxQueue', 'ReportJournalDeadLetterQueue'),
      ...scheduling,
    ],
  };

  it('limits each function to the partition families it uses (dynamodb:LeadingKeys), and nobody but the console to its own', () => {
    const table = { 'Fn::GetAtt': [only('AWS::DynamoDB::Table').id, 'Arn'] };
    for (const name of [...FUNCTIONS, 'ConsoleFunction'] as const) {
      const onTable = statementsOf(name).filter((s) => JSON.stringify([s.Resource].flat()).includes(JSON.stringify(table)));
      expect(onTable.length, name).toBeGreaterThan(0);
      for (const statement of onTable) {
        expect(statement.Condition, name).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': leadingKeys(TABLE_ACCESS[name]) } });
        // ForAllValues holds for a request without a leading key (a Scan): Scan must never be granted.
        expect(actions(statement), name).not.toContain('dynamodb:Scan');
      }
      for (const family of TABLE_ACCESS[name]) expect(ALL_FAMILIES, `${name}: ${family}`).toContain(family);
    }
    expect(template.findResources('AWS::DynamoDB::Table', { Properties: { GlobalSecondaryIndexes: Match.anyValue() } })).toEqual({});
    // The console's sessions, sign-ins, audit, partners and referrals: no other function may touch them.
    for (const family of ['CONSOLESESSION#', 'CONSOLELOGIN#', 'CONSOLEAUDIT', 'PARTNERS', 'REFERRALS#']) {
      for (const name of FUNCTIONS) expect(TABLE_ACCESS[name], `${name}: ${family}`).not.toContain(family);
      expect(TABLE_ACCESS.ConsoleFunction).toContain(family);
    }
    // Background functions: no caller data beyond what they send.
    expect(TABLE_ACCESS.OutboxFunction).not.toContain('CALLER#');
    expect(TABLE_ACCESS.OutboxFunction).not.toContain('REPORT#');
    expect(TABLE_ACCESS.EscalationFunction).not.toContain('CALLER#');
    expect(TABLE_ACCESS.BroadcastFunction).not.toContain('REPORT#');
    // Unfinished intakes (INTAKES) are marked by the channels and completed by the intake replay's repair schedule;
    // the escalation sweeper, which reads no intake, is not given them.
    for (const name of ['UssdFunction', 'SmsFunction', 'VoiceFunction', 'IntakeReplayFunction'] as const) expect(TABLE_ACCESS[name], name).toContain('INTAKES');
    for (const name of ['EscalationFunction', 'OutboxFunction', 'BroadcastFunction'] as const) expect(TABLE_ACCESS[name], name).not.toContain('INTAKES');
  });

  it('lets only the SMS, voice, broadcast and console functions open the number vault', () => {
    const vaultKey = JSON.stringify({ 'Fn::GetAtt': [at('NumberVaultKey').id, 'Arn'] });
    const opens = (name: FunctionName | 'ConsoleFunction') =>
      statementsOf(name).some((s) => actions(s).includes('kms:Decrypt') && JSON.stringify([s.Resource].flat()).includes(vaultKey));
    const openers = ([...FUNCTIONS, 'ConsoleFunction'] as const).filter(opens);
    expect(openers.sort()).toEqual(['BroadcastFunction', 'ConsoleFunction', 'SmsFunction', 'VoiceFunction']);
    // And nobody holds kms:Decrypt on any key at all by a wildcard.
    for (const name of [...FUNCTIONS, 'ConsoleFunction'] as const) {
      for (const statement of statementsOf(name).filter((s) => actions(s).includes('kms:Decrypt'))) {
        expect(JSON.stringify(statement.Resource), name).not.toContain('"*"');
      }
    }
  });

  it('gives each function exactly the actions on exactly the resources it uses', () => {
    for (const name of FUNCTIONS) expect(grantsOf(name), name).toEqual([...new Set(EXPECTED[name])].sort());
  });

  /** A function's bundle: its asset folder in the cloud assembly, named after the hash that is also its S3 key. */
  function assetOf(name: FunctionName | 'ConsoleFunction'): string {
    const { S3Key } = (at(name).resource.Properties as { Code: { S3Key: string } }).Code;
    return join(outdir, `asset.${S3Key.replace(/\.zip$/, '')}`);
  }

  it("deploys each function's texts as files beside its code, one per language (infra/bundling.ts)", () => {
    for (const name of [...FUNCTIONS, 'ConsoleFunction'] as const) {
      const texts = readdirSync(join(assetOf(name), 'texts'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.json'));
      const consoleWords = name === 'ConsoleFunction' ? ['console/en.json', 'console/ru.json', 'console/tg.json'] : [];
      expect(texts.sort(), name).toEqual(['en.json', 'ky.json', 'ru.json', 'tg.json', 'uz.json', ...consoleWords].sort());
    }
  });

  it("deploys the phone metadata beside each function's code, not in it (infra/bundling.ts)", () => {
    const metadata = readFileSync(PHONE_METADATA_FILE, 'utf8');
    for (const name of [...FUNCTIONS, 'ConsoleFunction'] as const) {
      expect(JSON.parse(readFileSync(join(assetOf(name), PHONE_METADATA_DATA_FILE), 'utf8')), name).toEqual(JSON.parse(metadata));
    }
  });

  /**
   * The AWS API calls a bundle can make: the `…Command` classes it imports from the runtime's `@aws-sdk/*` (external
   * to the bundle, so each import is a plain `import{…}from"@aws-sdk/…"`), as IAM actions.
   */
  function callableActions(name: FunctionName): Set<string> {
    const asset = assetOf(name);
    // index.mjs and the chunks it imports when their code first runs (infra/bundling.ts).
    const code = readdirSync(asset, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.mjs'))
      .map((file) => readFileSync(join(asset, file), 'utf8'))
      .join('\n');
    const prefixes: Record<string, string> = {
      'lib-dynamodb': 'dynamodb',
      'client-dynamodb': 'dynamodb',
      'client-sqs': 'sqs',
      'client-kms': 'kms',
      'client-scheduler': 'scheduler',
      'client-secrets-manager': 'secretsmanager',
      'client-s3': 's3',
    };
    // lib-dynamodb's document commands are the item actions under other names.
    const documentCommands: Record<string, string> = {
      Get: 'GetItem',
      Put: 'PutItem',
      Update: 'UpdateItem',
      Delete: 'DeleteItem',
      Query: 'Query',
      Scan: 'Scan',
      BatchGet: 'BatchGetItem',
      BatchWrite: 'BatchWriteItem',
    };
    // SendMessageBatch is authorised by sqs:SendMessage.
    const sameAction: Record<string, string> = { SendMessageBatch: 'SendMessage' };
    const callable = new Set<string>();
    for (const [, names, module] of code.matchAll(/import\{([^}]*)\}from"@aws-sdk\/([^"]+)"/g)) {
      const prefix = prefixes[module!];
      expect(prefix, `a mapping for @aws-sdk/${module}`).toBeDefined();
      for (const imported of names!.split(',').map((part) => part.trim().split(/\s+as\s+/)[0]!)) {
        const command = /^(\w+)Command$/.exec(imported)?.[1];
        if (!command) continue;
        const action = module === 'lib-dynamodb' ? documentCommands[command] : (sameAction[command] ?? command);
        expect(action, `${module} ${imported}`).toBeDefined();
        callable.add(`${prefix}:${action}`);
      }
    }
    return callable;
  }

  /** Calls a bundle contains but never makes on Lambda, each with the reason. */
  const NEVER_CALLED_ON_LAMBDA: Record<string, { functions: readonly FunctionName[] | 'all'; why: string }> = {
    'dynamodb:CreateTable': { functions: 'all', why: 'ensureTable (shared/store/client.ts) runs in the local hotline only' },
    'dynamodb:DescribeTable': { functions: 'all', why: 'ensureTable runs in the local hotline only' },
    'kms:Decrypt': {
      functions: ['UssdFunction', 'IntakeReplayFunction'],
      why: 'KmsNumberVault.decrypt: opened only on an officer\'s ACK/DONE/CALL by SMS, and to dial an AT CALL bridge (voice)',
    },
    'kms:Encrypt': {
      functions: ['IntakeReplayFunction', 'BroadcastFunction'],
      why: 'a journal entry carries its number sealed already; the fan-out only opens subscribers\' sealed numbers',
    },
    'sqs:ChangeMessageVisibility': {
      functions: ['UssdFunction', 'SmsFunction', 'VoiceFunction', 'EscalationFunction', 'BroadcastFunction'],
      why: 'SqsQueue.delayRetry: only the queue consumers back off',
    },
  };
  /** Granted for the event source mapping, which polls on the function's behalf. */
  const POLLED = ['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'];

  it('allows every AWS call each bundle makes on Lambda, and no call it cannot make', () => {
    for (const name of FUNCTIONS) {
      const needed = [...callableActions(name)].filter((action) => {
        const never = NEVER_CALLED_ON_LAMBDA[action];
        return !never || (never.functions !== 'all' && !never.functions.includes(name));
      });
      const granted = statementsOf(name)
        // The table key is used by DynamoDB and SQS on the caller's behalf; logs are written by the runtime; the
        // scheduler role is passed inside CreateSchedule.
        .filter((statement) => JSON.stringify(statement.Resource) !== JSON.stringify({ 'Fn::GetAtt': [at('TableKey').id, 'Arn'] }))
        .flatMap(actions)
        .filter((action) => !action.startsWith('logs:') && action !== 'iam:PassRole' && !POLLED.includes(action));
      expect([...new Set(granted)].sort(), name).toEqual([...new Set(needed)].sort());
    }
  });

  it('lets no function use a wildcard action, and no role have a managed policy', () => {
    for (const name of FUNCTIONS) expect(statementsOf(name).flatMap(actions).filter((a) => a.includes('*') && !a.startsWith('kms:')), name).toEqual([]);
    template.allResourcesProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });
});

describe('HotlineStack: number vault and intake journal', () => {
  it('seals call-back numbers under a rotated, retained key of their own, usable only with the vault encryption context', async () => {
    const key = at('NumberVaultKey');
    expect(key.resource).toMatchObject({ Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(key.id).not.toBe(at('TableKey').id);
    for (const name of CHANNELS) expect(variablesOf(name).NUMBER_VAULT_KMS_KEY_ID, name).toEqual({ 'Fn::GetAtt': [key.id, 'Arn'] });
    // The condition in the policies is the context KmsNumberVault actually sends.
    const sent: unknown[] = [];
    const client = {
      send: async (command: { input: { EncryptionContext?: unknown } }) => {
        sent.push(command.input.EncryptionContext);
        return { CiphertextBlob: new Uint8Array([1, 2, 3]), Plaintext: new TextEncoder().encode('+992927001122') };
      },
    };
    const vault = new KmsNumberVault('key-arn', client as unknown as ConstructorParameters<typeof KmsNumberVault>[1]);
    await vault.decrypt(await vault.encrypt('+992927001122'));
    expect(sent).toEqual([NUMBER_VAULT_ENCRYPTION_CONTEXT, NUMBER_VAULT_ENCRYPTION_CONTEXT]);
  });

  it('journals reports into a queue that redrives to its dead-letter queue after every replay, keeping both 14 days', () => {
    const deadLetters = at('ReportJournalDeadLetterQueue');
    const queue = at('ReportJournalQueue').resource.Properties as Record<string, unknown>;
    expect(queue).toMatchObject({
      MessageRetentionPeriod: 14 * 24 * 3600,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetters.id, 'Arn'] }, maxReceiveCount: JOURNAL_MAX_RECEIVES },
    });
    expect(deadLetters.resource.Properties).toMatchObject({ MessageRetentionPeriod: 14 * 24 * 3600 });
    for (const name of ['UssdFunction', 'SmsFunction', 'VoiceFunction'] as const) {
      expect(variablesOf(name).REPORT_JOURNAL_QUEUE_URL, name).toEqual({ Ref: at('ReportJournalQueue').id });
    }
    expect(variablesOf('IntakeReplayFunction')).toMatchObject({
      REPORT_JOURNAL_QUEUE_URL: { Ref: at('ReportJournalQueue').id },
      REPORT_JOURNAL_DEAD_LETTER_QUEUE_URL: { Ref: deadLetters.id },
    });
  });

  it('replays the journal with functions/intake-replay, in batches with partial failures, two at a time', () => {
    const properties = mappingOf('ReportJournalQueue');
    expect(properties).toMatchObject({
      FunctionName: { Ref: at('IntakeReplayFunction').id },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    const timeout = (at('IntakeReplayFunction').resource.Properties as { Timeout: number }).Timeout;
    expect((at('ReportJournalQueue').resource.Properties as { VisibilityTimeout: number }).VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
  });

  it('completes half-written intakes with functions/intake-replay every 5 minutes (the repair event), not retried', () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule') as Resources)
      .map((r) => r.Properties as { ScheduleExpression: string; Targets: { Arn: unknown; Input?: string; RetryPolicy?: unknown }[] })
      .filter((r) => r.Targets.some((target) => JSON.stringify(target.Arn).includes(at('IntakeReplayFunction').id)));
    expect(rules).toHaveLength(1);
    expect(rules[0]!.ScheduleExpression).toBe('rate(5 minutes)');
    expect(JSON.parse(rules[0]!.Targets[0]!.Input!)).toEqual(UNFINISHED_REPAIR_EVENT);
    expect(rules[0]!.Targets[0]!.RetryPolicy).toMatchObject({ MaximumRetryAttempts: 0 });
  });

  it('gives every function that takes reports what the AWS channel wiring requires, in values it accepts', () => {
    // Stand-ins for what CloudFormation resolves at deploy time.
    const resolved = (key: string, value: unknown): string => {
      if (typeof value === 'string') return value;
      if (key.endsWith('_URL')) return key === 'PUBLIC_BASE_URL' ? 'https://abc123.execute-api.eu-west-2.amazonaws.com' : `https://sqs.eu-west-2.amazonaws.com/123456789012/${key}`;
      if (key === 'ESCALATION_FUNCTION_ARN') return 'arn:aws:lambda:eu-west-2:123456789012:function:SafeJobHotline-EscalationFunction';
      if (key === 'ESCALATION_SCHEDULER_ROLE_ARN') return 'arn:aws:iam::123456789012:role/SafeJobHotline-EscalationSchedulerRole';
      if (key === 'NUMBER_VAULT_KMS_KEY_ID') return 'arn:aws:kms:eu-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
      if (key === 'ESCALATION_SCHEDULE_GROUP') return 'EscalationSchedules-abc123';
      if (key === 'TABLE_NAME') return 'SafeJobHotline-Table-ABC123';
      if (key === 'AUDIO_BUCKET') return 'safejobhotline-promptaudiobucket-abc123';
      return 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:x';
    };
    for (const name of CHANNELS) {
      const env = Object.fromEntries(Object.entries(variablesOf(name)).map(([key, value]) => [key, resolved(key, value)]));
      // What Secrets Manager lays over the environment.
      const config = loadWholeConfig({ ...env, AT_WEBHOOK_TOKEN: 'x'.repeat(48), PHONE_HASH_KEY: 'y'.repeat(64) });
      expect(() => awsChannelAdapters(config), name).not.toThrow();
    }
  });
});

describe('HotlineStack: operator alarms', () => {
  const alarms = () => Object.values(template.findResources('AWS::CloudWatch::Alarm') as Resources).map((a) => a.Properties as Record<string, unknown>);

  it('runs the deep health check every 5 minutes and alarms when it fails or stops reporting', () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule') as Resources).map((r) => r.Properties as Record<string, unknown>);
    const probe = rules.find((rule) => JSON.stringify(rule.Targets).includes('healthCheck'));
    expect(probe).toMatchObject({ ScheduleExpression: 'rate(5 minutes)', State: 'ENABLED' });
    const [target] = probe!.Targets as { Arn: unknown; Input: string }[];
    expect(JSON.parse(target!.Input)).toEqual({ healthCheck: 'deep' });
    expect(JSON.stringify(target!.Arn)).toContain(at('UssdFunction').id);
    expect(alarms().find((alarm) => alarm.AlarmName === 'SafeJobHotline-deep-health')).toMatchObject({
      Namespace: 'SafeJobHotline',
      MetricName: 'DeepHealthFailing',
      Dimensions: [{ Name: 'check', Value: 'deep' }, { Name: 'service', Value: 'hotline' }],
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'breaching',
    });
  });

  it('sends every alarm to the topic, named with the stack prefix its policy admits', () => {
    const all = alarms();
    const names = all.map((alarm) => alarm.AlarmName as string).sort();
    expect(names).toEqual(
      [
        'SafeJobHotline-sms-dead-letters',
        'SafeJobHotline-report-journal-dead-letters',
        'SafeJobHotline-report-journal-waiting',
        'SafeJobHotline-escalation-exhausted',
        'SafeJobHotline-deep-health',
        'SafeJobHotline-api-5xx',
        ...['ussd', 'sms', 'voice', 'outbox', 'escalation', 'intake-replay', 'broadcast', 'console'].flatMap((fn) => [`SafeJobHotline-${fn}-errors`, `SafeJobHotline-${fn}-throttles`]),
      ].sort(),
    );
    for (const alarm of all) {
      expect(alarm, alarm.AlarmName as string).toMatchObject({
        AlarmActions: [{ Ref: at('AlarmTopic').id }],
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        // Only the deep health check is a heartbeat: its silence is a failure.
        TreatMissingData: alarm.AlarmName === 'SafeJobHotline-deep-health' ? 'breaching' : 'notBreaching',
      });
      expect((alarm.AlarmDescription as string).length, alarm.AlarmName as string).toBeGreaterThan(40);
    }
  });

  it('alarms when any dead-letter queue holds a message', () => {
    for (const [alarmPath, queuePath] of [
      ['OutboxDeadLetterAlarm', 'OutboxDeadLetterQueue'],
      ['ReportJournalDeadLetterAlarm', 'ReportJournalDeadLetterQueue'],
    ] as const) {
      expect(at(alarmPath).resource.Properties, alarmPath).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [at(queuePath).id, 'QueueName'] } }],
        Threshold: 1,
      });
    }
    // Every queue that is some queue's dead-letter target has its alarm.
    const targets = Object.values(template.findResources('AWS::SQS::Queue') as Resources)
      .map((queue) => (queue.Properties as { RedrivePolicy?: { deadLetterTargetArn: { 'Fn::GetAtt': [string] } } }).RedrivePolicy)
      .filter((policy) => policy !== undefined)
      .map((policy) => policy.deadLetterTargetArn['Fn::GetAtt'][0])
      // The broadcast queue shares the outbox's dead-letter queue.
      .filter((target, i, all) => all.indexOf(target) === i)
      .sort();
    const alarmed = alarms()
      .filter((alarm) => alarm.MetricName === 'ApproximateNumberOfMessagesVisible')
      .map((alarm) => (alarm.Dimensions as [{ Value: { 'Fn::GetAtt': [string] } }])[0].Value['Fn::GetAtt'][0])
      .sort();
    expect(alarmed).toEqual(targets);
  });

  it('alarms on reports waiting over 15 minutes for replay', () => {
    expect(at('ReportJournalWaitingAlarm').resource.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [at('ReportJournalQueue').id, 'QueueName'] } }],
      Threshold: 900,
    });
  });

  it('alarms on errors and throttles of every function', () => {
    for (const name of FUNCTIONS) {
      for (const metric of ['Errors', 'Throttles']) {
        expect(at(`${name}${metric}Alarm`).resource.Properties, `${name} ${metric}`).toMatchObject({
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: at(name).id } }],
          Statistic: 'Sum',
          Period: 300,
          Threshold: 1,
        });
      }
    }
  });

  it('alarms on any 5xx answer of the API', () => {
    expect(at('ApiServerErrorAlarm').resource.Properties).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: only('AWS::ApiGatewayV2::Api').id } }],
      Statistic: 'Sum',
      Threshold: 1,
    });
  });
});

describe('HotlineStack: deploy-time context', () => {
  /** Synthesizes with `context` and without bundling (fast); returns the template. */
  function synthWith(context: Record<string, unknown>): Template {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'hotline-ctx-')), context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], ...context } });
    const contextStack = new HotlineStack(app, 'SafeJobHotline');
    return Template.fromStack(contextStack);
  }
  const functionNamed = (t: Template, prefix: string) =>
    Object.entries(t.findResources('AWS::Lambda::Function') as Resources).find(([id]) => id.startsWith(prefix))![1].Properties as Record<string, unknown>;

  it('by default: no audio URL, no subscription, no reserved or provisioned concurrency', () => {
    expect(variablesOf('VoiceFunction')).not.toHaveProperty('AUDIO_BASE_URL');
    expect(template.findResources('AWS::SNS::Subscription')).toEqual({});
    // Not even the broadcast's ceiling of one: a new account of 10 could not deploy it (its run lease keeps one run).
    for (const name of FUNCTIONS) expect(at(name).resource.Properties, name).not.toHaveProperty('ReservedConcurrentExecutions');
    expect(template.findResources('AWS::Lambda::Version')).toEqual({});
    expect(template.findResources('AWS::Lambda::Alias')).toEqual({});
  });

  it('reserves concurrency for USSD and the broadcast only where the account can spare it (lambdaConcurrencyLimit), or as told', () => {
    // The arithmetic, on the context as contextOf reads it; then one stack that reserves both, and one refused.
    const reserved = (context: HotlineContext) => ({ ussd: ussdReservation(context), broadcast: broadcastReservation(context) });
    // No limit given: a new account may have 10, which can spare nothing.
    expect(reserved({})).toEqual({ ussd: undefined, broadcast: undefined });
    // An account of 10 (or 100) keeps all of it unreserved: nothing reserved, and the stack deploys.
    expect(reserved({ lambdaConcurrencyLimit: 10 })).toEqual({ ussd: undefined, broadcast: undefined });
    expect(reserved({ lambdaConcurrencyLimit: 100 })).toEqual({ ussd: undefined, broadcast: undefined });
    expect(reserved({ lambdaConcurrencyLimit: 101 })).toEqual({ ussd: undefined, broadcast: BROADCAST_RESERVED });
    expect(reserved({ lambdaConcurrencyLimit: 1000 })).toEqual({ ussd: USSD_DEFAULT_RESERVED, broadcast: BROADCAST_RESERVED });
    // 150 keeps 100 unreserved, 1 for the broadcast: 49 left, less than the default.
    expect(reserved({ lambdaConcurrencyLimit: 150 }).ussd).toBeUndefined();
    expect(reserved({ lambdaConcurrencyLimit: 151 }).ussd).toBe(USSD_DEFAULT_RESERVED);
    expect(reserved({ lambdaConcurrencyLimit: 1000, ussdReservedConcurrency: 20 }).ussd).toBe(20);
    expect(reserved({ lambdaConcurrencyLimit: 1000, ussdReservedConcurrency: 0 }).ussd).toBeUndefined();
    expect(() => reserved({ lambdaConcurrencyLimit: 10, ussdReservedConcurrency: 1 })).toThrow(/can spare \(0\)/);

    const t = synthWith({ lambdaConcurrencyLimit: '1000' });
    expect(functionNamed(t, 'UssdFunction').ReservedConcurrentExecutions).toBe(USSD_DEFAULT_RESERVED);
    expect(functionNamed(t, 'BroadcastFunction').ReservedConcurrentExecutions).toBe(BROADCAST_RESERVED);
    expect(() => synthWith({ lambdaConcurrencyLimit: '1000', ussdReservedConcurrency: '900' })).toThrow(/can spare \(899\)/);
  });

  it('sets the voice recordings URL, an e-mail subscription and the USSD reserved concurrency when given', () => {
    const t = synthWith({ audioBaseUrl: 'https://prompts.example.org/audio', alarmEmail: 'ops@example.org', ussdReservedConcurrency: '50' });
    expect((functionNamed(t, 'VoiceFunction').Environment as { Variables: Record<string, unknown> }).Variables.AUDIO_BASE_URL).toBe(
      'https://prompts.example.org/audio',
    );
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.org' });
    expect(functionNamed(t, 'UssdFunction').ReservedConcurrentExecutions).toBe(50);
    expect(functionNamed(t, 'SmsFunction')).not.toHaveProperty('ReservedConcurrentExecutions');
  });

  it("gives the SMS function the quiz trainers' numbers when given, and refuses anything else", () => {
    const t = synthWith({ quizTrainerPhones: '+992900000901,+992900000902' });
    expect((functionNamed(t, 'SmsFunction').Environment as { Variables: Record<string, unknown> }).Variables.QUIZ_TRAINER_PHONES).toBe(
      '+992900000901,+992900000902',
    );
    expect(variablesOf('SmsFunction')).not.toHaveProperty('QUIZ_TRAINER_PHONES');
    expect(() => synthWith({ quizTrainerPhones: 'trainer@example.org' })).toThrow(/quizTrainerPhones/);
  });

  it('refuses values that would deploy a broken stack', () => {
    expect(() => synthWith({ audioBaseUrl: 'http://prompts.example.org' })).toThrow(/audioBaseUrl/);
    expect(() => synthWith({ alarmEmail: 'ops' })).toThrow(/alarmEmail/);
    expect(() => synthWith({ ussdReservedConcurrency: '-1' })).toThrow(/ussdReservedConcurrency/);
    expect(() => synthWith({ lambdaConcurrencyLimit: 'many' })).toThrow(/lambdaConcurrencyLimit/);
  });
});

describe('HotlineStack: cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged error or warning', () => {
    const nag = report.pluginReports.find((plugin) => plugin.pluginName === 'AwsSolutions');
    expect(nag, 'the AwsSolutions plugin ran').toBeDefined();
    for (const plugin of report.pluginReports) {
      expect(plugin.violations, plugin.pluginName).toEqual([]);
      expect(plugin.conclusion, plugin.pluginName).toBe('success');
    }
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
  });

  it('acknowledges exactly the reviewed findings, each with a reason', () => {
    const acknowledged = report.pluginReports.flatMap((plugin) => plugin.suppressedViolations ?? []);
    for (const finding of acknowledged) expect(finding.reason.length, finding.ruleName).toBeGreaterThan(40);
    expect(
      acknowledged
        .flatMap((finding) => finding.violatingConstructs.map((c) => `${finding.ruleName} ${c.constructPath}`))
        .sort(),
    ).toEqual(
      [
      'AwsSolutions-APIG4 SafeJobHotline/Api/GET--health--deep/Resource',
      'AwsSolutions-APIG4 SafeJobHotline/Api/GET--health/Resource',
      'AwsSolutions-APIG4 SafeJobHotline/Api/GET--recordings--{reference}/Resource',
      'AwsSolutions-APIG4 SafeJobHotline/Api/GET--sms--kannel--delivery/Resource',
      'AwsSolutions-APIG4 SafeJobHotline/Api/GET--sms--kannel/Resource',
      'AwsSolutions-APIG4 SafeJobHotline/Api/GET--ussd--kannel/Resource',
      'AwsSolutions-APIG4 SafeJobHotline/Api/POST--sms--kannel/Resource',
      'AwsSolutions-APIG4 SafeJobHotline/Api/POST--ussd--kannel/Resource',
      'AwsSolutions-APIG4 SafeJobHotline/Api/GET--console/Resource',
      'AwsSolutions-APIG4 SafeJobHotline/Api/GET--console--{proxy+}/Resource',
      'AwsSolutions-APIG4 SafeJobHotline/Api/POST--console--{proxy+}/Resource',
      'AwsSolutions-COG8 SafeJobHotline/ConsoleUserPool/Resource',
      'AwsSolutions-SMG4 SafeJobHotline/ConsoleSessionSecret/Resource',
      'AwsSolutions-APIG4 SafeJobHotline/Api/POST--sms--africastalking--delivery/Resource',
      'AwsSolutions-APIG4 SafeJobHotline/Api/POST--sms--africastalking/Resource',
      'AwsSolutions-APIG4 SafeJobHotline/Api/POST--sms--twilio--status/Resource',
      'AwsSolutions-APIG4 SafeJobHotline/Api/POST--sms--twilio/Resource',
      'AwsSolutions-APIG4 SafeJobHotline/Api/POST--ussd--africastalking--events/Resource',
      'AwsSolutions-APIG4 SafeJobHotline/Api/POST--ussd--africastalking/Resource',
      'AwsSolutions-APIG4 SafeJobHotline/Api/POST--voice--africastalking/Resource',
      'AwsSolutions-APIG4 SafeJobHotline/Api/POST--voice--twilio/Resource',
      'AwsSolutions-APIG4 SafeJobHotline/Api/POST--voice--africastalking--studio/Resource',
      'AwsSolutions-APIG4 SafeJobHotline/Api/POST--voice--twilio--studio/Resource',
      'AwsSolutions-APIG4 SafeJobHotline/Api/POST--voice--twilio--whisper/Resource',
      'AwsSolutions-APIG4 SafeJobHotline/Api/GET--audio--{proxy+}/Resource',
      'AwsSolutions-S1 SafeJobHotline/PromptAudioBucket/Resource',
      ...['Voice', 'Console'].map((name) => `AwsSolutions-IAM5[Resource::<${at('PromptAudioBucket').id}.Arn>/studio/*] SafeJobHotline/${name}FunctionRole/DefaultPolicy/Resource`),
      `AwsSolutions-IAM5[Resource::<${at('PromptAudioBucket').id}.Arn>/*] SafeJobHotline/VoiceFunctionRole/DefaultPolicy/Resource`,
      ...['Escalation', 'IntakeReplay', 'Outbox', 'Sms', 'Ussd', 'Voice', 'Broadcast', 'Console'].flatMap((name) => [
        `AwsSolutions-IAM5[Action::kms:GenerateDataKey*] SafeJobHotline/${name}FunctionRole/DefaultPolicy/Resource`,
        `AwsSolutions-IAM5[Action::kms:ReEncrypt*] SafeJobHotline/${name}FunctionRole/DefaultPolicy/Resource`,
      ]),
      ...['Console', 'Escalation', 'IntakeReplay', 'Sms', 'Ussd', 'Voice'].map(
        (name) =>
          'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/' +
          `<EscalationSchedules>/*] SafeJobHotline/${name}FunctionRole/DefaultPolicy/Resource`,
      ),
      ...['Escalation', 'IntakeReplay', 'Outbox', 'Sms', 'Ussd', 'Voice', 'Broadcast', 'Console'].map((name) => `AwsSolutions-L1 SafeJobHotline/${name}Function/Resource`),
      'AwsSolutions-SMG4 SafeJobHotline/AtWebhookToken/Resource',
      'AwsSolutions-SMG4 SafeJobHotline/KannelWebhookToken/Resource',
      'AwsSolutions-SMG4 SafeJobHotline/PhoneHashKey/Resource',
      'AwsSolutions-SMG4 SafeJobHotline/ProviderCredentials/Resource',
    ].sort());
  });
});

describe('HotlineStack: console', () => {
  it('signs in through a Cognito pool with MFA required, no self sign-up, a group per role and a PKCE public client', () => {
    expect(at('ConsoleUserPool').resource.Properties).toMatchObject({
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup') as Resources).map(
      (g) => (g.Properties as { GroupName: string }).GroupName,
    );
    expect(groups.sort()).toEqual(['admin', 'analyst', 'officer', 'partner', 'supervisor']);
    const client = only('AWS::Cognito::UserPoolClient').resource.Properties as Record<string, unknown>;
    expect(client).toMatchObject({ GenerateSecret: false, AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid', 'email', 'profile'] });
    const variables = (at('ConsoleFunction').resource.Properties as { Environment: { Variables: Record<string, unknown> } }).Environment.Variables;
    expect(JSON.stringify(variables.CONSOLE_OIDC_ISSUER)).toContain('cognito-idp');
    expect(variables.CONSOLE_OIDC_CLIENT_ID).toEqual({ Ref: only('AWS::Cognito::UserPoolClient').id });
    // The webhooks know nothing of the console.
    for (const name of FUNCTIONS) expect(Object.keys(variablesOf(name)).filter((v) => v.startsWith('CONSOLE_')), name).toEqual([]);
  });

  it('may send e-mail only from its SES identity, and runs the referral reminders on a schedule', () => {
    const ses = statementsOf('ConsoleFunction').filter((s) => actions(s).some((a) => a.startsWith('ses:')));
    expect(ses.flatMap(actions)).toEqual(['ses:SendEmail']);
    expect(JSON.stringify(ses[0]!.Resource)).toContain(':identity/');
    const rule = Object.values(template.findResources('AWS::Events::Rule') as Resources)
      .map((r) => r.Properties as { ScheduleExpression: string; Targets: { Input?: string }[] })
      .find((r) => r.Targets.some((target) => target.Input?.includes('referral-reminders')))!;
    expect(rule.ScheduleExpression).toBe('rate(15 minutes)');
    expect(JSON.parse(rule.Targets[0]!.Input!)).toEqual({ task: 'referral-reminders' });
  });
});

describe('environmentWithSecrets', () => {
  const reader = (values: Record<string, string>): SecretReader & { asked: string[] } => {
    const asked: string[] = [];
    return {
      asked,
      send: async (command) => {
        const id = command.input.SecretId ?? '';
        asked.push(id);
        const value = values[id];
        if (value === undefined) throw new Error(`no secret ${id}`);
        return { SecretString: value };
      },
    };
  };

  it('lays the JSON keys of every listed secret over the environment', async () => {
    const secrets = reader({
      'arn:token': JSON.stringify({ AT_WEBHOOK_TOKEN: 'token-value' }),
      'arn:hash': JSON.stringify({ PHONE_HASH_KEY: 'hash-value', IGNORED: 42 }),
    });
    const env = await environmentWithSecrets({ SECRETS_ARN: 'arn:token, arn:hash', HOTLINE_MODE: 'aws' }, secrets);
    expect(env).toEqual({
      SECRETS_ARN: 'arn:token, arn:hash',
      HOTLINE_MODE: 'aws',
      AT_WEBHOOK_TOKEN: 'token-value',
      PHONE_HASH_KEY: 'hash-value',
    });
    expect(secrets.asked.sort()).toEqual(['arn:hash', 'arn:token']);
  });

  it('still reads a single ARN, and reads nothing without one', async () => {
    const secrets = reader({ 'arn:one': JSON.stringify({ AT_WEBHOOK_TOKEN: 'a', PHONE_HASH_KEY: 'b' }) });
    expect(await environmentWithSecrets({ SECRETS_ARN: 'arn:one' }, secrets)).toMatchObject({
      AT_WEBHOOK_TOKEN: 'a',
      PHONE_HASH_KEY: 'b',
    });
    const env = { HOTLINE_MODE: 'local' };
    expect(await environmentWithSecrets(env, secrets)).toBe(env);
    expect(secrets.asked).toEqual(['arn:one']);
  });

  it('refuses a secret that is not a JSON object', async () => {
    await expect(environmentWithSecrets({ SECRETS_ARN: 'arn:list' }, reader({ 'arn:list': '["x"]' }))).rejects.toThrow(
      /does not hold a JSON object/,
    );
  });
});
