/**
 * A console session and an unfinished sign-in, as stored (shared/store/console-sessions.ts) and as the console's
 * pages see them.
 */
import * as z from 'zod';
import { consoleUserSchema } from './access';

export const consoleSessionSchema = z.object({
  id: z.string().min(32),
  user: consoleUserSchema,
  /** The token every form of this session carries back (synchroniser token). */
  csrf: z.string().min(32),
  createdAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  /** Epoch seconds: the absolute end of the session (also the item's TTL). */
  expiresAt: z.number().int(),
});
export type ConsoleSession = z.infer<typeof consoleSessionSchema>;

export const pendingSignInSchema = z.object({
  id: z.string().min(32),
  state: z.string().min(1),
  nonce: z.string().min(1),
  codeVerifier: z.string().min(43),
  /** Where to go once signed in (a /console path). */
  returnTo: z.string().startsWith('/console'),
  expiresAt: z.number().int(),
});
export type PendingSignIn = z.infer<typeof pendingSignInSchema>;
