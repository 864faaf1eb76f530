/**
 * The CDK stack, synthesized once for the whole file (bundling the function with the local esbuild takes a few
 * seconds) with the same feature flags as `npx cdk synth` (cdk.json) and the cdk-nag AwsSolutions checks. Nothing
 * here calls AWS: synthesis is offline and the Secrets Manager client is replaced by a stand-in.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUssdApp } from '../functions/ussd/app';
import { USSD_ROUTES, HotlineStack } from '../infra/stack';
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

describe('HotlineStack: table', () => {
  it('has pk/sk string keys, on-demand billing, PITR, the TTL attribute and a rotated customer-managed key', () => {
    const { resource } = only('AWS::DynamoDB::Table');
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
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [only('AWS::KMS::Key').id, 'Arn'] } },
      DeletionProtectionEnabled: true,
    });
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.UpdateReplacePolicy).toBe('Retain');
    template.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
  });
});

describe('HotlineStack: USSD function', () => {
  it('runs Node 22 on arm64 with 512 MB, 10 s and its own log group (no LogRetention custom resource)', () => {
    const { resource } = only('AWS::Lambda::Function');
    expect(resource.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 512,
      Timeout: 10,
      LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
    });
    const resourceTypes = Object.values(template.toJSON().Resources as Resources).map((r) => r.Type);
    expect(resourceTypes.filter((type) => type.startsWith('Custom::'))).toEqual([]);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 180 });
  });

  it('gets the secrets ARNs, never the secret values, in its environment', () => {
    const { resource } = only('AWS::Lambda::Function');
    const variables = (resource.Properties as { Environment: { Variables: Record<string, unknown> } }).Environment
      .Variables;
    expect(variables).toMatchObject({
      HOTLINE_MODE: 'aws',
      TABLE_NAME: { Ref: only('AWS::DynamoDB::Table').id },
      NODE_OPTIONS: '--enable-source-maps',
      PUBLIC_BASE_URL: { 'Fn::GetAtt': [only('AWS::ApiGatewayV2::Api').id, 'ApiEndpoint'] },
    });
    expect(Object.keys(variables)).not.toContain('AT_WEBHOOK_TOKEN');
    expect(Object.keys(variables)).not.toContain('PHONE_HASH_KEY');

    const secrets = template.findResources('AWS::SecretsManager::Secret') as Resources;
    const generatedKeys = Object.values(secrets).map(
      (secret) => (secret.Properties as { GenerateSecretString: { GenerateStringKey: string } }).GenerateSecretString
        .GenerateStringKey,
    );
    expect(generatedKeys.sort()).toEqual(['AT_WEBHOOK_TOKEN', 'PHONE_HASH_KEY']);
    // Generated by Secrets Manager at deploy time: no value is ever written into the template.
    for (const secret of Object.values(secrets)) expect(secret.Properties).not.toHaveProperty('SecretString');

    const secretsArn = variables.SECRETS_ARN as { 'Fn::Join': [string, unknown[]] };
    const [separator, parts] = secretsArn['Fn::Join'];
    expect(separator).toBe('');
    const refs = parts.filter((part) => part !== ',') as { Ref: string }[];
    expect(refs.map((ref) => ref.Ref).sort()).toEqual(Object.keys(secrets).sort());
    expect(parts.filter((part) => part === ',')).toHaveLength(refs.length - 1);
  });

  it('may read and write only its table (and key), read only its secrets and write only its log group', () => {
    const { resource } = only('AWS::IAM::Policy');
    const statements = (resource.Properties as { PolicyDocument: { Statement: Record<string, unknown>[] } })
      .PolicyDocument.Statement;
    const resources = statements.map((statement) => JSON.stringify(statement.Resource));
    expect(resources.some((r) => r.includes('"*"'))).toBe(false);
    expect(statements.flatMap((s) => s.Action as string[]).some((action) => action.endsWith(':*'))).toBe(false);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
            Resource: Object.keys(template.findResources('AWS::SecretsManager::Secret')).map((id) => ({ Ref: id })),
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });
});

describe('HotlineStack: HTTP API', () => {
  it('has exactly the three USSD webhook routes and no /dev/ route', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route') as Resources);
    const routeKeys = routes.map((route) => (route.Properties as { RouteKey: string }).RouteKey).sort();
    expect(routeKeys).toEqual(['GET /health', 'POST /ussd/africastalking', 'POST /ussd/africastalking/events']);
    expect(routeKeys.filter((key) => key.split(' ')[1]!.startsWith('/dev'))).toEqual([]);
    expect(routeKeys).not.toContain('$default');
  });

  it('routes only to paths the USSD app serves', () => {
    const served = createUssdApp(() => Promise.reject(new Error('not started in this test'))).routes;
    for (const route of USSD_ROUTES) {
      expect(served.some((r) => r.method === route.method && r.path === route.path), route.path).toBe(true);
    }
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
    const logGroupIds = Object.keys(template.findResources('AWS::Logs::LogGroup'));
    expect(logGroupIds).toContainEqual((properties.AccessLogSettings.DestinationArn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]);
    const format = JSON.parse(properties.AccessLogSettings.Format) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
    // The Africa's Talking token travels as ?token=: nothing that could hold the query string is logged.
    expect(properties.AccessLogSettings.Format).not.toMatch(/querystring|requestOverride/i);
    expect(properties.DefaultRouteSettings).toEqual({ ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 });
  });

  it('outputs the webhook URLs and where to read the token, but not the token', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining(['ApiUrl', 'HealthUrl', 'UssdCallbackUrl', 'UssdEventsCallbackUrl', 'AtWebhookTokenCommand']),
    );
    expect(JSON.stringify(outputs.UssdCallbackUrl)).toContain('/ussd/africastalking?token=');
    expect(JSON.stringify(outputs.AtWebhookTokenCommand)).toContain('aws secretsmanager get-secret-value');
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
    expect(acknowledged.map((finding) => finding.ruleName).sort()).toEqual([
      'AwsSolutions-APIG4',
      'AwsSolutions-APIG4',
      'AwsSolutions-APIG4',
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
      'AwsSolutions-L1',
      'AwsSolutions-SMG4',
      'AwsSolutions-SMG4',
    ]);
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
