/**
 * Who may do what in the console, as pure rules: the roles (groups at the identity provider), what each may do,
 * and what a partner may see of a case. The console's server checks every request against these; the pages only
 * hide what a role cannot use.
 */
import * as z from '../zod';

export const CONSOLE_ROLES = ['officer', 'supervisor', 'partner', 'analyst', 'admin'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

/** A signed-in person, as their session holds them (from the ID token's claims). */
export const consoleUserSchema = z.lazy(() => z.object({
  /** The identity provider's subject. */
  sub: z.string().check(z.minLength(1)),
  email: z.string().check(z.minLength(1)),
  name: z.string().check(z.minLength(1)),
  roles: z.array(z.enum(CONSOLE_ROLES)),
}));
export type ConsoleUser = z.infer<typeof consoleUserSchema>;

export const PERMISSIONS = [
  /** The queue, case pages and the actions officers also have by SMS. */
  'cases.work',
  /** A referral without the reporter's sharing consent, with a recorded reason; reassigning a held case. */
  'cases.supervise',
  /** Cases referred to one's own organisation: accept, reject, report done. */
  'referrals.respond',
  /** The dashboard and its CSV downloads: counts, never a reporter's number or words. */
  'analytics.read',
  /** Partner organisations and focal points, registry and rota uploads. */
  'directory.manage',
  /** The prompt studio: record takes of the voice prompts in the browser, download the recording script. */
  'prompts.record',
  /** Approve a take (a native speaker's check that it says the text). */
  'prompts.approve',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<ConsoleRole, readonly Permission[]> = {
  officer: ['cases.work', 'prompts.record'],
  supervisor: ['cases.work', 'cases.supervise', 'analytics.read', 'prompts.record', 'prompts.approve'],
  partner: ['referrals.respond'],
  analyst: ['analytics.read'],
  admin: ['directory.manage', 'analytics.read', 'prompts.record', 'prompts.approve'],
};

export function can(user: Pick<ConsoleUser, 'roles'>, permission: Permission): boolean {
  return user.roles.some((role) => GRANTS[role].includes(permission));
}

/** The roles among a token's groups (other groups at the identity provider are ignored). */
export function rolesFromGroups(groups: unknown): ConsoleRole[] {
  const list = Array.isArray(groups) ? groups : typeof groups === 'string' ? groups.split(/[\s,]+/) : [];
  return CONSOLE_ROLES.filter((role) => list.includes(role));
}

/** Where a role lands after signing in. */
export function homePath(user: Pick<ConsoleUser, 'roles'>): string {
  if (can(user, 'cases.work')) return '/console/cases';
  if (can(user, 'referrals.respond')) return '/console/referrals';
  if (can(user, 'directory.manage')) return '/console/admin';
  if (can(user, 'analytics.read')) return '/console/dashboard';
  return '/console/no-access';
}
