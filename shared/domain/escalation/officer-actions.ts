/**
 * Officers taking a case: ACK, DONE, REFER and CALL, each deciding from the stored state.
 */
import { t } from '../prompts';
import type { Report } from '../report';
import type { RotaOfficer } from './rota';
import type { EscalationState, Person, Transition } from './state';
import { iso, person, smsTo } from './paging';

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

/**
 * Assigning a case (from the console): `to` holds it from now on, paging stops, the officers paged are told who has
 * it, and `to` gets an SMS with the case's `code` so that they can act on it by SMS too. Anyone who may act on the
 * case may assign it while nobody or they themselves hold it; taking it from another holder is a supervisor's call.
 */
export function onAssign(
  state: EscalationState | undefined,
  report: Report,
  by: RotaOfficer,
  to: RotaOfficer,
  rota: readonly RotaOfficer[],
  code: string,
  now: number,
): TakeOutcome {
  if (state?.status === 'closed') return { outcome: 'closed', by: state.closedBy };
  const holder = state?.acknowledgedBy;
  if (holder && holder.key !== by.key && by.role !== 'supervisor') return { outcome: 'taken_by_other', by: holder };
  if (holder?.key === to.key) return { outcome: 'taken', already: true, transition: { state: state!, effects: [] } };
  const taken = holder ? undefined : take(state, report, to, rota, now);
  // take() records an ACK by `to`; the audit records who assigned it instead.
  const from = taken?.outcome === 'taken' ? taken.transition : { state: state!, effects: [] };
  return {
    outcome: 'taken',
    already: false,
    transition: {
      state: { ...from.state, version: (state?.version ?? 0) + 1, updatedAt: iso(now), acknowledgedBy: { ...person(to), at: iso(now) } },
      effects: [
        ...from.effects.filter((effect) => effect.type !== 'audit'),
        { type: 'audit', action: 'assigned', actor: person(by), detail: { to: to.name, ...(holder ? { from: holder.name } : {}) } },
        ...smsTo([person(to)], rota, (lang) => t(lang, 'officer.assigned', { reference: report.reference, name: by.name, code })),
      ],
    },
  };
}

/**
 * Reopening a closed case (from the console): it is the reopening officer's again, acknowledged, without paging
 * anyone (it was handled once; the officer reopens it because they are working on it).
 */
export function onReopen(state: EscalationState | undefined, report: Report, officer: RotaOfficer, now: number): Transition | undefined {
  if (report.status !== 'closed') return undefined;
  const from = state ?? quietState(report.reference, now);
  return {
    state: {
      ...from,
      status: 'acknowledged',
      version: (state?.version ?? 0) + 1,
      updatedAt: iso(now),
      dueAt: undefined,
      closedBy: undefined,
      acknowledgedBy: { ...person(officer), at: iso(now) },
    },
    effects: [
      { type: 'audit', action: 'reopen', actor: person(officer) },
      { type: 'reportStatus', status: 'acknowledged' },
    ],
  };
}
