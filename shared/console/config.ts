/**
 * The console's variables, a section of the configuration (shared/config.ts). Locally `npm start` runs an
 * embedded OpenID provider and points the console at it; on AWS the stack sets the Cognito issuer and client, and
 * the session secret comes from Secrets Manager. What only the console function needs is checked where it is used.
 */
import * as z from '../domain/zod';

const LOCAL_SESSION_SECRET = 'local-development-only-console-session-secret';

export const consoleEnvShape = {
  /** The OpenID Connect issuer (Cognito: https://cognito-idp.<region>.amazonaws.com/<pool id>). */
  CONSOLE_OIDC_ISSUER: z.optional(z.url()),
  /** The console's client at the issuer: a public client, authorization code with PKCE. */
  CONSOLE_OIDC_CLIENT_ID: z._default(z.string().check(z.minLength(1)), 'safejob-console'),
  /** The ID token claim that lists the person's groups, i.e. their console roles. */
  CONSOLE_ROLES_CLAIM: z._default(z.string().check(z.minLength(1)), 'cognito:groups'),
  /** Signs the session cookie (32+ characters); required on AWS. */
  CONSOLE_SESSION_SECRET: z.optional(z.string().check(z.minLength(32, 'at least 32 characters'))),
  /** Minutes without a request after which a session ends. */
  CONSOLE_IDLE_TIMEOUT_MINUTES: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(24 * 60)), 30),
  /** Hours after which a session ends however busy it is. */
  CONSOLE_SESSION_MAX_HOURS: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(72)), 12),
  /** Local only: the port of the embedded OpenID provider (default: the hotline's port + 1; 0 picks a free one). */
  CONSOLE_LOCAL_OIDC_PORT: z.optional(z.coerce.number().check(z.int(), z.gte(0), z.lte(65535))),
  /** The address partner e-mails are sent from (a verified SES identity on AWS). */
  CONSOLE_EMAIL_FROM: z._default(z.email(), 'referrals@sample.test'),
};

type ConsoleEnv = z.output<z.ZodMiniObject<typeof consoleEnvShape>> & { HOTLINE_MODE: 'local' | 'aws'; PORT: number };

export function toConsoleConfig(env: ConsoleEnv) {
  return {
    issuer: env.CONSOLE_OIDC_ISSUER,
    clientId: env.CONSOLE_OIDC_CLIENT_ID,
    rolesClaim: env.CONSOLE_ROLES_CLAIM,
    // On AWS no secret means no console (checked when the console starts); a local one is never used there.
    sessionSecret: env.CONSOLE_SESSION_SECRET ?? (env.HOTLINE_MODE === 'local' ? LOCAL_SESSION_SECRET : undefined),
    idleTimeoutSeconds: env.CONSOLE_IDLE_TIMEOUT_MINUTES * 60,
    maxSessionSeconds: env.CONSOLE_SESSION_MAX_HOURS * 3600,
    localOidcPort: env.CONSOLE_LOCAL_OIDC_PORT ?? (env.PORT === 0 ? 0 : env.PORT + 1),
    emailFrom: env.CONSOLE_EMAIL_FROM,
  };
}

/** Its section of the configuration (shared/config.ts `loadConfig`): read only by the functions that name it. */
export const consoleSection = { shape: consoleEnvShape, read: toConsoleConfig };

export type ConsoleConfig = ReturnType<typeof toConsoleConfig>;
