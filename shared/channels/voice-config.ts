/** The voice line's variables, a section of the configuration (shared/config.ts): output under `config.voice`. */
import * as z from '../domain/zod';

export const DEFAULT_MAX_RECORDING_SECONDS = 120;
export const DEFAULT_DIAL_TIMEOUT_SECONDS = [20];
export const DEFAULT_MAX_RETRIES = 2;
export const DEFAULT_INPUT_TIMEOUT_SECONDS = 8;

/** `20,20,30`: seconds each level of officers rings before the next; the last one holds for deeper levels. */
const dialTimeouts = z.pipe(
  z._default(z.string(), DEFAULT_DIAL_TIMEOUT_SECONDS.join(',')),
  z.transform((value, ctx) => {
    const parts = value.split(',').map((part) => part.trim());
    const seconds = parts.map(Number);
    if (parts.length === 0 || seconds.some((s, i) => !/^\d+$/.test(parts[i]!) || s < 5 || s > 120)) {
      ctx.issues.push({ code: 'custom', input: ctx.value, message: `"${value}" is not a comma-separated list of seconds from 5 to 120 (e.g. 20,20,30)` });
      return z.NEVER;
    }
    return seconds;
  }),
);

/** The variables as they appear in the environment. */
export const voiceEnvShape = {
  /**
   * Where the recorded prompts (prompts/audio/…) are served from, e.g. a CloudFront or S3 URL. Locally the voice
   * app serves them at `PUBLIC_BASE_URL/audio`; unset on AWS, no recording is played and every prompt is spoken.
   */
  AUDIO_BASE_URL: z.optional(z.url()),
  /** The longest message a caller may leave, in seconds. */
  VOICE_MAX_RECORDING_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(10), z.lte(600)), DEFAULT_MAX_RECORDING_SECONDS),
  /** Seconds each level of on-call officers rings before the next level (Twilio; Africa's Talking has no ring timeout). */
  VOICE_DIAL_TIMEOUT_SECONDS: dialTimeouts,
  /** How many times a question is asked again after no input or a wrong key before a polite goodbye. */
  VOICE_MAX_RETRIES: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(5)), DEFAULT_MAX_RETRIES),
  /** Seconds to wait for the first key of an answer. */
  VOICE_INPUT_TIMEOUT_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(3), z.lte(30)), DEFAULT_INPUT_TIMEOUT_SECONDS),
};

type VoiceEnv = z.output<z.ZodMiniObject<typeof voiceEnvShape>>;

export function toVoiceConfig(env: VoiceEnv) {
  return {
    audioBaseUrl: env.AUDIO_BASE_URL?.replace(/\/+$/, ''),
    maxRecordingSeconds: env.VOICE_MAX_RECORDING_SECONDS,
    dialTimeoutSeconds: env.VOICE_DIAL_TIMEOUT_SECONDS,
    maxRetries: env.VOICE_MAX_RETRIES,
    inputTimeoutSeconds: env.VOICE_INPUT_TIMEOUT_SECONDS,
  };
}

/** Its section of the configuration (shared/config.ts `loadConfig`): read only by the functions that name it. */
export const voiceSection = { shape: voiceEnvShape, read: toVoiceConfig };

export type VoiceConfig = ReturnType<typeof toVoiceConfig>;
