/**
 * On-call escalation as a pure state machine (docs/escalation.md; anchors PagerDuty, Grafana OnCall, GoAlert). No I/O
 * and no clock: every function takes the stored state, the report, the rota and `now`, and returns the next state
 * with the effects the shell (shared/escalation/service.ts) runs: SMS to officers, a scheduled trigger, the
 * report's new status, a reporter notification, an alert, an audit record.
 *
 * The chain: level 1's officers on duty are paged; if none of them acknowledges within the timeout, the next level
 * with someone on duty is paged (and those paged before are told it moved on); after the last level the chain
 * starts again, `repeatCount` times, and then the escalation stays open ('exhausted') with an alert. Levels with
 * nobody on duty are skipped; when nobody at all is on duty the supervisors are paged, on duty or not.
 *
 * Races: every trigger carries the `step` it was scheduled for, and a trigger for any other step (late, repeated)
 * changes nothing; the shell writes every new state conditionally on the `version` it read, so an ACK and a
 * timeout that race cannot both win.
 */
import { z } from 'zod';
import { LANGUAGES, t, type Lang } from './prompts';
import { URGENCY_REASONS, type Report, type ReportStatus } from './report';

// ---------------------------------------------------------------------------------------------------------------
// The rota

export const OFFICER_ROLES = ['officer', 'supervisor'] as const;
export type OfficerRole = (typeof OFFICER_ROLES)[number];

/** An officer as the rules see them: the keyed hash of their number, never the number. */
export const rotaOfficerSchema = z.object({
  /** The keyed hash of the officer's phone number (shared/privacy.ts `phoneKey`). */
  key: z.string().min(1),
  name: z.string().min(1),
  role: z.enum(OFFICER_ROLES),
  /** The first is the language they are written to in. */
  languages: z.array(z.enum(LANGUAGES)).min(1),
  /** 1 is paged first, then 2, then 3… */
  level: z.number().int().min(1),
  onDuty: z.boolean(),
});
export type RotaOfficer = z.infer<typeof rotaOfficerSchema>;

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

// ---------------------------------------------------------------------------------------------------------------
// The state

export const ESCALATION_STATUSES = ['paging', 'acknowledged', 'exhausted', 'closed'] as const;
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];

const personSchema = z.object({ key: z.string().min(1), name: z.string().min(1) });
export type Person = z.infer<typeof personSchema>;
const actSchema = personSchema.extend({ at: z.iso.datetime() });

export const escalationStateSchema = z.object({
  reference: z.string().min(1),
  status: z.enum(ESCALATION_STATUSES),
  /** Bumped by every write: the shell writes on condition that the stored version is the one it read. */
  version: z.number().int().min(1),
  /** Bumped by every page; a scheduled trigger names the step it was scheduled for. 0: never paged. */
  step: z.number().int().min(0),
  /** The pass through the chain, from 1 (0: never paged). */
  round: z.number().int().min(0),
  /** The level paged at this step; null: the supervisors, because nobody was on duty (or never paged). */
  level: z.number().int().min(1).nullable(),
  /** Who was paged at this step. */
  paged: z.array(personSchema),
  /** Everyone paged so far, once each: told when someone takes the case. */
  notified: z.array(personSchema),
  /** When the current step times out (only while paging). */
  dueAt: z.iso.datetime().optional(),
  startedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  acknowledgedBy: actSchema.optional(),
  closedBy: actSchema.optional(),
  /** The body (REFERRAL_BODIES) the case was referred to. */
  referredTo: z.string().optional(),
});
export type EscalationState = z.infer<typeof escalationStateSchema>;

export interface EscalationSettings {
  ackTimeoutSeconds: number;
  repeatCount: number;
}

/** What a scheduled trigger carries: the report and the step it was scheduled for. */
export const escalationTriggerSchema = z.object({ reference: z.string().min(1), step: z.number().int().min(1) });
export type EscalationTrigger = z.infer<typeof escalationTriggerSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Effects

export const AUDIT_ACTIONS = [
  'paged',
  'exhausted',
  'ack',
  'done',
  'refer',
  'note',
  'info',
  'call_requested',
  'call_placed',
  'call_failed',
  'reporter_notified',
  'reporter_not_notified',
  'duty_on',
  'duty_off',
  'who',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditDetail = Record<string, string | number | boolean | string[]>;

export type EscalationEffect =
  /** An SMS to an officer (the shell finds their number in the rota). */
  | { type: 'sms'; officerKey: string; text: string }
  /** A trigger for `step` at `at` (ISO time). */
  | { type: 'schedule'; trigger: EscalationTrigger; at: string }
  | { type: 'reportStatus'; status: ReportStatus; statusNote?: string; referredTo?: string }
  /** Tell the reporter by SMS, which the shell can do only through a consented, still kept call-back number. */
  | { type: 'notifyReporter'; event: 'acknowledged' | 'closed' }
  /** Nobody acknowledged after every round, or there was nobody to page: a person must look. */
  | { type: 'alert'; reason: 'exhausted' | 'nobody_to_page' }
  /** Ring the officer and bridge them to the reporter (shared/escalation/call-bridge.ts); the shell records the outcome. */
  | { type: 'bridgeCall'; officerKey: string }
  | { type: 'audit'; action: AuditAction; actor?: Person; detail?: AuditDetail };

export interface Transition {
  state: EscalationState;
  effects: EscalationEffect[];
}

/** A trigger that changes nothing: a late or repeated one, or one for an escalation that is no longer paging. */
export interface Ignored {
  ignored: 'not_paging' | 'stale_step' | 'early';
  /** For an early trigger: the trigger again, at the step's deadline. */
  effects: EscalationEffect[];
}

// ---------------------------------------------------------------------------------------------------------------
// Texts

const person = (officer: Pick<RotaOfficer, 'key' | 'name'>): Person => ({ key: officer.key, name: officer.name });
const iso = (ms: number) => new Date(ms).toISOString();

export function formatAmount(report: Pick<Report, 'amount'>): string {
  return report.amount ? `${report.amount.value} ${report.amount.currency}` : '';
}

/** The reasons a report is urgent, in the officer's language. */
export function reasonsText(lang: Lang, report: Pick<Report, 'urgency'>): string {
  const reasons = URGENCY_REASONS.filter((reason) => report.urgency.reasons.includes(reason));
  return reasons.length > 0 ? reasons.map((reason) => t(lang, `escalation.reason.${reason}`)).join(', ') : '—';
}

/** The page an officer gets: reference, category, amount, why, the reporter's language, call-back, how to reply. */
export function pageText(lang: Lang, report: Report, round: number): string {
  const amount = formatAmount(report);
  return t(lang, 'escalation.page', {
    reference: report.reference,
    repeat: round > 1 ? t(lang, 'escalation.repeat', { round }) : '',
    category: t(lang, `escalation.category.${report.category}`),
    amount: amount ? `, ${amount}` : '',
    reasons: reasonsText(lang, report),
    language: t(lang, `escalation.language.${report.lang}`),
    callback: t(lang, report.callbackConsent ? 'escalation.callback.yes' : 'escalation.callback.no'),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Transitions

const rotaMap = (rota: readonly RotaOfficer[]) => new Map(rota.map((officer) => [officer.key, officer]));

/** SMS to these people, each in their language, skipping anyone no longer on the rota. */
function smsTo(people: readonly Person[], rota: readonly RotaOfficer[], text: (lang: Lang) => string): EscalationEffect[] {
  const byKey = rotaMap(rota);
  return people.flatMap((p) => {
    const officer = byKey.get(p.key);
    return officer ? [{ type: 'sms' as const, officerKey: officer.key, text: text(officerLanguage(officer)) }] : [];
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
      ...smsTo(paged, rota, (lang) => pageText(lang, report, round)),
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
        ...smsTo(state.paged, rota, (lang) => t(lang, 'escalation.exhausted', { reference: report.reference, rounds })),
        { type: 'alert', reason: 'exhausted' },
        { type: 'audit', action: 'exhausted', detail: { rounds } },
      ],
    };
  }
  const step = state.step + 1;
  const paging = pageStep(report, rota, next.step, next.round, step, settings, now);
  // Those paged at the step that timed out learn it moved on, unless they are paged again now.
  const movedOnTo = state.paged.filter((p) => !paging.paged.some((q) => q.key === p.key));
  const movedOn = (lang: Lang) =>
    next.step.level === null
      ? t(lang, 'escalation.movedOnSupervisors', { reference: report.reference })
      : t(lang, 'escalation.movedOn', { reference: report.reference, level: next.step.level });
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

// ---------------------------------------------------------------------------------------------------------------
// Officers taking a case

/** What an officer's ACK, DONE, REFER or CALL finds. */
export type TakeOutcome =
  /** Taken now by this officer (paging stops), or already theirs. */
  | { outcome: 'taken'; transition: Transition; already: boolean }
  | { outcome: 'taken_by_other'; by: Person }
  | { outcome: 'closed'; by: Person | undefined };

/** A state for a report that was never escalated (not urgent): so that officers can still take and close it. */
function quietState(reference: string, now: number): EscalationState {
  return {
    reference,
    status: 'acknowledged',
    version: 0,
    step: 0,
    round: 0,
    level: null,
    paged: [],
    notified: [],
    startedAt: iso(now),
    updatedAt: iso(now),
  };
}

/**
 * The officer takes the case: paging stops, everyone paged is told who has it, the report becomes
 * `acknowledged` and its reporter is told. A state that is already theirs is returned as it is (`already`).
 */
function take(state: EscalationState | undefined, report: Report, officer: RotaOfficer, rota: readonly RotaOfficer[], now: number): TakeOutcome {
  if (state?.status === 'closed') return { outcome: 'closed', by: state.closedBy };
  if (state?.acknowledgedBy) {
    if (state.acknowledgedBy.key !== officer.key) return { outcome: 'taken_by_other', by: state.acknowledgedBy };
    return { outcome: 'taken', already: true, transition: { state, effects: [] } };
  }
  const from = state ?? quietState(report.reference, now);
  const others = from.notified.filter((p) => p.key !== officer.key);
  return {
    outcome: 'taken',
    already: false,
    transition: {
      state: {
        ...from,
        status: 'acknowledged',
        version: from.version + 1,
        updatedAt: iso(now),
        dueAt: undefined,
        acknowledgedBy: { ...person(officer), at: iso(now) },
      },
      effects: [
        { type: 'audit', action: 'ack', actor: person(officer), detail: { status: from.status, step: from.step } },
        { type: 'reportStatus', status: 'acknowledged' },
        { type: 'notifyReporter', event: 'acknowledged' },
        ...smsTo(others, rota, (lang) => t(lang, 'escalation.handledBy', { reference: report.reference, name: officer.name })),
      ],
    },
  };
}

/** ACK: the officer takes the case. */
export function onAck(state: EscalationState | undefined, report: Report, officer: RotaOfficer, rota: readonly RotaOfficer[], now: number): TakeOutcome {
  return take(state, report, officer, rota, now);
}

/** DONE: closes the case (taking it first if nobody had), with the officer's note; the reporter is told. */
export function onDone(
  state: EscalationState | undefined,
  report: Report,
  officer: RotaOfficer,
  rota: readonly RotaOfficer[],
  note: string | undefined,
  now: number,
): TakeOutcome {
  const taken = take(state, report, officer, rota, now);
  if (taken.outcome === 'closed') return taken;
  // Any officer may close a case someone else holds (as in PagerDuty, resolving is open to the team): recorded.
  const from = taken.outcome === 'taken' ? taken.transition : { state: state!, effects: [] };
  const next = from.state;
  return {
    outcome: 'taken',
    already: false,
    transition: {
      state: {
        ...next,
        status: 'closed',
        version: (state?.version ?? 0) + 1,
        updatedAt: iso(now),
        closedBy: { ...person(officer), at: iso(now) },
      },
      effects: [
        ...from.effects.filter((effect) => effect.type === 'sms' || effect.type === 'audit'),
        { type: 'audit', action: 'done', actor: person(officer), detail: note ? { note } : {} },
        { type: 'reportStatus', status: 'closed', statusNote: note },
        { type: 'notifyReporter', event: 'closed' },
      ],
    },
  };
}

/** REFER: passes the case to a body (taking it first if nobody had); paging stops. */
export function onRefer(
  state: EscalationState | undefined,
  report: Report,
  officer: RotaOfficer,
  rota: readonly RotaOfficer[],
  body: string,
  note: string | undefined,
  now: number,
): TakeOutcome {
  const taken = take(state, report, officer, rota, now);
  if (taken.outcome === 'closed') return taken;
  const from = taken.outcome === 'taken' ? taken.transition : { state: state!, effects: [] };
  return {
    outcome: 'taken',
    already: false,
    transition: {
      state: { ...from.state, version: (state?.version ?? 0) + 1, updatedAt: iso(now), referredTo: body },
      effects: [
        // Taking it tells the reporter an officer has it; the referral itself is visible to them through STATUS.
        ...from.effects.filter((effect) => effect.type !== 'reportStatus'),
        { type: 'audit', action: 'refer', actor: person(officer), detail: note ? { body, note } : { body } },
        { type: 'reportStatus', status: 'referred', referredTo: body, statusNote: note },
      ],
    },
  };
}

export type CallOutcome =
  | TakeOutcome
  /** The reporter did not consent to a call-back, or the sealed number has expired. */
  | { outcome: 'no_consent' };

/**
 * CALL: only with the reporter's consent and a number still kept, and only by the officer holding the case or a
 * supervisor (a call reveals a person: it is not open to the whole team). Taking it first if nobody had.
 */
export function onCall(
  state: EscalationState | undefined,
  report: Report,
  officer: RotaOfficer,
  rota: readonly RotaOfficer[],
  callbackAvailable: boolean,
  now: number,
): CallOutcome {
  if (!report.callbackConsent || !callbackAvailable) return { outcome: 'no_consent' };
  let taken = take(state, report, officer, rota, now);
  if (taken.outcome === 'closed') return taken;
  if (taken.outcome === 'taken_by_other') {
    if (officer.role !== 'supervisor') return taken;
    taken = { outcome: 'taken', already: true, transition: { state: state!, effects: [] } };
  }
  const { transition } = taken;
  return {
    outcome: 'taken',
    already: taken.already,
    transition: {
      state: transition.state,
      effects: [
        ...transition.effects,
        { type: 'audit', action: 'call_requested', actor: person(officer) },
        { type: 'bridgeCall', officerKey: officer.key },
      ],
    },
  };
}

/** Whether a transition changed the state (and so must be written). */
export function changed(before: EscalationState | undefined, after: EscalationState): boolean {
  return before === undefined || before.version !== after.version;
}
