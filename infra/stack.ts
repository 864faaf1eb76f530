import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogField, AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, Metric, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal, type IRole } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { FilterPattern, LogGroup, MetricFilter, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnSchedule, CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { DEFAULT_ACK_TIMEOUT_SECONDS, DEFAULT_REPEAT_COUNT, ESCALATION_EXHAUSTED_MESSAGE } from '../shared/escalation/config';
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

/** The public webhook routes of the SMS function: inbound messages and delivery reports of both providers. */
export const SMS_ROUTES = [
  { method: HttpMethod.POST, path: '/sms/africastalking' },
  { method: HttpMethod.POST, path: '/sms/africastalking/delivery' },
  { method: HttpMethod.POST, path: '/sms/twilio' },
  { method: HttpMethod.POST, path: '/sms/twilio/status' },
] as const;

/**
 * Sending attempts per outbound SMS (the outbox function's SMS_MAX_ATTEMPTS). The function itself moves a message
 * it gives up on to the dead-letter queue on its final attempt and marks it failed; the queue's redrive allows one
 * receive more, as a safety net for a function that crashes or times out on every attempt.
 */
export const SMS_MAX_ATTEMPTS = 4;

/** One outbox batch: at most 10 messages, each up to two provider calls (the routed one, then the failover). */
const OUTBOX_TIMEOUT = Duration.seconds(30);
/** A short wait to collect a burst into one invocation; a reply to a texter leaves at most this much later. */
const OUTBOX_BATCHING_WINDOW = Duration.seconds(1);

/** The escalation function: one step's state write, a few SMS into the outbox and one schedule, or a sweep. */
const ESCALATION_TIMEOUT = Duration.seconds(30);
/** How often the sweeper handles escalations whose one-off trigger was lost (a failed invocation past its retries). */
export const ESCALATION_SWEEP_RATE = 'rate(5 minutes)';
export const ESCALATION_METRIC = { namespace: 'SafeJobHotline', metricName: 'EscalationsExhausted' } as const;

/**
 * Function and access logs hold no raw phone numbers or report text (shared/log.ts), but they do hold keyed phone
 * hashes and session ids, i.e. pseudonymous data. Six months covers investigating a gateway incident or an abuse
 * pattern reported weeks after the fact; reports themselves live in the table, not in logs, so keeping logs longer
 * would only accumulate pseudonymous data without a use.
 */
const LOG_RETENTION = RetentionDays.SIX_MONTHS;

/**
 * The keys an operator puts into the ProviderCredentials secret (see shared/config.ts for each one's format). The
 * placeholders hold no apostrophe: the command template quotes the whole JSON in single quotes for the shell.
 */
const PROVIDER_CREDENTIALS_TEMPLATE = {
  AT_USERNAME: '<AT username>',
  AT_API_KEY: '<AT API key>',
  AT_SENDER_ID: '<sender ID or short code>',
  TWILIO_ACCOUNT_SID: 'AC<32 hex digits>',
  TWILIO_AUTH_TOKEN: '<Twilio auth token>',
  TWILIO_FROM: '<+447... number or MG... messaging service SID>',
};

/** The SafeJob Hotline on AWS: one table, the USSD and SMS functions behind an HTTP API, the SMS outbox. */
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
    // CloudFormation generates one value per secret, so each generated value gets its own secret; each function
    // receives the ARNs it needs in SECRETS_ARN and lays their JSON keys over its environment (shared/secrets.ts).
    // The two generated ones also have different lifecycles: the token may be replaced at will (then re-pasted into
    // Africa's Talking), the hash key never (see the SMG4 suppression).
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

    // Issued by the providers, not generated: the stack creates the secret holding an empty JSON object (so the
    // functions start, and send nothing, until it is filled) and the operator fills it with put-secret-value (see
    // the ProviderCredentialsCommand output). `{}` is the only value the template carries. Keep this resource's
    // properties unchanged once it is filled: a change to SecretString here would overwrite the operator's value.
    // Not retained: with the stack gone the credentials have no user, and they are revoked and re-issued at the
    // provider, not restored; a retained copy would be a live credential nobody tracks.
    const providerCredentials = new Secret(this, 'ProviderCredentials', {
      description:
        'SafeJob Hotline: SMS provider credentials (JSON keys AT_USERNAME, AT_API_KEY, AT_SENDER_ID, ' +
        'TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM), filled by the operator',
      secretObjectValue: {},
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // Laid over the environment in this order: a generated value always wins over a stray key of the same name
    // pasted into the provider credentials.
    const ussdSecrets = [atWebhookToken, phoneHashKey];
    const smsSecrets = [providerCredentials, atWebhookToken, phoneHashKey];

    // ---- HTTP API (created first: the functions need its URL) ------------------------------------------------
    const api = new HttpApi(this, 'Api', {
      apiName: 'safejob-hotline',
      description: 'SafeJob Hotline provider webhooks',
      // The default stage is added below with access logging and throttling.
      createDefaultStage: false,
    });
    const common = { table, publicBaseUrl: api.apiEndpoint };

    // ---- SMS outbox: queue, dead-letter queue and its alarm ---------------------------------------------------
    // SQS-managed encryption (SSE-SQS) rather than a customer-managed key: a message holds a destination number and
    // the reply text for minutes (days in the dead-letter queue), and who may read it is already limited by IAM
    // (only the outbox role may receive) and TLS-only queue policies. A KMS key would add a key policy, kms grants
    // to every producer and consumer, and a KMS call on the hot path, without narrowing who can read a message.
    const deadLetterQueue = new Queue(this, 'OutboxDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS allows: time for an operator to look at what was given up on, and redrive it.
      retentionPeriod: Duration.days(14),
    });
    const outboxQueue = new Queue(this, 'OutboxQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's rule for a Lambda event source: at least six times the function timeout, plus the batching window.
      visibilityTimeout: Duration.seconds(6 * OUTBOX_TIMEOUT.toSeconds() + OUTBOX_BATCHING_WINDOW.toSeconds()),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: SMS_MAX_ATTEMPTS + 1 },
    });

    // CloudWatch cannot publish to a topic under the AWS-managed SNS key, so the topic has its own key whose
    // policy lets CloudWatch use it, for this stack's alarms only.
    const alarmKey = new Key(this, 'AlarmTopicKey', {
      description: 'SafeJob Hotline: encryption at rest of the operator alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: 'SafeJob Hotline alarms',
      masterKey: alarmKey,
      enforceSSL: true,
    });
    const alarmNamePrefix = `${this.stackName}-`;
    const alarmArns = `arn:${this.partition}:cloudwatch:${this.region}:${this.account}:alarm:${alarmNamePrefix}*`;
    const fromThisStacksAlarms = {
      StringEquals: { 'aws:SourceAccount': this.account },
      ArnLike: { 'aws:SourceArn': alarmArns },
    };
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    alarmTopic.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [alarmTopic.topicArn],
        conditions: fromThisStacksAlarms,
      }),
    );
    alarmKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudWatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromThisStacksAlarms,
      }),
    );

    const deadLetterAlarm = new Alarm(this, 'OutboxDeadLetterAlarm', {
      alarmName: `${alarmNamePrefix}sms-dead-letters`,
      alarmDescription:
        'An outbound SMS was given up on (both providers refused it or stayed down): see the outbox dead-letter queue ' +
        'and the message status in the table.',
      metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: Stats.MAXIMUM,
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    deadLetterAlarm.addAlarmAction(new SnsAction(alarmTopic));

    // ---- On-call escalation: one-off EventBridge Scheduler triggers and the function they invoke -------------
    // Every step's ACK timeout is a one-off schedule in this group (created at run time by whichever function pages:
    // USSD and SMS start escalations, the escalation function moves them on); the IAM policies are scoped to it.
    const escalationSchedules = new CfnScheduleGroup(this, 'EscalationSchedules');
    const scheduleArns = `arn:${this.partition}:scheduler:${this.region}:${this.account}:schedule/${escalationSchedules.ref}/*`;
    // The role EventBridge Scheduler assumes to invoke the escalation function, for schedules of this account only.
    const schedulerRole = new Role(this, 'EscalationSchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: 'SafeJob Hotline: lets EventBridge Scheduler invoke the escalation function, nothing else',
    });
    const escalationTimers = {
      ESCALATION_ACK_TIMEOUT_SECONDS: String(DEFAULT_ACK_TIMEOUT_SECONDS),
      ESCALATION_REPEAT_COUNT: String(DEFAULT_REPEAT_COUNT),
      ESCALATION_SCHEDULER_ROLE_ARN: schedulerRole.roleArn,
      ESCALATION_SCHEDULE_GROUP: escalationSchedules.ref,
    };

    const escalationFunction = hotlineFunction(this, 'EscalationFunction', {
      ...common,
      description: 'SafeJob Hotline: on-call escalation timeouts (next level, repeat, left open) and the overdue sweep',
      entry: 'functions/escalation/index.ts',
      timeout: ESCALATION_TIMEOUT,
      secrets: ussdSecrets,
      // Its own ARN comes from each invocation's context (an ARN in its own environment would be a cycle).
      environment: { OUTBOX_QUEUE_URL: outboxQueue.queueUrl, ...escalationTimers },
    });
    // Exactly the function, not its versions (`grantInvoke` would add `<arn>:*`).
    schedulerRole.addToPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [escalationFunction.functionArn] }),
    );

    // The sweeper: every few minutes, whatever escalation is overdue is moved on (a lost or failed trigger).
    new CfnSchedule(this, 'EscalationSweep', {
      groupName: escalationSchedules.ref,
      description: 'SafeJob Hotline: handles on-call escalations whose timeout trigger was lost',
      scheduleExpression: ESCALATION_SWEEP_RATE,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: escalationFunction.functionArn,
        roleArn: schedulerRole.roleArn,
        input: JSON.stringify({ sweep: true }),
        retryPolicy: { maximumEventAgeInSeconds: 300, maximumRetryAttempts: 2 },
      },
    });

    /** Who pages officers may create the one-off triggers, handing EventBridge Scheduler only its own role. */
    const allowScheduling = (fn: NodejsFunction) => {
      fn.addToRolePolicy(new PolicyStatement({ actions: ['scheduler:CreateSchedule'], resources: [scheduleArns] }));
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['iam:PassRole'],
          resources: [schedulerRole.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
      );
      acknowledgeNag(fn.role as IRole, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/<${this.getLogicalId(escalationSchedules)}>/*]`,
        'Each escalation step creates a one-off schedule named after its report and step (esc-<reference>-<step>) at ' +
          'run time, so the names cannot be listed in advance; the wildcard is limited to the escalation schedule ' +
          "group, and only CreateSchedule is allowed (schedules delete themselves once they have run).");
    };
    allowScheduling(escalationFunction);
    outboxQueue.grant(escalationFunction, 'sqs:SendMessage');

    // Starting an urgent report's escalation pages level 1 (through the outbox) and arms its first timeout.
    const startsEscalations = { ESCALATION_FUNCTION_ARN: escalationFunction.functionArn, ...escalationTimers };

    const ussdFunction = hotlineFunction(this, 'UssdFunction', {
      ...common,
      description: "SafeJob Hotline: Africa's Talking USSD webhooks",
      entry: 'functions/ussd/index.ts',
      // USSD gateways give up after roughly 10-15 s; an answer later than that is never shown to the caller.
      timeout: Duration.seconds(10),
      secrets: ussdSecrets,
      environment: { OUTBOX_QUEUE_URL: outboxQueue.queueUrl, ...startsEscalations },
    });
    outboxQueue.grant(ussdFunction, 'sqs:SendMessage');
    allowScheduling(ussdFunction);

    const smsFunction = hotlineFunction(this, 'SmsFunction', {
      ...common,
      description: "SafeJob Hotline: Africa's Talking and Twilio SMS webhooks and delivery reports",
      entry: 'functions/sms/index.ts',
      // Twilio waits about 15 s for a webhook answer; the reply itself leaves through the outbox.
      timeout: Duration.seconds(10),
      // TWILIO_AUTH_TOKEN (in the provider credentials) checks Twilio's signatures.
      secrets: smsSecrets,
      // Officers' commands (ACK, DONE…) and urgent SMS reports go through the escalation service.
      environment: { OUTBOX_QUEUE_URL: outboxQueue.queueUrl, ...startsEscalations },
    });
    // Enqueue only: SqsQueue.enqueue is a SendMessage to a known URL.
    outboxQueue.grant(smsFunction, 'sqs:SendMessage');
    allowScheduling(smsFunction);

    // An escalation left open (nobody acknowledged after every round, or nobody to page) alarms the operators. The
    // service logs one fixed message wherever it happens: the escalation function, or USSD/SMS when a report finds
    // nobody to page at all.
    for (const fn of [escalationFunction, ussdFunction, smsFunction]) {
      new MetricFilter(this, `${fn.node.id}ExhaustedFilter`, {
        logGroup: fn.logGroup,
        filterPattern: FilterPattern.stringValue('$.message', '=', ESCALATION_EXHAUSTED_MESSAGE),
        metricNamespace: ESCALATION_METRIC.namespace,
        metricName: ESCALATION_METRIC.metricName,
        metricValue: '1',
      });
    }
    const exhaustedAlarm = new Alarm(this, 'EscalationExhaustedAlarm', {
      alarmName: `${alarmNamePrefix}escalation-exhausted`,
      alarmDescription:
        'An urgent report was not acknowledged by any officer after every round (or nobody was on the rota to page): ' +
        'it stays open. Find the reference in the logs ("escalation exhausted"), and page someone.',
      metric: new Metric({ ...ESCALATION_METRIC, period: Duration.minutes(1), statistic: Stats.SUM }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    exhaustedAlarm.addAlarmAction(new SnsAction(alarmTopic));

    const outboxFunction = hotlineFunction(this, 'OutboxFunction', {
      ...common,
      description: 'SafeJob Hotline: sends queued SMS through the providers, with failover, backoff and dead-lettering',
      entry: 'functions/outbox/index.ts',
      timeout: OUTBOX_TIMEOUT,
      secrets: smsSecrets,
      environment: {
        // Backoff is a ChangeMessageVisibility on this queue.
        OUTBOX_QUEUE_URL: outboxQueue.queueUrl,
        // Given-up messages are sent here by the function on their final attempt.
        DEAD_LETTER_QUEUE_URL: deadLetterQueue.queueUrl,
        SMS_MAX_ATTEMPTS: String(SMS_MAX_ATTEMPTS),
      },
    });
    // Receive, delete and change visibility on the outbox queue (granted by the event source); send only to the DLQ.
    outboxFunction.addEventSource(
      new SqsEventSource(outboxQueue, {
        batchSize: 10,
        maxBatchingWindow: OUTBOX_BATCHING_WINDOW,
        // One failed message is retried alone; the others of its batch are deleted.
        reportBatchItemFailures: true,
      }),
    );
    deadLetterQueue.grant(outboxFunction, 'sqs:SendMessage');

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
    const smsIntegration = new HttpLambdaIntegration('SmsIntegration', smsFunction);
    const routes = [
      ...USSD_ROUTES.map((route) => ({ ...route, integration: ussdIntegration })),
      ...SMS_ROUTES.map((route) => ({ ...route, integration: smsIntegration })),
    ].flatMap((route) => api.addRoutes({ path: route.path, methods: [route.method], integration: route.integration }));

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
    new CfnOutput(this, 'SmsCallbackUrl', {
      value: `${endpoint}/sms/africastalking?token=`,
      description: "Africa's Talking incoming SMS callback URL: append the AT_WEBHOOK_TOKEN",
    });
    new CfnOutput(this, 'SmsDeliveryReportsUrl', {
      value: `${endpoint}/sms/africastalking/delivery?token=`,
      description: "Africa's Talking SMS delivery reports callback URL: append the AT_WEBHOOK_TOKEN",
    });
    new CfnOutput(this, 'TwilioSmsWebhookUrl', {
      value: `${endpoint}/sms/twilio`,
      description:
        'Twilio messaging webhook (A message comes in, HTTP POST) of the number or messaging service; signed with ' +
        'TWILIO_AUTH_TOKEN. The status callback URL is set per message by the sender.',
    });
    new CfnOutput(this, 'AtWebhookTokenCommand', {
      value: `aws secretsmanager get-secret-value --secret-id ${atWebhookToken.secretArn} --query SecretString --output text`,
      description: 'Prints {"AT_WEBHOOK_TOKEN": ...}: the token to append to the callback URLs',
    });
    new CfnOutput(this, 'ProviderCredentialsCommand', {
      value:
        `aws secretsmanager put-secret-value --secret-id ${providerCredentials.secretArn} ` +
        `--secret-string '${JSON.stringify(PROVIDER_CREDENTIALS_TEMPLATE)}'`,
      description:
        'Fills the SMS provider credentials: replace every <...>; leave out the keys of a provider you do not use ' +
        '(never an empty value: the functions then refuse to start). AT_USERNAME and AT_API_KEY go together; ' +
        'TWILIO_ACCOUNT_SID needs TWILIO_AUTH_TOKEN and TWILIO_FROM; TWILIO_AUTH_TOKEN alone only checks webhooks. ' +
        'Values are read once per container: a running container keeps the old ones until it is replaced. ' +
        'Tip: --secret-string file://creds.json keeps the keys out of shell history.',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: alarmTopic.topicArn,
      description:
        'Operator alarms (SMS dead letters); subscribe with ' +
        'aws sns subscribe --topic-arn <this ARN> --protocol email --notification-endpoint <address>',
    });
    new CfnOutput(this, 'OutboxDeadLetterQueueUrl', {
      value: deadLetterQueue.queueUrl,
      description:
        'Outbound SMS given up on (the message id is in the body; its status and last error are in the table)',
    });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'OfficersImportCommand', {
      value:
        `HOTLINE_MODE=aws AWS_REGION=${this.region} TABLE_NAME=${table.tableName} SECRETS_ARN=${phoneHashKey.secretArn} ` +
        'npm run officers:import -- rota.csv',
      description:
        'Loads the on-call rota (name,phone,role,languages,escalation_level) into the deployed table; the phone hash ' +
        'key is read from Secrets Manager with your credentials, so officers are found by the same keyed hash.',
    });

    // ---- cdk-nag AwsSolutions (v3: CDK policy validation): accepted findings, acknowledged where they arise ----
    // (Each function's own findings are acknowledged in hotlineFunction below.)
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
    acknowledgeNag(providerCredentials, 'AwsSolutions-SMG4',
      "Africa's Talking API keys and Twilio auth tokens are issued in the providers' consoles; Secrets Manager has " +
        'no rotation function for them. Rotation is a manual runbook step: issue a new key at the provider, ' +
        'put-secret-value, let the functions pick it up, then revoke the old key at the provider.');
  }
}

interface HotlineFunctionProps {
  description: string;
  /** The handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  timeout: Duration;
  table: Table;
  /** Their ARNs go in SECRETS_ARN, in this order (a later secret's keys win); the function may read them. */
  secrets: Secret[];
  /** The public URL that providers call (Twilio signs it, the Twilio sender builds its status callback from it). */
  publicBaseUrl: string;
  /** Variables beyond those every hotline function gets. */
  environment: Record<string, string>;
}

/**
 * One hotline function: its own log group and role (instead of AWSLambdaBasicExecutionRole, which may write to any
 * log group in the account, the function may write only to its own log group), read/write on the table, read on
 * its secrets, and the bundling every function shares. Further grants are added by the caller.
 */
function hotlineFunction(scope: Construct, id: string, props: HotlineFunctionProps): NodejsFunction {
  const logGroup = new LogGroup(scope, `${id}Logs`, {
    retention: LOG_RETENTION,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const role = new Role(scope, `${id}Role`, {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: props.description,
  });
  logGroup.grantWrite(role);

  const fn = new NodejsFunction(scope, id, {
    description: props.description,
    entry: source(props.entry),
    handler: 'handler',
    projectRoot: repoRoot,
    depsLockFilePath: source('package-lock.json'),
    runtime: Runtime.NODEJS_22_X,
    architecture: Architecture.ARM_64,
    memorySize: 512,
    timeout: props.timeout,
    logGroup,
    role,
    environment: {
      HOTLINE_MODE: 'aws',
      TABLE_NAME: props.table.tableName,
      // ARNs only: the values are read at start-up from Secrets Manager, never placed in the environment.
      SECRETS_ARN: props.secrets.map((secret) => secret.secretArn).join(','),
      NODE_OPTIONS: '--enable-source-maps',
      // The API does not depend on the functions, so this is no cycle. With a custom domain this must become that
      // domain.
      PUBLIC_BASE_URL: props.publicBaseUrl,
      ...props.environment,
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
  props.table.grantReadWriteData(fn);
  for (const secret of props.secrets) secret.grantRead(fn);

  for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
    acknowledgeNag(role, `AwsSolutions-IAM5[Action::${action}]`,
      `${action} comes from table.grantReadWriteData and is limited to the table's own KMS key (one resource, no ` +
        'resource wildcard); DynamoDB needs these actions to encrypt items under the customer-managed key.');
  }
  acknowledgeNag(fn, 'AwsSolutions-L1',
    'The runtime is pinned to nodejs22.x by the project stack decision (Node 22, matching the esbuild target); ' +
      'moving to nodejs24.x is a deliberate, tested upgrade rather than drift.');
  return fn;
}

/** Accepts one cdk-nag AwsSolutions finding on a construct (and its children), with the reason it is accepted. */
function acknowledgeNag(scope: Construct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions::${rule}`, reason });
}
