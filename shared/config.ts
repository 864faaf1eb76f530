import { z } from 'zod';

/**
 * The whole configuration of the hotline, read from environment variables.
 * `HOTLINE_MODE=local` (the default) is `npm start` on a laptop; `aws` is a deployed Lambda, where every secret
 * must be present (the stack injects them from Secrets Manager, see functions/runtime.ts).
 */
const LOCAL_PHONE_HASH_KEY = 'local-development-only-phone-hash-key-not-secret';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const configSchema = z
  .object({
    HOTLINE_MODE: z.enum(['local', 'aws']).default('local'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    AWS_REGION: z.string().min(1).default('eu-west-2'),
    AWS_ENDPOINT_URL_DYNAMODB: z.url().optional(),
    TABLE_NAME: z.string().regex(/^[a-zA-Z0-9_.-]{3,255}$/, 'a DynamoDB table name').default('safejob-hotline'),
    /** Shared secret that Africa's Talking sends as `?token=`; it signs nothing, so this is its only proof. */
    AT_WEBHOOK_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
    /** HMAC key for phone numbers: a plain hash of the small Tajik number space could be brute-forced. */
    PHONE_HASH_KEY: z.string().min(32, 'at least 32 characters').optional(),
    /** USSD screen limits (characters after NFC): 160 octets are 182 GSM 7-bit characters or ~80 UCS-2 ones. */
    USSD_MAX_CHARS_GSM: positiveInt(182),
    USSD_MAX_CHARS_UCS2: positiveInt(80),
    /** Local only: keep dynalite's data in this folder across restarts (in memory when unset). */
    DYNALITE_PATH: z.string().min(1).optional(),
    SEED_SAMPLE_DATA: z
      .enum(['true', 'false', '1', '0'])
      .default('true')
      .transform((v) => v === 'true' || v === '1'),
  })
  .superRefine((env, ctx) => {
    if (env.HOTLINE_MODE !== 'aws') return;
    for (const name of ['AT_WEBHOOK_TOKEN', 'PHONE_HASH_KEY'] as const) {
      if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'required when HOTLINE_MODE=aws' });
    }
  })
  .transform((env) => ({
    mode: env.HOTLINE_MODE,
    port: env.PORT,
    region: env.AWS_REGION,
    dynamoEndpoint:
      env.AWS_ENDPOINT_URL_DYNAMODB ?? (env.HOTLINE_MODE === 'local' ? 'http://127.0.0.1:8000' : undefined),
    tableName: env.TABLE_NAME,
    atWebhookToken: env.AT_WEBHOOK_TOKEN,
    phoneHashKey: env.PHONE_HASH_KEY ?? LOCAL_PHONE_HASH_KEY,
    ussdLimits: { gsm: env.USSD_MAX_CHARS_GSM, ucs2: env.USSD_MAX_CHARS_UCS2 },
    dynalitePath: env.DYNALITE_PATH,
    seedSampleData: env.SEED_SAMPLE_DATA,
  }));

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {}

/** Parses the environment; a wrong or missing variable throws one error that names every such variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `- ${issue.path.join('.') || '(environment)'}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}
