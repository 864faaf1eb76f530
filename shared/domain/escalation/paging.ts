/**
 * Paging: an urgent report's first page, each ACK timeout moving to the next level or round, and when a state
 * has changed enough to be written.
 */
import { t, type Lang } from '../prompts';
import type { Report } from '../report';
import { chainOf, type ChainStep, officerLanguage, type RotaOfficer } from './rota';
import type { EscalationEffect, EscalationSettings, EscalationState, EscalationTrigger, Ignored, Person, Transition } from './state';
import { pageText } from './page-texts';

export const person = (officer: Pick<RotaOfficer, 'key' | 'name'>): Person => ({ key: officer.key, name: officer.name });

export const iso = (ms: number) => new Date(ms).toISOString();

const rotaMap = (rota: readonly RotaOfficer[]) => new Map(rota.map((officer) => [officer.key, officer]));

/** SMS to these people, each in their language, skipping anyone no longer on the rota. */
export function smsTo(
  people: readonly Person[],
  rota: readonly RotaOfficer[],
  text: (lang: Lang, officer: RotaOfficer) => string,
): EscalationEffect[] {
  const byKey = rotaMap(rota);
  return people.flatMap((p) => {
    const officer = byKey.get(p.key);
    return officer ? [{ type: 'sms' as const, officerKey: officer.key, text: text(officerLanguage(officer), officer) }] : [];
  });
}

function mergePeople(a: readonly Person[], b: readonly Person[]): Person[] {
  const seen = new Set(a.map((p) => p.key));
  return [...a, ...b.filter((p) => !seen.has(p.key))];
}

/** Pages one step: the officers' SMS, the trigger at the deadline, the audit record. */
function pageStep(
  report: Report,
  rota: readonly RotaOfficer[],
  step: ChainStep,
  round: number,
  stepNumber: number,
  settings: EscalationSettings,
  now: number,
): { dueAt: string; paged: Person[]; effects: EscalationEffect[] } {
  const dueAt = iso(now + settings.ackTimeoutSeconds * 1000);
  const paged = step.officers.map(person);
  return {
    dueAt,
    paged,
    effects: [
      // The trigger first: if sending fails half-way, the chain still moves on.
      { type: 'schedule', trigger: { reference: report.reference, step: stepNumber }, at: dueAt },
      ...smsTo(paged, rota, (lang, officer) => pageText(lang, report, round, settings.codeFor(officer.key, report.reference), settings.recordingLinkFor?.(report.reference))),
      {
        type: 'audit',
        action: 'paged',
        detail: { step: stepNumber, round, level: step.level ?? 'supervisors', officers: paged.map((p) => p.name) },
      },
    ],
  };
}

/** Starts the escalation of an urgent report: pages the first step of the chain, or alerts if nobody can be paged. */
export function start(report: Report, rota: readonly RotaOfficer[], settings: EscalationSettings, now: number): Transition {
  const base = {
    reference: report.reference,
    version: 1,
    startedAt: iso(now),
    updatedAt: iso(now),
    notified: [] as Person[],
  };
  const first = chainOf(rota)[0];
  if (!first) {
    return {
      state: { ...base, status: 'exhausted', step: 0, round: 0, level: null, paged: [] },
      effects: [
        { type: 'alert', reason: 'nobody_to_page' },
        { type: 'audit', action: 'exhausted', detail: { reason: 'nobody_to_page' } },
      ],
    };
  }
  const { dueAt, paged, effects } = pageStep(report, rota, first, 1, 1, settings, now);
  return {
    state: { ...base, status: 'paging', step: 1, round: 1, level: first.level, paged, notified: paged, dueAt },
    effects: [{ type: 'reportStatus', status: 'escalated' }, ...effects],
  };
}

/** The step after (round, level): the next level with someone on duty, else the chain again, else none. */
function nextStep(
  chain: ChainStep[],
  round: number,
  level: number | null,
  settings: EscalationSettings,
): { round: number; step: ChainStep } | undefined {
  const later = level === null ? undefined : chain.find((step) => step.level !== null && step.level > level);
  if (later) return { round, step: later };
  if (round >= 1 + settings.repeatCount || chain.length === 0) return undefined;
  return { round: round + 1, step: chain[0]! };
}

/** A timeout: the next step is paged, or the escalation is left open. Late and repeated triggers change nothing. */
export function onTimeout(
  state: EscalationState,
  trigger: EscalationTrigger,
  report: Report,
  rota: readonly RotaOfficer[],
  settings: EscalationSettings,
  now: number,
): Transition | Ignored {
  if (state.status !== 'paging') return { ignored: 'not_paging', effects: [] };
  if (trigger.step !== state.step) return { ignored: 'stale_step', effects: [] };
  // A timer that fires early (clock skew): the step's own deadline is kept.
  if (state.dueAt && now < Date.parse(state.dueAt) - 1000) {
    return { ignored: 'early', effects: [{ type: 'schedule', trigger, at: state.dueAt }] };
  }
  const next = nextStep(chainOf(rota), state.round, state.level, settings);
  const updated = { version: state.version + 1, updatedAt: iso(now) };
  if (!next) {
    const rounds = state.round;
    return {
      state: { ...state, ...updated, status: 'exhausted', dueAt: undefined },
      effects: [
        ...smsTo(state.paged, rota, (lang, officer) =>
          t(lang, 'escalation.exhausted', { reference: report.reference, rounds, code: settings.codeFor(officer.key, report.reference) }),
        ),
        { type: 'alert', reason: 'exhausted' },
        { type: 'audit', action: 'exhausted', detail: { rounds } },
      ],
    };
  }
  const step = state.step + 1;
  const paging = pageStep(report, rota, next.step, next.round, step, settings, now);
  // Those paged at the step that timed out learn it moved on, unless they are paged again now.
  const movedOnTo = state.paged.filter((p) => !paging.paged.some((q) => q.key === p.key));
  const movedOn = (lang: Lang, officer: RotaOfficer) => {
    const code = settings.codeFor(officer.key, report.reference);
    return next.step.level === null
      ? t(lang, 'escalation.movedOnSupervisors', { reference: report.reference, code })
      : t(lang, 'escalation.movedOn', { reference: report.reference, level: next.step.level, code });
  };
  return {
    state: {
      ...state,
      ...updated,
      step,
      round: next.round,
      level: next.step.level,
      paged: paging.paged,
      notified: mergePeople(state.notified, paging.paged),
      dueAt: paging.dueAt,
    },
    effects: [...smsTo(movedOnTo, rota, movedOn), ...paging.effects],
  };
}

/** Whether a transition changed the state (and so must be written). */
export function changed(before: EscalationState | undefined, after: EscalationState): boolean {
  return before === undefined || before.version !== after.version;
}

/** The current step's pages again (a start whose pages may have been lost): the same text, to the same officers. */
export function repage(state: EscalationState, report: Report, rota: readonly RotaOfficer[], settings: EscalationSettings): EscalationEffect[] {
  return smsTo(state.paged, rota, (lang, officer) => pageText(lang, report, state.round, settings.codeFor(officer.key, report.reference), settings.recordingLinkFor?.(report.reference)));
}
