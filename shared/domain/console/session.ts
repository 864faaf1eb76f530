/**
 * A console session and an unfinished sign-in, as stored (shared/store/console-sessions.ts) and as the console's
 * pages see them.
 */
import * as z from '../zod';
import { consoleUserSchema } from './access';

export const consoleSessionSchema = z.lazy(() => z.object({
  id: z.string().check(z.minLength(32)),
  user: consoleUserSchema,
  /** The token every form of this session carries back (synchroniser token). */
  csrf: z.string().check(z.minLength(32)),
  createdAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  /** Epoch seconds: the absolute end of the session (also the item's TTL). */
  expiresAt: z.number().check(z.int()),
}));
export type ConsoleSession = z.infer<typeof consoleSessionSchema>;

export const pendingSignInSchema = z.lazy(() => z.object({
  id: z.string().check(z.minLength(32)),
  state: z.string().check(z.minLength(1)),
  nonce: z.string().check(z.minLength(1)),
  codeVerifier: z.string().check(z.minLength(43)),
  /** Where to go once signed in (a /console path). */
  returnTo: z.string().check(z.startsWith('/console')),
  expiresAt: z.number().check(z.int()),
}));
export type PendingSignIn = z.infer<typeof pendingSignInSchema>;
