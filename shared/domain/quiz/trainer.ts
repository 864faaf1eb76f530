/**
 * A registered trainer's group commands by SMS: `COHORT OPEN [size] <name>` opens a group and answers its code;
 * `COHORT <code>` answers the group's figures (counts only).
 */
import { foldWord, promptWords } from '../keywords';
import { lazy } from '../lazy';
import { parseCohortCode } from './codes';

export type CohortCommand = { kind: 'open'; name: string; size?: number } | { kind: 'figures'; code: string } | { kind: 'usage' };

const OPEN_WORDS = lazy(() => new Set(promptWords('sms.keywords.cohortOpen').map(({ word }) => word)));

/** The largest class size a trainer may give. */
export const MAX_COHORT_SIZE = 500;

export function parseCohortCommand(argument: string): CohortCommand {
  const words = argument.trim().split(/\s+/).filter(Boolean);
  const code = parseCohortCode(words.join(''));
  if (code) return { kind: 'figures', code };
  if (!words[0] || !OPEN_WORDS().has(foldWord(words[0]))) return { kind: 'usage' };
  const rest = words.slice(1);
  const size = rest.length > 1 && /^\d{1,3}$/.test(rest[0]!) && Number(rest[0]) >= 1 && Number(rest[0]) <= MAX_COHORT_SIZE ? Number(rest[0]) : undefined;
  const name = (size ? rest.slice(1) : rest).join(' ').slice(0, 40);
  return name ? { kind: 'open', name, ...(size ? { size } : {}) } : { kind: 'usage' };
}
