import * as z from './domain/zod';
import { MOBILE_OPERATORS, isMobileOperator, type MobileOperator } from './channels/mobile-operators';
// Types only: a section's schemas are built in the bundles of the functions that read it, not in every one.
import type { escalationSection } from './escalation/config';
import type { voiceSection } from './channels/voice-config';
import type { quizSection } from './quiz/config';
import type { outreachSection } from './outreach/config';
import type { consoleSection } from './console/config';
import type { studioSection } from './studio/config';

/**
 * The configuration of the hotline, read from environment variables: a base every function reads, and sections
 * (the escalation's, the voice line's, the console's...) that each function parses only if it reads them, so that a
 * Lambda builds and runs only its own schemas (`loadConfig(env, sections)`; shared/config-sections.ts has them all).
 * `HOTLINE_MODE=local` (the default) is `npm start` on a laptop; `aws` is a deployed Lambda, where every secret
 * must be present (the stack injects them from Secrets Manager, see functions/runtime.ts).
 */
const LOCAL_PHONE_HASH_KEY = 'local-development-only-phone-hash-key-not-secret';

const LOCAL_TWILIO_AUTH_TOKEN = 'local-twilio-auth-token';
const LOCAL_NUMBER_VAULT_SECRET = 'local-development-only-number-vault-secret';

/** One schema shared by every such variable (zod's schemas are immutable): each variable adds only its default. */
const POSITIVE_INT = z.coerce.number().check(z.int(), z.positive());
const positiveInt = (fallback: number) => z._default(POSITIVE_INT, fallback);
const OPTIONAL_URL = z.optional(z.url());
const OPTIONAL_NON_EMPTY = z.optional(z.string().check(z.minLength(1)));
/** Milliseconds, from 50 ms to 10 minutes. */
const OPTIONAL_MS = z.optional(z.coerce.number().check(z.int(), z.gte(50), z.lte(600_000)));
const OPTIONAL_PHONE = z.optional(z.string().check(z.regex(/^\+\d{6,15}$/, 'a +number')));
const OPTIONAL_AT_LEAST_32 = z.optional(z.string().check(z.minLength(32, 'at least 32 characters')));
const NON_NEGATIVE_INT = z.coerce.number().check(z.int(), z.nonnegative());
const PROVIDERS = ['africastalking', 'twilio', 'kannel'] as const;
export type SmsProviderName = (typeof PROVIDERS)[number];

/** `+992=kannel,+44=twilio,*=africastalking`: which provider sends to which destination prefix. */
const smsRoutes = z.pipe(
  z._default(z.string(), '+992=africastalking,+996=africastalking,+998=africastalking,+7=africastalking,+44=twilio,*=africastalking'),
  z.transform((value, ctx) => {
    const routes: { prefix: string; provider: SmsProviderName }[] = [];
    for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
      const [prefix, provider] = part.split('=').map((p) => p.trim());
      if (!prefix || !/^(\*|\+\d{1,6})$/.test(prefix) || !PROVIDERS.includes(provider as SmsProviderName)) {
        ctx.issues.push({ code: 'custom', input: ctx.value, message: `"${part}" is not PREFIX=PROVIDER (e.g. +992=kannel, *=twilio)` });
        return z.NEVER;
      }
      routes.push({ prefix, provider: provider as SmsProviderName });
    }
    return routes;
  }),
);

/** The environment a process reads everything from: here, and nowhere else (everything else is handed it). */
export type Environment = Record<string, string | undefined>;

/** The process environment: the one read of `process.env` in the repository (tests pass their own objects). */
export function readEnvironment(): Environment {
  return process.env;
}

/** Whether this process is a Lambda container (the runtime sets AWS_LAMBDA_FUNCTION_NAME). */
export function runsOnLambda(env: Environment = readEnvironment()): boolean {
  return !!env.AWS_LAMBDA_FUNCTION_NAME;
}

/** The store's variables: which table, where. Part of the whole configuration, and all an operator command needs. */
export const storeEnvShape = {
  HOTLINE_MODE: z._default(z.enum(['local', 'aws']), 'local'),
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'eu-west-2'),
  AWS_ENDPOINT_URL_DYNAMODB: OPTIONAL_URL,
  TABLE_NAME: z._default(z.string().check(z.regex(/^[a-zA-Z0-9_.-]{3,255}$/, 'a DynamoDB table name')), 'safejob-hotline'),
};

/** The local store's default endpoint (`npm start` runs dynalite there). */
const LOCAL_DYNAMO_ENDPOINT = 'http://127.0.0.1:8000';

/**
 * The table an operator's command (import, export) works on, from the store's variables only: such commands need
 * none of the hotline's secrets, which the whole configuration requires in aws mode. By default the running local
 * hotline; with HOTLINE_MODE=aws and no endpoint, the deployed table TABLE_NAME in AWS_REGION.
 */
export const storeTargetSchema = z.lazy(() => z.pipe(
  z.object(storeEnvShape),
  z.transform((env) => ({
    region: env.AWS_REGION,
    endpoint: env.AWS_ENDPOINT_URL_DYNAMODB ?? (env.HOTLINE_MODE === 'local' ? LOCAL_DYNAMO_ENDPOINT : undefined),
    tableName: env.TABLE_NAME,
  })),
));

/**
 * `tcell=SMPP_TCELL,megafon=SMPP_MEGAFON,*=SMPP_DEFAULT`: the Kannel `smsc-id` (one SMPP bind per operator) that
 * sends to each operator's numbers (Tajik, Uzbek, Kyrgyz), the operator told by the number's prefix
 * (shared/channels/mobile-operators.ts).
 * `*` is every other number; unset, Kannel routes by its own configuration.
 */
const kannelSmscRoutes = z.pipe(
  z.optional(z.string()),
  z.transform((value, ctx) => {
    const routes: Partial<Record<MobileOperator | '*', string>> = {};
    for (const part of (value ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
      const [operator, smsc] = part.split('=').map((p) => p.trim());
      if (!operator || !(operator === '*' || isMobileOperator(operator)) || !smsc || !/^[A-Za-z0-9_.-]{1,40}$/.test(smsc)) {
        ctx.issues.push({
          input: ctx.value,
          code: 'custom',
          message: `"${part}" is not OPERATOR=SMSC_ID (operators: ${MOBILE_OPERATORS.join(', ')} or *; e.g. tcell=SMPP_TCELL)`,
        });
        return z.NEVER;
      }
      routes[operator as MobileOperator | '*'] = smsc;
    }
    return routes;
  }),
);

/** The variables every function reads: the store, the providers, the SMS lanes, the reports. */
const baseEnvShape = {
    ...storeEnvShape,
    PORT: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(65535)), 3000),
    /** Shared secret that Africa's Talking sends as `?token=`; it signs nothing, so this is its only proof. */
    AT_WEBHOOK_TOKEN: z.optional(z.string().check(z.minLength(16, 'at least 16 characters'))),
    /** HMAC key for phone numbers: a plain hash of the small Tajik number space could be brute-forced. */
    PHONE_HASH_KEY: OPTIONAL_AT_LEAST_32,
    /** USSD screen limits (characters after NFC): 160 octets are 182 GSM 7-bit characters or ~80 UCS-2 ones. */
    USSD_MAX_CHARS_GSM: positiveInt(182),
    USSD_MAX_CHARS_UCS2: positiveInt(80),
    /** The USSD code the hotline is reached on, quoted in SMS help. */
    USSD_SERVICE_CODE: z._default(z.string().check(z.minLength(2), z.maxLength(30)), '*384*1234#'),
    /** The public base URL of the webhooks (`https://….execute-api…`), over which Twilio computes signatures. */
    PUBLIC_BASE_URL: OPTIONAL_URL,
    AT_USERNAME: OPTIONAL_NON_EMPTY,
    AT_API_KEY: OPTIONAL_NON_EMPTY,
    /** Sender ID or short code for outbound SMS through Africa's Talking (its default when unset). */
    AT_SENDER_ID: z.optional(z.string().check(z.minLength(1), z.maxLength(20))),
    TWILIO_ACCOUNT_SID: z.optional(z.string().check(z.regex(/^AC[0-9a-fA-F]{32}$/, 'an account SID (AC + 32 hex digits)'))),
    TWILIO_AUTH_TOKEN: z.optional(z.string().check(z.minLength(8))),
    /** A Twilio number (+447…) or messaging service SID (MG…) to send from. */
    TWILIO_FROM: z.optional(z.string().check(z.regex(/^(\+\d{6,15}|MG[0-9a-fA-F]{32})$/, 'a +number or an MG… messaging service SID'))),
    SMS_ROUTES: smsRoutes,
    /** Kannel's sendsms CGI (`http://kannel-host:13013/cgi-bin/sendsms`, over TLS when it crosses the internet). */
    KANNEL_SENDSMS_URL: z.optional(z.url({ protocol: /^https?$/, error: 'an http(s) URL of the sendsms CGI' })),
    KANNEL_USERNAME: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
    KANNEL_PASSWORD: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
    /** The sender (short code or approved sender ID) Kannel's messages carry; Kannel's own default when unset. */
    KANNEL_FROM: z.optional(
      z.string().check(z.regex(/^(\+?\d{3,15}|[A-Za-z0-9 ]{1,11})$/, 'a short code, a +number or an alphanumeric sender ID of at most 11')),
    ),
    /** The `token=` every URL of Kannel's sms-services and delivery reports carries: Kannel signs nothing. */
    KANNEL_WEBHOOK_TOKEN: z.optional(
      z.string().check(z.minLength(16, 'at least 16 characters'), z.regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ (it travels in URLs)')),
    ),
    KANNEL_SMSC_ROUTES: kannelSmscRoutes,
    /** The Twilio number officers' CALL bridges ring from (and the reporter sees); by default TWILIO_FROM when a +number. */
    TWILIO_VOICE_FROM: OPTIONAL_PHONE,
    /** The Africa's Talking voice number officers' CALL bridges ring from (and the reporter sees); no AT bridge without it. */
    AT_VOICE_FROM: OPTIONAL_PHONE,
    /** Inbound messages per number per hour before the flood notice; officers are exempt. */
    SMS_RATE_LIMIT_PER_HOUR: positiveInt(20),
    /** Seconds after which an inbound SMS left half-handled (its attempt died) is taken over by the provider's retry. */
    SMS_CLAIM_STALE_SECONDS: z._default(NON_NEGATIVE_INT, 30),
    /** Sending attempts per outbound SMS before it is dead-lettered and marked failed (SQS maxReceiveCount). */
    SMS_MAX_ATTEMPTS: positiveInt(4),
    /** Local retry backoff: attempt n waits base × 2^(n-1) ms (SQS visibility timeouts do this on AWS). */
    SMS_RETRY_BASE_MS: z._default(NON_NEGATIVE_INT, 2000),
    /** The SQS outbox queue (AWS); unset locally, where an in-process queue stands in. */
    OUTBOX_QUEUE_URL: OPTIONAL_URL,
    /** Where the outbox function puts messages it gave up on (AWS). */
    DEAD_LETTER_QUEUE_URL: OPTIONAL_URL,
    /** A report naming an amount at or above this many US dollars is urgent. */
    REPORT_URGENT_AMOUNT_USD: positiveInt(500),
    /** Distinct reporters naming one identifier that make a campaign (urgent). */
    REPORT_CAMPAIGN_THRESHOLD: positiveInt(3),
    /** Days a consented call-back number is kept (sealed) before it expires. */
    CALLBACK_RETENTION_DAYS: positiveInt(30),
    /** Local only: the secret that seals call-back numbers (on AWS a KMS key does). */
    NUMBER_VAULT_SECRET: OPTIONAL_AT_LEAST_32,
    /** AWS: the KMS key that seals call-back numbers. */
    NUMBER_VAULT_KMS_KEY_ID: OPTIONAL_NON_EMPTY,
    /** Local only: where intakes the table refused wait to be replayed. */
    REPORT_JOURNAL_PATH: z._default(z.string().check(z.minLength(1)), '.data/intake-journal.jsonl'),
    /** AWS: the encrypted queue where intakes the table refused wait to be replayed. */
    REPORT_JOURNAL_QUEUE_URL: OPTIONAL_URL,
    /** AWS, the intake replay only: where a journal entry that no replay can read is moved at once. */
    REPORT_JOURNAL_DEAD_LETTER_QUEUE_URL: OPTIONAL_URL,
    /**
     * Milliseconds all the store calls of one webhook request may take together (shared/store/deadline.ts): within
     * the USSD gateway's deadline on AWS; locally longer, like the embedded store's own limits.
     */
    WEBHOOK_STORE_BUDGET_MS: OPTIONAL_MS,
    /**
     * Milliseconds one store request may take before it is given up and retried (shared/store/client.ts); unset,
     * STORE_TIMEOUTS on AWS and LOCAL_STORE_TIMEOUTS for a local endpoint. Tests of load set it past anything but a
     * real fault; the fault tests keep the defaults.
     */
    STORE_REQUEST_TIMEOUT_MS: OPTIONAL_MS,
    /**
     * Milliseconds a store request may wait for its connection (shared/store/client.ts); unset, as for
     * STORE_REQUEST_TIMEOUT_MS. A process starved of CPU by a load test can take seconds to finish a connect.
     */
    STORE_CONNECTION_TIMEOUT_MS: OPTIONAL_MS,
    /** Local only: keep dynalite's data in this folder across restarts (in memory when unset). */
    DYNALITE_PATH: OPTIONAL_NON_EMPTY,
    SEED_SAMPLE_DATA: z.pipe(z._default(z.enum(['true', 'false', '1', '0']), 'true'), z.transform((v) => v === 'true' || v === '1')),
};

/** The base variables as parsed, before they become the configuration (a section reads them too). */
export type BaseEnv = z.output<z.ZodMiniObject<typeof baseEnvShape>>;

/** What no single variable's schema can check: the variables that go together, and what AWS requires. */
const checkTogether = z.superRefine((env: BaseEnv, ctx) => {
    const atCredentials = [env.AT_USERNAME, env.AT_API_KEY].filter(Boolean).length;
    if (atCredentials === 1) {
      ctx.addIssue({ code: 'custom', path: [env.AT_USERNAME ? 'AT_API_KEY' : 'AT_USERNAME'], message: 'AT_USERNAME and AT_API_KEY go together' });
    }
    if (env.TWILIO_ACCOUNT_SID && !(env.TWILIO_AUTH_TOKEN && env.TWILIO_FROM)) {
      ctx.addIssue({ code: 'custom', path: ['TWILIO_ACCOUNT_SID'], message: 'sending through Twilio also needs TWILIO_AUTH_TOKEN and TWILIO_FROM' });
    }
    const kannelSending = [env.KANNEL_SENDSMS_URL, env.KANNEL_USERNAME, env.KANNEL_PASSWORD];
    if (kannelSending.some(Boolean) && !kannelSending.every(Boolean)) {
      for (const [name, value] of [['KANNEL_SENDSMS_URL', env.KANNEL_SENDSMS_URL], ['KANNEL_USERNAME', env.KANNEL_USERNAME], ['KANNEL_PASSWORD', env.KANNEL_PASSWORD]] as const) {
        if (!value) ctx.addIssue({ code: 'custom', path: [name], message: 'KANNEL_SENDSMS_URL, KANNEL_USERNAME and KANNEL_PASSWORD go together' });
      }
    }
    if (env.HOTLINE_MODE !== 'aws') return;
    // Kannel's webhooks would be open to anyone who guessed the URL.
    if (env.KANNEL_SENDSMS_URL && !env.KANNEL_WEBHOOK_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['KANNEL_WEBHOOK_TOKEN'], message: 'required when HOTLINE_MODE=aws and Kannel sends SMS' });
    }
    // Every function needs these; what only some need (queues, the KMS key) is checked where it is used.
    for (const name of ['AT_WEBHOOK_TOKEN', 'PHONE_HASH_KEY', 'PUBLIC_BASE_URL'] as const) {
      if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'required when HOTLINE_MODE=aws' });
    }
});

const toBaseConfig = (env: BaseEnv) => ({
    mode: env.HOTLINE_MODE,
    port: env.PORT,
    region: env.AWS_REGION,
    dynamoEndpoint:
      env.AWS_ENDPOINT_URL_DYNAMODB ?? (env.HOTLINE_MODE === 'local' ? LOCAL_DYNAMO_ENDPOINT : undefined),
    tableName: env.TABLE_NAME,
    atWebhookToken: env.AT_WEBHOOK_TOKEN,
    phoneHashKey: env.PHONE_HASH_KEY ?? LOCAL_PHONE_HASH_KEY,
    ussdLimits: { gsm: env.USSD_MAX_CHARS_GSM, ucs2: env.USSD_MAX_CHARS_UCS2 },
    ussdServiceCode: env.USSD_SERVICE_CODE,
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    africastalking:
      env.AT_USERNAME && env.AT_API_KEY
        ? { username: env.AT_USERNAME, apiKey: env.AT_API_KEY, senderId: env.AT_SENDER_ID }
        : undefined,
    kannel: {
      webhookToken: env.KANNEL_WEBHOOK_TOKEN,
      sending:
        env.KANNEL_SENDSMS_URL && env.KANNEL_USERNAME && env.KANNEL_PASSWORD
          ? {
              sendsmsUrl: env.KANNEL_SENDSMS_URL,
              username: env.KANNEL_USERNAME,
              password: env.KANNEL_PASSWORD,
              from: env.KANNEL_FROM,
              smscRoutes: env.KANNEL_SMSC_ROUTES,
            }
          : undefined,
    },
    twilio: {
      // Locally a fixed token keeps signatures checked (the phone simulator signs with it); on AWS no token means
      // every Twilio webhook is refused.
      authToken: env.TWILIO_AUTH_TOKEN ?? (env.HOTLINE_MODE === 'local' ? LOCAL_TWILIO_AUTH_TOKEN : undefined),
      sending:
        env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_FROM
          ? { accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN, from: env.TWILIO_FROM }
          : undefined,
    },
    /**
     * The CALL bridge's providers (routed to the officer's number like SMS, the other one as failover): each only
     * with its credentials and a voice number to ring from.
     */
    calls: {
      twilio:
        env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && (env.TWILIO_VOICE_FROM ?? env.TWILIO_FROM)?.startsWith('+')
          ? { accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN, from: (env.TWILIO_VOICE_FROM ?? env.TWILIO_FROM)! }
          : undefined,
      africastalking:
        env.AT_USERNAME && env.AT_API_KEY && env.AT_VOICE_FROM
          ? { username: env.AT_USERNAME, apiKey: env.AT_API_KEY, from: env.AT_VOICE_FROM }
          : undefined,
    },
    sms: {
      routes: env.SMS_ROUTES,
      rateLimitPerHour: env.SMS_RATE_LIMIT_PER_HOUR,
      claimStaleSeconds: env.SMS_CLAIM_STALE_SECONDS,
      maxAttempts: env.SMS_MAX_ATTEMPTS,
      retryBaseMs: env.SMS_RETRY_BASE_MS,
      outboxQueueUrl: env.OUTBOX_QUEUE_URL,
      deadLetterQueueUrl: env.DEAD_LETTER_QUEUE_URL,
    },
    reports: {
      urgentAmountUsd: env.REPORT_URGENT_AMOUNT_USD,
      campaignThreshold: env.REPORT_CAMPAIGN_THRESHOLD,
      callbackRetentionDays: env.CALLBACK_RETENTION_DAYS,
      // Locally a fixed secret seals numbers; on AWS the KMS key does, and a local secret is never used.
      vault: env.NUMBER_VAULT_KMS_KEY_ID
        ? ({ kind: 'kms', keyId: env.NUMBER_VAULT_KMS_KEY_ID } as const)
        : ({ kind: 'local', secret: env.NUMBER_VAULT_SECRET ?? LOCAL_NUMBER_VAULT_SECRET } as const),
      journal: env.REPORT_JOURNAL_QUEUE_URL
        ? ({ kind: 'sqs', queueUrl: env.REPORT_JOURNAL_QUEUE_URL, deadLetterQueueUrl: env.REPORT_JOURNAL_DEAD_LETTER_QUEUE_URL } as const)
        : ({ kind: 'file', path: env.REPORT_JOURNAL_PATH } as const),
    },
    webhookStoreBudgetMs: env.WEBHOOK_STORE_BUDGET_MS ?? (env.HOTLINE_MODE === 'aws' ? 5_000 : 20_000),
    storeTimeouts: { requestMs: env.STORE_REQUEST_TIMEOUT_MS, connectionMs: env.STORE_CONNECTION_TIMEOUT_MS },
    dynalitePath: env.DYNALITE_PATH,
    seedSampleData: env.SEED_SAMPLE_DATA,
});

/**
 * The parts of the configuration only some functions read (the escalation's, the voice line's, the console's...),
 * by name: each its variables, and what it makes of them (with the base variables at hand) under its name.
 */
export type ConfigSections = Record<string, { shape: z.core.$ZodLooseShape; read: (env: never) => unknown }>;

/** The configuration of a function that parsed `S`: the base, and each section under its name. */
export type ConfigOf<S extends ConfigSections> = ReturnType<typeof toBaseConfig> & { [K in keyof S]: ReturnType<S[K]['read']> };

/** Every section by name, as types (shared/config-sections.ts holds them as values, for what runs them all). */
export interface ConfigSectionsByName {
  escalation: typeof escalationSection;
  voice: typeof voiceSection;
  quiz: typeof quizSection;
  outreach: typeof outreachSection;
  console: typeof consoleSection;
  studio: typeof studioSection;
}
export type SectionName = keyof ConfigSectionsByName;

/** A configuration with the sections named `K`: the type a module states it reads. */
export type ConfigWith<K extends SectionName> = ConfigOf<Pick<ConfigSectionsByName, K>>;
/** The base alone: the store, the providers, the SMS lanes, the reports (what every function reads). */
export type BaseConfig = ConfigOf<{}>;
/** The whole configuration, every section parsed: the local hotline, the tools and the tests. */
export type Config = ConfigWith<SectionName>;

/**
 * `npm run bench` (bench/run.ts, bench/server.ts): which parts run, how long the throughput run lasts, and how many
 * synthetic registry entries the benchmarked hotline holds.
 */
export const benchEnvSchema = z.lazy(() => z.object({
  BENCH_ONLY: z.pipe(
    z._default(z.string(), 'registry,bundles,http,broadcast'),
    z.transform((value) => new Set(value.split(',').map((part) => part.trim()))),
  ),
  BENCH_SECONDS: positiveInt(10),
  BENCH_SUBSCRIBERS: z.pipe(
    z.pipe(z._default(z.string(), '1000,10000,100000'), z.transform((value) => value.split(',').map((part) => Number(part.trim())))),
    z.array(z.number().check(z.int(), z.positive())),
  ),
  /** Of the queued broadcast messages, how many the benchmark sends through the fake provider. */
  BENCH_SEND_SAMPLE: positiveInt(5000),
  /** A directory: the broadcast fan-out alone is CPU-profiled into it (open the .cpuprofile in Chrome DevTools). */
  BENCH_PROFILE_DIR: z.optional(z.string().check(z.minLength(1))),
  REGISTRY_ENTRIES: positiveInt(10_000),
}));

export class ConfigError extends Error {}

/**
 * Parses the environment: the base variables and those of `sections`, each function the sections it reads (a
 * Lambda builds and runs only those schemas); a wrong or missing variable throws one error that names every such
 * variable.
 */
export function loadConfig<S extends ConfigSections = {}>(env: Environment = readEnvironment(), sections: S = {} as S): ConfigOf<S> {
  const parts = Object.entries(sections);
  const schema = z.pipe(
    z.object(Object.assign({}, baseEnvShape, ...parts.map(([, section]) => section.shape)) as typeof baseEnvShape).check(checkTogether),
    z.transform((parsed) => ({
      ...toBaseConfig(parsed),
      ...Object.fromEntries(parts.map(([name, section]) => [name, (section.read as (env: BaseEnv) => unknown)(parsed)])),
    })),
  );
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data as ConfigOf<S>;
  const lines = parsed.error.issues.map((issue) => `- ${issue.path.join('.') || '(environment)'}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}
