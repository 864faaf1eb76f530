import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogField, AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { TABLE_KEYS } from '../shared/store/keys';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const source = (relative: string) => fileURLToPath(new URL(`../${relative}`, import.meta.url));

/**
 * The public webhook routes of the USSD function (DESIGN.md section 3). Local-only `/dev/` routes are never mounted
 * here: anything not listed gets API Gateway's own 404 without reaching the function.
 */
export const USSD_ROUTES = [
  { method: HttpMethod.POST, path: '/ussd/africastalking' },
  { method: HttpMethod.POST, path: '/ussd/africastalking/events' },
  { method: HttpMethod.GET, path: '/health' },
] as const;

/**
 * Function and access logs hold no raw phone numbers or report text (shared/log.ts), but they do hold keyed phone
 * hashes and session ids, i.e. pseudonymous data. Six months covers investigating a gateway incident or an abuse
 * pattern reported weeks after the fact; reports themselves live in the table, not in logs, so keeping logs longer
 * would only accumulate pseudonymous data without a use.
 */
const LOG_RETENTION = RetentionDays.SIX_MONTHS;

/** The SafeJob Hotline on AWS: one table, the USSD function behind an HTTP API, and the secrets it needs. */
export class HotlineStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // ---- Data -------------------------------------------------------------------------------------------------
    const tableKey = new Key(this, 'TableKey', {
      description: 'SafeJob Hotline: encryption at rest of the hotline table (reports, callers, officers)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // `Table` (AWS::DynamoDB::Table), not `TableV2` (a global table): TableV2 cannot render a customer-managed key in
    // an environment-agnostic stack, and the hotline needs no replicas.
    const table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partition, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sort, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE_KEYS.ttl,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: tableKey,
      // Reports and the registry must survive a mistaken `cdk destroy` or a logical-id change.
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
    });

    // ---- Secrets ----------------------------------------------------------------------------------------------
    // CloudFormation generates one value per secret, so each generated value gets its own secret; the function
    // receives both ARNs in SECRETS_ARN and lays their JSON keys over its environment (shared/secrets.ts). The two
    // also have different lifecycles: the token may be replaced at will (then re-pasted into Africa's Talking),
    // the hash key never (see the SMG4 suppression).
    const atWebhookToken = new Secret(this, 'AtWebhookToken', {
      description: "SafeJob Hotline: JSON key AT_WEBHOOK_TOKEN, the ?token= that Africa's Talking webhooks carry",
      generateSecretString: {
        secretStringTemplate: JSON.stringify({}),
        generateStringKey: 'AT_WEBHOOK_TOKEN',
        // It travels in a URL query string: letters and digits only, 48 of them (~285 bits).
        excludePunctuation: true,
        includeSpace: false,
        passwordLength: 48,
      },
    });

    const phoneHashKey = new Secret(this, 'PhoneHashKey', {
      description: 'SafeJob Hotline: JSON key PHONE_HASH_KEY, the HMAC key of every phone hash in the table; never rotate',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({}),
        generateStringKey: 'PHONE_HASH_KEY',
        excludePunctuation: true,
        includeSpace: false,
        passwordLength: 64,
      },
      // Every stored caller key is an HMAC under this value: losing it orphans the retained table's data.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const secrets = [atWebhookToken, phoneHashKey];

    // ---- HTTP API (created first: the function needs its URL) ------------------------------------------------
    const api = new HttpApi(this, 'Api', {
      apiName: 'safejob-hotline',
      description: 'SafeJob Hotline provider webhooks',
      // The default stage is added below with access logging and throttling.
      createDefaultStage: false,
    });

    // ---- USSD function ----------------------------------------------------------------------------------------
    const ussdLogs = new LogGroup(this, 'UssdFunctionLogs', {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // An explicit role instead of AWSLambdaBasicExecutionRole (which may write to any log group in the account):
    // the function may write only to its own log group, read/write its table and read its secrets.
    const ussdRole = new Role(this, 'UssdFunctionRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'SafeJob Hotline USSD function',
    });
    ussdLogs.grantWrite(ussdRole);

    const ussdFunction = new NodejsFunction(this, 'UssdFunction', {
      description: "SafeJob Hotline: Africa's Talking USSD webhooks",
      entry: source('functions/ussd/index.ts'),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: source('package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      // USSD gateways give up after roughly 10-15 s; an answer later than that is never shown to the caller.
      timeout: Duration.seconds(10),
      logGroup: ussdLogs,
      role: ussdRole,
      environment: {
        HOTLINE_MODE: 'aws',
        TABLE_NAME: table.tableName,
        // ARNs only: the values are read at start-up from Secrets Manager, never placed in the environment.
        SECRETS_ARN: secrets.map((secret) => secret.secretArn).join(','),
        NODE_OPTIONS: '--enable-source-maps',
        // The public URL that providers call (Twilio signs it). The API does not depend on the function, so this
        // is no cycle. With a custom domain this must become that domain.
        PUBLIC_BASE_URL: api.apiEndpoint,
      },
      bundling: {
        format: OutputFormat.ESM,
        minify: true,
        sourceMap: true,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        forceDockerBundling: false,
      },
    });
    table.grantReadWriteData(ussdFunction);
    for (const secret of secrets) secret.grantRead(ussdFunction);

    // ---- HTTP API stage and routes ----------------------------------------------------------------------------
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const stage = api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { burstLimit: 200, rateLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // `path` excludes the query string, so the Africa's Talking `?token=` never reaches the access log.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: AccessLogField.contextRequestId(),
            requestTime: AccessLogField.contextRequestTime(),
            sourceIp: AccessLogField.contextIdentitySourceIp(),
            userAgent: AccessLogField.contextIdentityUserAgent(),
            routeKey: AccessLogField.contextRouteKey(),
            path: AccessLogField.contextPath(),
            status: AccessLogField.contextStatus(),
            responseLength: AccessLogField.contextResponseLength(),
            responseLatency: AccessLogField.contextResponseLatency(),
            integrationStatus: AccessLogField.contextIntegrationStatus(),
            integrationLatency: AccessLogField.contextIntegrationLatency(),
            integrationError: AccessLogField.contextIntegrationErrorMessage(),
            error: AccessLogField.contextErrorMessage(),
          }),
        ),
      },
    });

    const ussdIntegration = new HttpLambdaIntegration('UssdIntegration', ussdFunction);
    const routes = USSD_ROUTES.flatMap((route) =>
      api.addRoutes({ path: route.path, methods: [route.method], integration: ussdIntegration }),
    );

    // ---- Outputs ----------------------------------------------------------------------------------------------
    const endpoint = api.apiEndpoint;
    new CfnOutput(this, 'ApiUrl', { value: stage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'HealthUrl', { value: `${endpoint}/health`, description: 'GET returns 200 when deployed' });
    new CfnOutput(this, 'UssdCallbackUrl', {
      value: `${endpoint}/ussd/africastalking?token=`,
      description: "Africa's Talking USSD callback URL: append the AT_WEBHOOK_TOKEN (see AtWebhookTokenCommand)",
    });
    new CfnOutput(this, 'UssdEventsCallbackUrl', {
      value: `${endpoint}/ussd/africastalking/events?token=`,
      description: "Africa's Talking USSD end-of-session notification URL: append the AT_WEBHOOK_TOKEN",
    });
    new CfnOutput(this, 'AtWebhookTokenCommand', {
      value: `aws secretsmanager get-secret-value --secret-id ${atWebhookToken.secretArn} --query SecretString --output text`,
      description: 'Prints {"AT_WEBHOOK_TOKEN": ...}: the token to append to the callback URLs',
    });
    new CfnOutput(this, 'TableName', { value: table.tableName });

    // ---- cdk-nag AwsSolutions (v3: CDK policy validation): accepted findings, acknowledged where they arise ----
    for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
      acknowledgeNag(ussdRole, `AwsSolutions-IAM5[Action::${action}]`,
        `${action} comes from table.grantReadWriteData and is limited to the table's own KMS key (one resource, no ` +
          'resource wildcard); DynamoDB needs these actions to encrypt items under the customer-managed key.');
    }
    acknowledgeNag(ussdFunction, 'AwsSolutions-L1',
      'The runtime is pinned to nodejs22.x by the project stack decision (Node 22, matching the esbuild target); ' +
        'moving to nodejs24.x is a deliberate, tested upgrade rather than drift.');
    for (const route of routes) {
      acknowledgeNag(route, 'AwsSolutions-APIG4',
        "Provider webhooks (Africa's Talking, Twilio) cannot send IAM or JWT authorization. Each request is " +
          "authenticated in the function instead: a secret ?token= compared in constant time for Africa's Talking, " +
          'the X-Twilio-Signature for Twilio; failures get 403 and change nothing. GET /health reveals nothing.');
    }
    acknowledgeNag(atWebhookToken, 'AwsSolutions-SMG4',
      "Rotating the token means updating the callback URLs configured at Africa's Talking at the same moment, or " +
        'every USSD session fails with 403; it is a manual runbook step, not an automatic schedule.');
    acknowledgeNag(phoneHashKey, 'AwsSolutions-SMG4',
      'The HMAC key behind every stored phone hash: rotating it would orphan every caller key, report link and ' +
        'rate-limit counter in the table. It is generated once and never rotated (re-keying would be a migration).');
  }
}

/** Accepts one cdk-nag AwsSolutions finding on a construct (and its children), with the reason it is accepted. */
function acknowledgeNag(scope: Construct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions::${rule}`, reason });
}
