/** The prompt studio's variables, a section of the configuration (shared/config.ts): output under `config.studio`. */
import * as z from '../domain/zod';
import { E164, normalisePhone } from '../domain/phone';


/** `+992900000001=Nigora Test,+992900000002=Farrukh Test`: who may record on the studio line, by caller number. */
const studioStaff = z.pipe(
  z.optional(z.string()),
  z.transform((value, ctx) => {
    const staff = new Map<string, string>();
    for (const part of (value ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
      const [phone, name] = part.split('=').map((p) => p.trim());
      const e164 = normalisePhone(phone ?? '');
      if (!E164.test(e164) || !name || name.length > 60) {
        ctx.issues.push({ code: 'custom', input: ctx.value, message: `"${part}" is not +NUMBER=Name (e.g. +992900000001=Nigora)` });
        return z.NEVER;
      }
      staff.set(e164, name);
    }
    return staff;
  }),
);

export const studioEnvShape = {
  /** The staff who may record on the studio line: their phone numbers and names (kept with the provider credentials on AWS). */
  STUDIO_STAFF: studioStaff,
  /** The studio line's PIN, asked after the caller's number is recognised (4 to 12 digits; a secret on AWS). */
  STUDIO_PIN: z.optional(z.string().check(z.regex(/^\d{4,12}$/, '4 to 12 digits'))),
  /** The longest take, in seconds. */
  STUDIO_MAX_TAKE_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(5), z.lte(300)), 60),
  /** Local only: where takes are kept (served at PUBLIC_BASE_URL/audio/studio/…). */
  STUDIO_AUDIO_DIR: z._default(z.string().check(z.minLength(1)), '.data/studio-audio'),
  /** AWS: the prompt audio bucket (takes under studio/, committed recordings beside them). */
  AUDIO_BUCKET: z.optional(z.string().check(z.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name'))),
};

type StudioEnv = z.output<z.ZodMiniObject<typeof studioEnvShape>>;

export function toStudioConfig(env: StudioEnv) {
  return {
    staff: env.STUDIO_STAFF,
    pin: env.STUDIO_PIN,
    maxTakeSeconds: env.STUDIO_MAX_TAKE_SECONDS,
    audioDir: env.STUDIO_AUDIO_DIR,
    audioBucket: env.AUDIO_BUCKET,
  };
}

/** Its section of the configuration (shared/config.ts `loadConfig`): read only by the functions that name it. */
export const studioSection = { shape: studioEnvShape, read: toStudioConfig };

export type StudioConfig = ReturnType<typeof toStudioConfig>;
