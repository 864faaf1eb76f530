import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, RemovalPolicy, type Duration } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { HotlineTable } from './table';
import { LOG_RETENTION } from './logs';
import { acknowledgeNag } from './nag';
import { leadingKeys } from './table-access';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The function's code: infra/bundling.ts run with the local esbuild (never Docker) at synthesis, in a child process
 * (CDK's local bundling is synchronous; esbuild's plugins, which give each function only its own texts, are not).
 * The asset is named after the hash of the bundle, so an unchanged bundle is not uploaded again.
 */
function bundledCode(entry: string): Code {
  return Code.fromAsset(repoRoot, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the API, never pulled: the local bundling below always succeeds or throws. The command also keys
      // CDK's cache of bundles within a synthesis (which ignores `local`): without it every function got the first's.
      image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'),
      command: ['bash', '-c', `npx tsx infra/bundle-function.ts ${entry} /asset-output`],
      local: {
        tryBundle(outputDir) {
          const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/bundle-function.ts', entry, outputDir], { cwd: repoRoot, encoding: 'utf8' });
          if (run.status !== 0) throw new Error(`bundling ${entry} failed: ${run.stderr || run.error?.message}`);
          return true;
        },
      },
    },
  });
}

/**
 * Memory and timeout of each function, from measurement. Each bundled handler in cdk.out was imported in a fresh
 * Node process (NODE_OPTIONS=--enable-source-maps, as deployed) and invoked with its real event shape (API Gateway
 * v2 with a base64 form body, Twilio-signed where Twilio calls; SQS records; scheduler payloads): once cold, then 50
 * times warm, against dynalite, with SQS/KMS/Scheduler answered by a stand-in on loopback and the secrets already in
 * the environment. Three runs each on a 2-core x64 host (Node 20.20) shared with other test suites (load ~5), so the
 * lowest of the three is the figure; ranges in brackets. 2026-11-25, before the bundles were cut (provider SDKs,
 * zod/mini, texts per function): today's sizes and import times are in the README's "Performance"; the memory
 * reasoning below still holds, since the bundles only got smaller.
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
export const WEBHOOK_MEMORY_MB = 1024;
export const BACKGROUND_MEMORY_MB = 512;

export interface HotlineFunctionProps {
  description: string;
  /** The handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  /** Set from measurement: see the memory note above. */
  memorySize: number;
  timeout: Duration;
  reservedConcurrentExecutions?: number;
  /** The public URL that providers call (Twilio signs it, the Twilio sender builds its status callback from it). */
  publicBaseUrl: string;
  /** The function's own variables; what a binding needs (TABLE_NAME, SECRETS_ARN, queue URLs…) the binding adds. */
  environment?: Record<string, string>;
}

/**
 * The table actions a function may use: exactly the item commands of shared/store/* (GetCommand, PutCommand,
 * UpdateCommand, DeleteCommand, QueryCommand, BatchGetCommand). Not Scan (nothing scans), nor the batch-write, stream
 * or table-management actions of `grantReadWriteData`. test/infra.test.ts checks these against the commands each
 * function's bundle imports.
 */
export const TABLE_ACTIONS = [
  // BatchGetItem: a Kannel USSD step reads the session's path and the caller's language in one round-trip.
  'dynamodb:BatchGetItem',
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:UpdateItem',
];

/**
 * One hotline function (after the Powertools example app's FunctionWithLogGroup): a Node 22 arm64 function bundled
 * by infra/bundling.ts with the local esbuild (never Docker), with its own log group and its own role. Instead of
 * AWSLambdaBasicExecutionRole, which may write to any log group in the account, the role may write only to the
 * function's log group; everything else it may do comes from a `bind…` call, each of which grants exactly what the
 * code behind it uses and sets the variable that tells the code where it is.
 *
 * The log group and role are its siblings, `<id>Logs` and `<id>Role`, not its children: their logical ids are
 * those of the deployed stack, so the retained log groups are kept, not replaced.
 */
export class HotlineFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: HotlineFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: LOG_RETENTION, removalPolicy: RemovalPolicy.RETAIN });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    logGroup.grantWrite(role);
    super(scope, id, {
      description: props.description,
      code: bundledCode(props.entry),
      handler: 'index.handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      logGroup,
      role,
      environment: {
        HOTLINE_MODE: 'aws',
        NODE_OPTIONS: '--enable-source-maps',
        // The API does not depend on the functions, so this is no cycle. With a custom domain this must become that
        // domain.
        PUBLIC_BASE_URL: props.publicBaseUrl,
        ...props.environment,
      },
    });
    acknowledgeNag(this, 'AwsSolutions-L1',
      'The runtime is pinned to nodejs22.x by the project stack decision (Node 22, matching the esbuild target); ' +
        'moving to nodejs24.x is a deliberate, tested upgrade rather than drift.');
  }

  /**
   * TABLE_NAME, the item actions of shared/store/* on the table for the items of the given partition families only
   * (`dynamodb:LeadingKeys`, infra/constructs/table-access.ts), and the use of the table's key. `unusedActions`: of
   * TABLE_ACTIONS, those the function's bundle never sends (the outbox reads no batch).
   */
  bindTable({ table }: HotlineTable, families: readonly string[], extraActions: readonly string[] = [], unusedActions: readonly string[] = []): this {
    this.addEnvironment('TABLE_NAME', table.tableName);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: [...TABLE_ACTIONS.filter((action) => !unusedActions.includes(action)), ...extraActions],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': leadingKeys(families) } },
      }),
    );
    // DynamoDB encrypts and decrypts items under the table key on the caller's behalf; the same key encrypts the
    // intake journal queues, whose producers and consumer therefore need nothing more.
    table.encryptionKey!.grantEncryptDecrypt(this);
    for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
      acknowledgeNag(this.role!, `AwsSolutions-IAM5[Action::${action}]`,
        `${action} is granted on the table's own KMS key only (one resource, no resource wildcard): DynamoDB needs ` +
          'it to encrypt items under the customer-managed key, and SQS to encrypt intake journal messages under it.');
    }
    return this;
  }

  /**
   * SECRETS_ARN, in this order (a later secret's keys win), and GetSecretValue on exactly these: the values are read
   * at start-up from Secrets Manager (shared/secrets.ts), never placed in the environment.
   */
  bindSecrets(secrets: readonly Secret[]): this {
    this.addEnvironment('SECRETS_ARN', secrets.map((secret) => secret.secretArn).join(','));
    // GetSecretValue only (Secret.grantRead would add DescribeSecret, which shared/secrets.ts never calls).
    this.addToRolePolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: secrets.map((secret) => secret.secretArn) }),
    );
    return this;
  }
}
