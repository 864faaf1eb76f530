/**
 * The rota: officers and supervisors, their levels and languages, and the chain an escalation pages in order.
 */
import * as z from '../zod';
import { LANGUAGES, type Lang } from '../prompts';

export const OFFICER_ROLES = ['officer', 'supervisor'] as const;

export type OfficerRole = (typeof OFFICER_ROLES)[number];

/**
 * An officer as the rules see them: the keyed hash of their number, never the number. A builder, called where the
 * stored officer's schema extends it (shared/store/officers.ts), so that no bundle builds it at import.
 */
export const rotaOfficerObject = () => z.object({
  /** The keyed hash of the officer's phone number (shared/privacy.ts `phoneKey`). */
  key: z.string().check(z.minLength(1)),
  name: z.string().check(z.minLength(1)),
  role: z.enum(OFFICER_ROLES),
  /** The first is the language they are written to in. */
  languages: z.array(z.enum(LANGUAGES)).check(z.minLength(1)),
  /** 1 is paged first, then 2, then 3… */
  level: z.number().check(z.int(), z.gte(1)),
  onDuty: z.boolean(),
});

export type RotaOfficer = z.infer<ReturnType<typeof rotaOfficerObject>>;

export const officerLanguage = (officer: Pick<RotaOfficer, 'languages'>): Lang => officer.languages[0]!;

/** One step of the chain: a level's officers on duty, or (level null) the supervisors when nobody is on duty. */
export interface ChainStep {
  level: number | null;
  officers: RotaOfficer[];
}

/** The chain as the rota stands now: one step per level with someone on duty, in level order. */
export function chainOf(rota: readonly RotaOfficer[]): ChainStep[] {
  const onDuty = rota.filter((officer) => officer.onDuty);
  if (onDuty.length === 0) {
    const supervisors = rota.filter((officer) => officer.role === 'supervisor');
    return supervisors.length > 0 ? [{ level: null, officers: supervisors }] : [];
  }
  const levels = [...new Set(onDuty.map((officer) => officer.level))].sort((a, b) => a - b);
  return levels.map((level) => ({ level, officers: onDuty.filter((officer) => officer.level === level) }));
}

/** Who is on duty at each level, for WHO. */
export function onDutyByLevel(rota: readonly RotaOfficer[]): { level: number; names: string[] }[] {
  return chainOf(rota)
    .filter((step): step is ChainStep & { level: number } => step.level !== null)
    .map((step) => ({ level: step.level, names: step.officers.map((officer) => officer.name) }));
}
