import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogField, AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, Metric, Stats, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
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
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { DEFAULT_ACK_TIMEOUT_SECONDS, DEFAULT_REPEAT_COUNT, ESCALATION_EXHAUSTED_MESSAGE } from '../shared/escalation/config';
import { TABLE_KEYS } from '../shared/store/keys';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const source = (relative: string) => fileURLToPath(new URL(`../${relative}`, import.meta.url));

/**
 * The public webhook routes of the USSD function (docs/providers.md). Local-only `/dev/` routes are never mounted
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
 * The public webhook routes of the voice function (functions/voice/app.ts): every callback of a call (answer,
 * Gather, Record, Dial, Africa's Talking's final `isActive=0`) comes back to one path per provider, its state in the
 * query string. The app's local-only `GET /audio/...` route (recorded prompts from disk) is never mounted: on AWS the
 * recordings come from AUDIO_BASE_URL.
 */
export const VOICE_ROUTES = [
  { method: HttpMethod.POST, path: '/voice/africastalking' },
  { method: HttpMethod.POST, path: '/voice/twilio' },
] as const;

/**
 * Sending attempts per outbound SMS (the outbox function's SMS_MAX_ATTEMPTS). The function itself moves a message
 * it gives up on to the dead-letter queue on its final attempt and marks it failed; the queue's redrive allows one
 * receive more, as a safety net for a function that crashes or times out on every attempt.
 */
export const SMS_MAX_ATTEMPTS = 4;

/**
 * Replays of one journaled report before it is dead-lettered. functions/intake-replay backs each failed replay off
 * (60 s × 2^(n-1), at most 12 h): 12 receives span about 46 hours, longer than any DynamoDB incident on record, and
 * the `report-journal-waiting` alarm has called an operator long before.
 */
export const JOURNAL_MAX_RECEIVES = 12;

/** Every alarm's metric name and the EMF namespace of the business metrics (shared/metrics.ts). */
export const ESCALATION_METRIC = { namespace: 'SafeJobHotline', metricName: 'EscalationsExhausted' } as const;

/**
 * Memory and timeout of each function, from measurement. Each bundled handler in cdk.out was imported in a fresh
 * Node process (NODE_OPTIONS=--enable-source-maps, as deployed) and invoked with its real event shape (API Gateway
 * v2 with a base64 form body, Twilio-signed where Twilio calls; SQS records; scheduler payloads): once cold, then 50
 * times warm, against dynalite, with SQS/KMS/Scheduler answered by a stand-in on loopback and the secrets already in
 * the environment. Three runs each on a 2-core x64 host (Node 20.20) shared with other test suites (load ~5), so the
 * lowest of the three is the figure; ranges in brackets. 2026-11-25.
 *
 * | function      | bundle  | cold: module import   | first request     | warm request p50 | RSS after 51 requests |
 * | ------------- | ------- | --------------------- | ----------------- | ---------------- | --------------------- |
 * | ussd          | 786 KB  | 350 ms (350–600)      | 80 ms (80–195)    | 2.7 ms (2–8)     | 109–117 MB            |
 * | sms           | 796 KB  | 300 ms (300–1,140)    | 95 ms (95–175)    | 15 ms (15–32) *  | 119–124 MB            |
 * | voice         | 878 KB  | 345 ms (345–775)      | 180 ms (180–390)  | 3.8 ms (4–8)     | 136–147 MB            |
 * | outbox        | 5.8 MB  | 695 ms (695–1,600)    | 55 ms (55–420)    | 1.7 ms (2–7) **  | 220–229 MB            |
 * | escalation    | 727 KB  | 205 ms (205–1,020)    | 43 ms (43–170)    | 2.5 ms (2.5–8)   | 97–110 MB             |
 * | intake-replay | 741 KB  | 245 ms (245–1,110)    | 115 ms (115–365)  | 28 ms (28–34) *  | 118–122 MB            |
 *
 * (* several table writes on dynalite, which is far slower per write than DynamoDB; ** a message already sent, so
 * without the provider call, which dominates a real send.) Without source maps the same import is ~10–20% faster and
 * ~25 MB smaller; they stay on: an error's stack must point into our sources.
 *
 * Lambda gives a function CPU in proportion to its memory (one vCPU at 1,769 MB: ~0.29 vCPU at 512 MB, ~0.58 at
 * 1,024 MB); this host runs a request on one full core.
 * - Memory: no function uses more than ~230 MB (the outbox, with the Twilio SDK), so memory buys CPU, i.e.
 *   cold-start and request latency. The three webhooks, which a caller waits on, get 1,024 MB: a cold start (import
 *   and first request: 0.4–0.8 s on a full core) then takes roughly 0.7–1.4 s instead of 1.5–2.7 s at 512 MB, plus
 *   ~0.1–0.2 s for the secrets.
 *   The queue and scheduler consumers, which nobody waits on, keep 512 MB (the outbox uses under half of it).
 * - Timeouts: a warm request is a few ms of our code plus 2–6 DynamoDB round trips (~5–20 ms each in region), so
 *   they are set by what waits, not by the work: USSD gateways give up after ~10 s and Twilio after 15 s, so 10 s
 *   for the webhooks (an answer later than that is never heard); 30 s for a batch of up to 10 queue messages, each up
 *   to two provider calls (outbox) or a replay and an escalation start (intake replay).
 */
const WEBHOOK_MEMORY_MB = 1024;
const BACKGROUND_MEMORY_MB = 512;
const WEBHOOK_TIMEOUT = Duration.seconds(10);

/** One outbox batch: at most 10 messages, each up to two provider calls (the routed one, then the failover). */
const OUTBOX_TIMEOUT = Duration.seconds(30);
/** A short wait to collect a burst into one invocation; a reply to a texter leaves at most this much later. */
const OUTBOX_BATCHING_WINDOW = Duration.seconds(1);
/**
 * At most this many outbox invocations at once (10 messages each): ~50–100 SMS/s, above what the providers accept
 * from one account, and the queue consumers cannot take the account's concurrency from the webhooks in a burst.
 */
const OUTBOX_MAX_CONCURRENCY = 10;

/** One intake-replay batch: up to 10 journaled reports, each two writes and possibly an escalation start. */
const REPLAY_TIMEOUT = Duration.seconds(30);

/** The escalation function: one step's state write, a few SMS into the outbox and one schedule, or a sweep. */
const ESCALATION_TIMEOUT = Duration.seconds(30);
/** How often the sweeper handles escalations whose one-off trigger was lost (a failed invocation past its retries). */
export const ESCALATION_SWEEP_RATE = 'rate(5 minutes)';

/**
 * The number vault's encryption context (shared/crypto-kms.ts ENCRYPTION_CONTEXT): the functions may use the key
 * only with it, so the key seals and opens call-back numbers and nothing else.
 */
export const NUMBER_VAULT_ENCRYPTION_CONTEXT = { purpose: 'reporter-callback-number' } as const;

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

/**
 * Deploy-time choices, as CDK context (`npx cdk deploy -c audioBaseUrl=https://...`); all optional.
 * - `audioBaseUrl`: where the recorded voice prompts are served (AUDIO_BASE_URL); unset, every prompt is spoken.
 * - `alarmEmail`: an address subscribed to the alarm topic (it must confirm the subscription by e-mail).
 * - `ussdReservedConcurrency`: concurrency reserved for the USSD function (see the USSD function below).
 */
export interface HotlineContext {
  audioBaseUrl?: string;
  alarmEmail?: string;
  ussdReservedConcurrency?: number;
}

function contextOf(scope: Construct): HotlineContext {
  const value = (key: string): string | undefined => {
    const raw: unknown = scope.node.tryGetContext(key);
    return raw === undefined || raw === null || raw === '' ? undefined : String(raw);
  };
  const audioBaseUrl = value('audioBaseUrl');
  if (audioBaseUrl !== undefined && !/^https:\/\/[^\s]+$/.test(audioBaseUrl)) {
    throw new Error(`context audioBaseUrl must be an https:// URL, not "${audioBaseUrl}"`);
  }
  const alarmEmail = value('alarmEmail');
  if (alarmEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(alarmEmail)) {
    throw new Error(`context alarmEmail must be an e-mail address, not "${alarmEmail}"`);
  }
  const reserved = value('ussdReservedConcurrency');
  const ussdReservedConcurrency = reserved === undefined ? undefined : Number(reserved);
  if (ussdReservedConcurrency !== undefined && !(Number.isInteger(ussdReservedConcurrency) && ussdReservedConcurrency >= 1)) {
    throw new Error(`context ussdReservedConcurrency must be a whole number of at least 1, not "${reserved}"`);
  }
  return { audioBaseUrl, alarmEmail, ussdReservedConcurrency };
}

/**
 * The SafeJob Hotline on AWS: one table, the USSD, SMS and voice functions behind an HTTP API, the SMS outbox, the
 * intake journal and its replay, the on-call escalation, and the operators' alarms.
 */
export class HotlineStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const context = contextOf(this);

    // ---- Data -------------------------------------------------------------------------------------------------
    const tableKey = new Key(this, 'TableKey', {
      description: 'SafeJob Hotline: encryption at rest of the hotline table (reports, callers, officers) and of the intake journal',
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

    // The number vault (shared/crypto-kms.ts): a consented reporter's call-back number is stored only as a KMS
    // ciphertext under this key. Its own key, not the table's: who may use the table (every function) is not who
    // may open a number (only the SMS function, when an officer's ACK or DONE texts the reporter). Retained with
    // the table: without it the sealed numbers in the retained table could never be opened.
    const numberVaultKey = new Key(this, 'NumberVaultKey', {
      description: "SafeJob Hotline: seals reporters' call-back numbers (encryption context purpose=reporter-callback-number)",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // ---- Secrets ----------------------------------------------------------------------------------------------
    // CloudFormation generates one value per secret, so each generated value gets its own secret; each function
    // receives the ARNs it needs in SECRETS_ARN and lays their JSON keys over its environment (shared/secrets.ts).
    // The two generated ones also have different lifecycles: the token may be replaced at will (then re-pasted into
    // Africa's Talking), the hash key never (see the SMG4 acknowledgement).
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

    // ---- Operator alarms: an encrypted topic that only this stack's alarms may publish to ---------------------
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
    if (context.alarmEmail) alarmTopic.addSubscription(new EmailSubscription(context.alarmEmail));
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
    const snsAction = new SnsAction(alarmTopic);
    /** An alarm to the operators: at or above `threshold` in one period; no data is not a breach. */
    const alarm = (alarmId: string, name: string, description: string, metric: IMetric, threshold = 1): Alarm => {
      const created = new Alarm(this, alarmId, {
        alarmName: `${alarmNamePrefix}${name}`,
        alarmDescription: description,
        metric,
        threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(snsAction);
      return created;
    };

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

    alarm(
      'OutboxDeadLetterAlarm',
      'sms-dead-letters',
      'An outbound SMS was given up on (both providers refused it or stayed down): see the outbox dead-letter queue ' +
        'and the message status in the table.',
      deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: Stats.MAXIMUM }),
    );

    // ---- Intake journal: reports the table refused, replayed by functions/intake-replay -----------------------
    // A message is a report the table did not take (free text, identifiers, the sealed call-back number): table data
    // not yet written. So it is encrypted under the table's own key: exactly who may read the table (the functions,
    // which already hold kms:Decrypt/GenerateDataKey* on it through their table grant) may read the journal, and
    // nobody else. The data key is reused for 5 minutes, so a burst of journaled reports costs few KMS calls.
    const journalDeadLetterQueue = new Queue(this, 'ReportJournalDeadLetterQueue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: tableKey,
      dataKeyReuse: Duration.minutes(5),
      enforceSSL: true,
      // The longest SQS allows (counted from the first journaling): an operator redrives them once the cause is fixed.
      retentionPeriod: Duration.days(14),
    });
    const journalQueue = new Queue(this, 'ReportJournalQueue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: tableKey,
      dataKeyReuse: Duration.minutes(5),
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // AWS's rule for a Lambda event source: at least six times the function timeout.
      visibilityTimeout: Duration.seconds(6 * REPLAY_TIMEOUT.toSeconds()),
      deadLetterQueue: { queue: journalDeadLetterQueue, maxReceiveCount: JOURNAL_MAX_RECEIVES },
    });
    alarm(
      'ReportJournalDeadLetterAlarm',
      'report-journal-dead-letters',
      'A journaled report could not be stored after every replay (or its journal entry is unreadable): it is in the ' +
        'report journal dead-letter queue. Fix the cause (table, permissions), then redrive the queue to the journal.',
      journalDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: Stats.MAXIMUM }),
    );
    alarm(
      'ReportJournalWaitingAlarm',
      'report-journal-waiting',
      'Reports the table refused have been waiting over 15 minutes to be replayed: the table is refusing writes ' +
        '(throttling, KMS key disabled, permissions). Callers were told to try again; nothing is lost while they wait.',
      journalQueue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: Stats.MAXIMUM }),
      15 * 60,
    );

    // ---- On-call escalation: one-off EventBridge Scheduler triggers and the function they invoke -------------
    // Every step's ACK timeout is a one-off schedule in this group (created at run time by whichever function pages:
    // USSD, SMS, voice and the intake replay start escalations, the escalation function moves them on); the IAM
    // policies are scoped to it.
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
      memorySize: BACKGROUND_MEMORY_MB,
      timeout: ESCALATION_TIMEOUT,
      secrets: ussdSecrets,
      // Its own ARN comes from each invocation's context (an ARN in its own environment would be a cycle). No number
      // vault: pages and timeouts never text a reporter (functions/escalation/index.ts).
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

    /** The number vault: seal (every channel that takes reports), open (only where a reporter is texted back). */
    const allowVault = (fn: NodejsFunction, actions: ('kms:Encrypt' | 'kms:Decrypt')[]) => {
      fn.addToRolePolicy(
        new PolicyStatement({
          actions,
          resources: [numberVaultKey.keyArn],
          conditions: {
            StringEquals: Object.fromEntries(
              Object.entries(NUMBER_VAULT_ENCRYPTION_CONTEXT).map(([key, value]) => [`kms:EncryptionContext:${key}`, value]),
            ),
          },
        }),
      );
    };

    // What every channel that takes reports needs: the outbox (replies, confirmations, pages), the journal (a report
    // the table refused), the vault (a consented call-back number) and the escalation's timers (urgent reports).
    const takesReports = {
      OUTBOX_QUEUE_URL: outboxQueue.queueUrl,
      REPORT_JOURNAL_QUEUE_URL: journalQueue.queueUrl,
      NUMBER_VAULT_KMS_KEY_ID: numberVaultKey.keyArn,
      ESCALATION_FUNCTION_ARN: escalationFunction.functionArn,
      ...escalationTimers,
    };
    const allowTakingReports = (fn: NodejsFunction) => {
      // Enqueue only: SqsQueue.enqueue and SqsJournal.append are a SendMessage to a known URL. The journal's key
      // (the table key) is already granted with the table.
      outboxQueue.grant(fn, 'sqs:SendMessage');
      journalQueue.grant(fn, 'sqs:SendMessage');
      allowScheduling(fn);
    };

    // USSD: Africa's Talking's gateway waits ~10 s for an answer, then drops the session. A cold start, measured at
    // ~0.4–0.8 s of import and first request on one core (~0.7–1.4 s at 1,024 MB, see the memory note above) plus
    // the secrets, is well inside that, so no provisioned concurrency: it would cost a container kept warm around
    // the clock to save about a second on the first dial after a quiet spell. Reserved concurrency is off by
    // default, because a new AWS account's quota (as low as 10) cannot spare any; on an account with the usual
    // 1,000, set `-c ussdReservedConcurrency=50` so a burst of SMS or replays can never take the last containers
    // from callers on the line (it also caps USSD at that many requests in flight: at well under 0.1 s a warm
    // request, 50 containers answer several hundred requests a second).
    const ussdFunction = hotlineFunction(this, 'UssdFunction', {
      ...common,
      description: "SafeJob Hotline: Africa's Talking USSD webhooks",
      entry: 'functions/ussd/index.ts',
      memorySize: WEBHOOK_MEMORY_MB,
      timeout: WEBHOOK_TIMEOUT,
      reservedConcurrentExecutions: context.ussdReservedConcurrency,
      secrets: ussdSecrets,
      environment: takesReports,
    });
    allowTakingReports(ussdFunction);
    allowVault(ussdFunction, ['kms:Encrypt']);

    const smsFunction = hotlineFunction(this, 'SmsFunction', {
      ...common,
      description: "SafeJob Hotline: Africa's Talking and Twilio SMS webhooks and delivery reports",
      entry: 'functions/sms/index.ts',
      memorySize: WEBHOOK_MEMORY_MB,
      // Twilio waits about 15 s for a webhook answer; the reply itself leaves through the outbox.
      timeout: WEBHOOK_TIMEOUT,
      // TWILIO_AUTH_TOKEN (in the provider credentials) checks Twilio's signatures.
      secrets: smsSecrets,
      // Officers' commands (ACK, DONE…) and urgent SMS reports go through the escalation service.
      environment: takesReports,
    });
    allowTakingReports(smsFunction);
    // Decrypt too: an officer's ACK or DONE by SMS texts the reporter, whose number is sealed (escalation/service.ts
    // notifyReporter), and an officer's CALL hands it to the voice bridge (placeCall).
    allowVault(smsFunction, ['kms:Encrypt', 'kms:Decrypt']);

    const voiceFunction = hotlineFunction(this, 'VoiceFunction', {
      ...common,
      description: "SafeJob Hotline: Africa's Talking and Twilio voice call webhooks (IVR, messages, urgent line)",
      entry: 'functions/voice/index.ts',
      memorySize: WEBHOOK_MEMORY_MB,
      // Twilio waits 15 s for TwiML, Africa's Talking about as long; a caller hears silence meanwhile.
      timeout: WEBHOOK_TIMEOUT,
      // TWILIO_AUTH_TOKEN checks Twilio's signatures; the AT token Africa's Talking's callbacks.
      secrets: smsSecrets,
      environment: {
        ...takesReports,
        ...(context.audioBaseUrl ? { AUDIO_BASE_URL: context.audioBaseUrl } : {}),
      },
    });
    allowTakingReports(voiceFunction);
    // Decrypt too: when an officer picks up an Africa's Talking CALL bridge, the reporter's sealed number is opened
    // to dial it (functions/voice/app.ts answerBridge).
    allowVault(voiceFunction, ['kms:Encrypt', 'kms:Decrypt']);

    // The intake journal's consumer: stores each journaled report (idempotently) and starts the escalation of an
    // urgent one. It seals nothing (the entry carries the sealed number) and opens nothing: no vault permission,
    // though the shared channel wiring wants the key's id.
    const intakeReplayFunction = hotlineFunction(this, 'IntakeReplayFunction', {
      ...common,
      description: 'SafeJob Hotline: replays reports the table refused (the intake journal) and starts urgent escalations',
      entry: 'functions/intake-replay/index.ts',
      memorySize: BACKGROUND_MEMORY_MB,
      timeout: REPLAY_TIMEOUT,
      secrets: ussdSecrets,
      environment: {
        ...takesReports,
        // An entry that is not a journal entry is moved here at once: no replay can make it readable.
        REPORT_JOURNAL_DEAD_LETTER_QUEUE_URL: journalDeadLetterQueue.queueUrl,
      },
    });
    intakeReplayFunction.addEventSource(
      new SqsEventSource(journalQueue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        // Two at a time: a journal fills only while the table refuses writes; replaying faster would only add load.
        maxConcurrency: 2,
      }),
    );
    outboxQueue.grant(intakeReplayFunction, 'sqs:SendMessage');
    journalDeadLetterQueue.grant(intakeReplayFunction, 'sqs:SendMessage');
    allowScheduling(intakeReplayFunction);

    // An escalation left open (nobody acknowledged after every round, or nobody to page) alarms the operators. The
    // service logs one fixed message wherever it happens: the escalation function, or whichever function started
    // the escalation when a report finds nobody to page at all.
    for (const fn of [escalationFunction, ussdFunction, smsFunction, voiceFunction, intakeReplayFunction]) {
      new MetricFilter(this, `${fn.node.id}ExhaustedFilter`, {
        logGroup: fn.logGroup,
        filterPattern: FilterPattern.stringValue('$.message', '=', ESCALATION_EXHAUSTED_MESSAGE),
        metricNamespace: ESCALATION_METRIC.namespace,
        metricName: ESCALATION_METRIC.metricName,
        metricValue: '1',
      });
    }
    alarm(
      'EscalationExhaustedAlarm',
      'escalation-exhausted',
      'An urgent report was not acknowledged by any officer after every round (or nobody was on the rota to page): ' +
        'it stays open. Find the reference in the logs ("escalation exhausted"), and page someone.',
      new Metric({ ...ESCALATION_METRIC, period: Duration.minutes(1), statistic: Stats.SUM }),
    );

    const outboxFunction = hotlineFunction(this, 'OutboxFunction', {
      ...common,
      description: 'SafeJob Hotline: sends queued SMS through the providers, with failover, backoff and dead-lettering',
      entry: 'functions/outbox/index.ts',
      memorySize: BACKGROUND_MEMORY_MB,
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
        maxConcurrency: OUTBOX_MAX_CONCURRENCY,
      }),
    );
    deadLetterQueue.grant(outboxFunction, 'sqs:SendMessage');

    // Every function: an error (an exception or a timeout, not an answered 4xx/5xx) or a throttled invocation
    // alarms at once. Each is a caller without an answer, an SMS not sent or a timer not run; Lambda retries the
    // queue and scheduler invocations, but an operator should still look.
    const functions = {
      ussd: ussdFunction,
      sms: smsFunction,
      voice: voiceFunction,
      outbox: outboxFunction,
      escalation: escalationFunction,
      'intake-replay': intakeReplayFunction,
    };
    for (const [name, fn] of Object.entries(functions)) {
      alarm(
        `${fn.node.id}ErrorsAlarm`,
        `${name}-errors`,
        `The ${name} function failed (an uncaught error or a timeout): see its log group for "level":"error" lines and ` +
          'the REPORT lines with a Status other than success.',
        fn.metricErrors({ period: Duration.minutes(5), statistic: Stats.SUM }),
      );
      alarm(
        `${fn.node.id}ThrottlesAlarm`,
        `${name}-throttles`,
        `The ${name} function was throttled: the account's (or its reserved) concurrency is used up. Ask AWS for a ` +
          'higher Lambda concurrency quota, or look for a runaway caller in the API access logs.',
        fn.metricThrottles({ period: Duration.minutes(5), statistic: Stats.SUM }),
      );
    }

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

    // Any 5xx is a caller or a provider that got no answer (a store outage answers 503 on purpose, so the provider
    // retries): one in five minutes alarms.
    alarm(
      'ApiServerErrorAlarm',
      'api-5xx',
      'The webhooks answered 5xx (a function error, a timeout, or 503 while the table is unavailable): see the API ' +
        'access logs (status, integrationError) and the function alarms.',
      api.metricServerError({ period: Duration.minutes(5), statistic: Stats.SUM }),
    );

    const ussdIntegration = new HttpLambdaIntegration('UssdIntegration', ussdFunction);
    const smsIntegration = new HttpLambdaIntegration('SmsIntegration', smsFunction);
    const voiceIntegration = new HttpLambdaIntegration('VoiceIntegration', voiceFunction);
    const routes = [
      ...USSD_ROUTES.map((route) => ({ ...route, integration: ussdIntegration })),
      ...SMS_ROUTES.map((route) => ({ ...route, integration: smsIntegration })),
      ...VOICE_ROUTES.map((route) => ({ ...route, integration: voiceIntegration })),
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
    new CfnOutput(this, 'VoiceCallbackUrl', {
      value: `${endpoint}/voice/africastalking?token=`,
      description:
        "Africa's Talking voice callback URL of the hotline's voice number: append the AT_WEBHOOK_TOKEN. Every later " +
        'callback of the call (and the final one after hang-up) comes back to it with its state.',
    });
    new CfnOutput(this, 'TwilioVoiceWebhookUrl', {
      value: `${endpoint}/voice/twilio`,
      description:
        'Twilio voice webhook (A call comes in, HTTP POST) of the number; signed with TWILIO_AUTH_TOKEN. Leave the ' +
        'call status callback empty: every step of the call comes back to this URL.',
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
        'Operator alarms (dead letters, function errors and throttles, API 5xx, escalations left open, reports ' +
        'waiting for replay); subscribe with ' +
        'aws sns subscribe --topic-arn <this ARN> --protocol email --notification-endpoint <address>',
    });
    new CfnOutput(this, 'OutboxDeadLetterQueueUrl', {
      value: deadLetterQueue.queueUrl,
      description:
        'Outbound SMS given up on (the message id is in the body; its status and last error are in the table)',
    });
    new CfnOutput(this, 'ReportJournalDeadLetterQueueUrl', {
      value: journalDeadLetterQueue.queueUrl,
      description:
        'Reports the table refused on every replay: once the cause is fixed, redrive them to the journal ' +
        '(aws sqs start-message-move-task --source-arn <this queue ARN>)',
    });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'RegistryImportCommand', {
      value: `HOTLINE_MODE=aws AWS_REGION=${this.region} TABLE_NAME=${table.tableName} npm run registry:import -- registry.csv`,
      description:
        'Loads the licence registry CSV (data/registry.sample.csv shows the columns) into the deployed table with ' +
        'your AWS credentials; add --dry-run to check the file first. Running functions see it within a minute.',
    });
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
  /** Set from measurement: see the memory note at the top of this file. */
  memorySize: number;
  timeout: Duration;
  reservedConcurrentExecutions?: number;
  table: Table;
  /** Their ARNs go in SECRETS_ARN, in this order (a later secret's keys win); the function may read them. */
  secrets: Secret[];
  /** The public URL that providers call (Twilio signs it, the Twilio sender builds its status callback from it). */
  publicBaseUrl: string;
  /** Variables beyond those every hotline function gets. */
  environment: Record<string, string>;
}

/**
 * The table actions a function may use: exactly the item commands of shared/store/* (GetCommand, PutCommand,
 * UpdateCommand, DeleteCommand, QueryCommand). Not Scan (only the operators' export scans, with their own
 * credentials), nor the batch, stream or table-management actions of `grantReadWriteData`. test/infra.test.ts checks
 * these against the commands each function's bundle imports.
 */
export const TABLE_ACTIONS = ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'];

/**
 * One hotline function: its own log group and role (instead of AWSLambdaBasicExecutionRole, which may write to any
 * log group in the account, the function may write only to its own log group), the item actions on the table (and
 * its key), GetSecretValue on its secrets, and the bundling every function shares. Further grants are added by the
 * caller.
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
    memorySize: props.memorySize,
    timeout: props.timeout,
    reservedConcurrentExecutions: props.reservedConcurrentExecutions,
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
  props.table.grant(fn, ...TABLE_ACTIONS);
  // DynamoDB encrypts and decrypts items under the table key on the caller's behalf; the same key encrypts the
  // intake journal queues, whose producers and consumer therefore need nothing more.
  props.table.encryptionKey!.grantEncryptDecrypt(fn);
  // GetSecretValue only (Secret.grantRead would add DescribeSecret, which shared/secrets.ts never calls).
  fn.addToRolePolicy(
    new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: props.secrets.map((secret) => secret.secretArn) }),
  );

  for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
    acknowledgeNag(role, `AwsSolutions-IAM5[Action::${action}]`,
      `${action} is granted on the table's own KMS key only (one resource, no resource wildcard): DynamoDB needs ` +
        'it to encrypt items under the customer-managed key, and SQS to encrypt intake journal messages under it.');
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
