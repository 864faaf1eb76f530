/**
 * The imperative shell of the on-call escalation: read the state, the report and the rota, let the pure rules
 * (domain/escalation/, domain/officer.ts) decide, write the new state conditionally, then run the effects.
 *
 * Entry points:
 * - `startEscalation(deps, report)`: an urgent report was stored (intake's `onUrgent`).
 * - `handleEscalationTrigger(deps, trigger)`: a step's timer fired (local timer, or functions/escalation on AWS).
 * - `handleOfficerSms(deps, from, text)`: an inbound SMS; true when it was an officer's command and is handled.
 * - `isOfficer(deps, phone)`: officers are exempt from the SMS flood limit.
 * - `rearmPending(deps)` (local start) and `sweepOverdue(deps)` (AWS, every few minutes): no pending escalation
 *   is lost to a restart or a failed invocation.
 *
 * Logs carry references, officers' keys and names, never a phone number or a note.
 */
import {
  type AuditAction,
  changed,
  escalates,
  heldReportEffects,
  officerLanguage,
  onAssign,
  onReopen,
  onTimeout,
  repage,
  start,
  type EscalationEffect,
  type EscalationSettings,
  type EscalationState,
  type EscalationTrigger,
  type Transition,
} from '../domain/escalation';
import {
  dutyReply,
  isOfficerCommand,
  mayActOn,
  needsCode,
  parseOfficerCommand,
  reportCommandReply,
  type OfficerCommand,
  type OfficerEffect,
} from '../domain/officer';
import { senderPhone } from '../domain/phone';
import { t } from '../domain/prompts';
import type { Report } from '../domain/report';
import type { EscalationRepository, PendingCall } from '../store/escalations';
import { withoutNumbers } from './call-bridge';
import { rotaView, type DutyAuditRecord, type OfficerRecord, type OfficerRepository } from '../store/officers';
import { ESCALATION_EXHAUSTED_MESSAGE } from './config';
import type { EscalationDeps } from './deps';

export type ReportCommand = Exclude<OfficerCommand, { name: 'on' | 'off' | 'who' }>;

/** Attempts at a conditional write before giving up (each one re-reads and decides again). */
const MAX_WRITE_ATTEMPTS = 5;

export class EscalationConflictError extends Error {}

interface Stores {
  officers: OfficerRepository;
  escalations: EscalationRepository;
}

/** Why a CALL could not be placed, as the officer is told (`officer.call.reason.*`). */
export type CallFailure = 'notConfigured' | 'number' | 'provider';
export type CallPlaced = { ok: true; provider: string; callId: string } | { ok: false; failure: CallFailure; reason: string };

/** What running effects found out that the reply depends on: whether a CALL was placed. */
interface EffectOutcomes {
  call?: CallPlaced;
}

const settingsOf = (deps: EscalationDeps): EscalationSettings => ({
  ackTimeoutSeconds: deps.escalation.ackTimeoutSeconds,
  repeatCount: deps.escalation.repeatCount,
  codeFor: (officerKey, reference) => caseCode(deps, officerKey, reference),
  ...(deps.recordingLinks ? { recordingLinkFor: (reference: string) => deps.recordingLinks!.linkFor(reference) } : {}),
});

/** An officer's code for one case: the same in every page and confirmation about it. */
const caseCode = (deps: EscalationDeps, officerKey: string, reference: string) => deps.commandCode(officerKey, `case:${reference}`);

/** Duty codes change every hour; the last hour's is still accepted, so a confirmation does not expire at once. */
function dutyCodes(deps: EscalationDeps, officerKey: string): { accepted: string[]; offered: string } {
  const hour = Math.floor(deps.now() / 3_600_000);
  const offered = deps.commandCode(officerKey, `duty:${hour}`);
  return { accepted: [offered, deps.commandCode(officerKey, `duty:${hour - 1}`)], offered };
}

/**
 * Writes a transition's state on condition that `before` is still stored, keeping the open index a superset of
 * the paging escalations, then runs its effects. False when another writer changed the state first.
 */
async function commit(
  deps: EscalationDeps,
  stores: Stores,
  before: EscalationState | undefined,
  transition: Transition,
  report: Report,
  rota: readonly OfficerRecord[],
  officer?: OfficerRecord,
  outcomes?: EffectOutcomes,
): Promise<boolean> {
  const { state } = transition;
  if (changed(before, state)) {
    const open = state.status === 'paging';
    if (open) await stores.escalations.syncOpen(state);
    if (!(await stores.escalations.save(state, before))) return false;
    if (!open) await stores.escalations.syncOpen(state);
  }
  await runEffects(deps, stores, transition.effects, report, rota, officer, outcomes);
  return true;
}

const isDutyAuditAction = (action: AuditAction): action is DutyAuditRecord['action'] =>
  ['duty_on', 'duty_off', 'who', 'code_requested', 'code_rejected'].includes(action);

/**
 * Runs effects in order, except that SMS in a row (one step's pages, each to another officer) and the audit record
 * after them go out side by side. Each failure is logged and the others still run: the state is already written,
 * the next trigger moves the chain on, and a lost page is better than a lost escalation.
 */
async function runEffects(
  deps: EscalationDeps,
  stores: Stores,
  effects: readonly (EscalationEffect | OfficerEffect)[],
  report: Report | undefined,
  rota: readonly OfficerRecord[],
  officer?: OfficerRecord,
  outcomes: EffectOutcomes = {},
): Promise<void> {
  const phones = new Map(rota.map((record) => [record.key, record.phone]));
  const reference = report?.reference;
  const at = () => new Date(deps.now()).toISOString();
  const run = async (effect: EscalationEffect | OfficerEffect): Promise<void> => {
    try {
      switch (effect.type) {
        case 'sms': {
          const phone = phones.get(effect.officerKey);
          if (phone) await deps.outbox.send(phone, effect.text);
          break;
        }
        case 'schedule':
          await deps.scheduler.schedule(effect.trigger, effect.at);
          break;
        case 'reportStatus':
          await deps.reports.updateStatus(report!.reference, effect.status, { statusNote: effect.statusNote, referredTo: effect.referredTo });
          break;
        case 'notifyReporter':
          await notifyReporter(deps, stores, report!, effect.event);
          break;
        case 'alert':
          // A fixed message: the stack's metric filter turns it into the operators' alarm.
          deps.log.error(ESCALATION_EXHAUSTED_MESSAGE, { reference, reason: effect.reason });
          break;
        case 'bridgeCall':
          await placeCall(deps, stores, report!, effect.officerKey, phones.get(effect.officerKey), outcomes);
          break;
        case 'audit':
          if (reference) await stores.escalations.audit(reference, at(), effect.action, effect.actor, effect.detail);
          else if (effect.actor && isDutyAuditAction(effect.action)) {
            await stores.officers.recordDuty({ at: at(), action: effect.action, actor: effect.actor, detail: effect.detail });
          }
          break;
        case 'setDuty':
          if (officer) await stores.officers.setDuty(officer.key, effect.onDuty, new Date(deps.now()));
          break;
      }
    } catch (error) {
      deps.log.error('escalation effect failed', { reference, effect: effect.type, error });
    }
  };
  for (let next = 0; next < effects.length; ) {
    let end = next + 1;
    if (effects[next]!.type === 'sms') {
      while (effects[end]?.type === 'sms') end++;
      // The record of the pages, beside them: it tells who was paged, not whether the SMS was taken.
      if (effects[end]?.type === 'audit') end++;
    }
    await Promise.all(effects.slice(next, end).map(run));
    next = end;
  }
}

/**
 * CALL: rings the officer and bridges them to the reporter through the voice provider. The sealed number is
 * opened only to hand it to the bridge; it is never logged, stored in the clear or texted. The pending-call item is
 * written first (pending), then again with the outcome (placed with the provider's call id, or failed), and the
 * audit trail records which. `outcomes.call` is set as soon as the outcome is known, so the officer is told the
 * truth even if a later write fails.
 */
async function placeCall(
  deps: EscalationDeps,
  stores: Stores,
  report: Report,
  officerKey: string,
  officerPhone: string | undefined,
  outcomes: EffectOutcomes,
): Promise<void> {
  const { reference } = report;
  const call: PendingCall = { reference, officerKey, at: new Date(deps.now()).toISOString(), status: 'pending' };
  const expiresAt = Math.floor(deps.now() / 1000) + deps.escalation.callRequestHours * 3600;
  await stores.escalations.recordPendingCall(call, expiresAt);
  const fail = (failure: CallFailure, reason: string): CallPlaced => ({ ok: false, failure, reason: withoutNumbers(reason) });
  let outcome: CallPlaced;
  if (!deps.callBridge) outcome = fail('notConfigured', 'no voice bridge configured');
  else if (!officerPhone) outcome = fail('provider', "the officer's number is not on the rota");
  else {
    const sealed = report.callbackConsent ? await deps.reports.getSealedCallbackNumber(reference) : undefined;
    let number: string | undefined;
    if (sealed && deps.vault) {
      number = await deps.vault.decrypt(sealed).catch((error: unknown) => {
        deps.log.error('call-back number could not be opened', { reference, error });
        return undefined;
      });
    }
    if (!number) outcome = fail('number', !sealed ? 'number_expired' : !deps.vault ? 'no_vault' : 'number_not_opened');
    else {
      const bridged = await deps.callBridge.bridge(officerPhone, number, reference).catch(
        (error: unknown) => ({ ok: false, reason: error instanceof Error ? error.message : String(error) }) as const,
      );
      const provider = ('provider' in bridged && typeof bridged.provider === 'string' ? bridged.provider : undefined) ?? deps.callBridge.provider;
      outcome = bridged.ok ? { ok: true, provider, callId: bridged.callId } : fail('provider', bridged.reason);
    }
  }
  outcomes.call = outcome;
  const at = new Date(deps.now()).toISOString();
  if (outcome.ok) {
    deps.log.info('call placed', { reference, officerKey, provider: outcome.provider, callId: outcome.callId });
    await stores.escalations.recordPendingCall({ ...call, status: 'placed', provider: outcome.provider, callId: outcome.callId }, expiresAt);
    await stores.escalations.audit(reference, at, 'call_placed', undefined, { officerKey, provider: outcome.provider, callId: outcome.callId });
  } else {
    deps.log.warn('call not placed', { reference, officerKey, failure: outcome.failure, reason: outcome.reason });
    await stores.escalations.recordPendingCall({ ...call, status: 'failed', reason: outcome.reason }, expiresAt);
    await stores.escalations.audit(reference, at, 'call_failed', undefined, { officerKey, failure: outcome.failure, reason: outcome.reason });
  }
}

/**
 * Tells the reporter by SMS, in their language. The report keeps no number but the sealed call-back number, and
 * only with consent: without one the reporter is not texted (they see the new status with STATUS), and the audit
 * trail says so.
 */
async function notifyReporter(deps: EscalationDeps, stores: Stores, report: Report, event: 'acknowledged' | 'closed'): Promise<void> {
  const at = new Date(deps.now()).toISOString();
  const sealed = report.callbackConsent ? await deps.reports.getSealedCallbackNumber(report.reference) : undefined;
  if (!sealed || !deps.vault) {
    const reason = !report.callbackConsent ? 'no_consent' : !sealed ? 'number_expired' : 'no_vault';
    await stores.escalations.audit(report.reference, at, 'reporter_not_notified', undefined, { event, reason });
    return;
  }
  const number = await deps.vault.decrypt(sealed);
  await deps.outbox.send(number, t(report.lang, `escalation.reporter.${event}`, { reference: report.reference }));
  await stores.escalations.audit(report.reference, at, 'reporter_notified', undefined, { event });
}

// ---------------------------------------------------------------------------------------------------------------
// Escalations

/**
 * Starts the escalation of an urgent, stored report: pages level 1 (or the supervisors), arms the timer. Starting
 * one that exists already changes nothing (a replayed intake), except that a paging one is scheduled again.
 */
export async function startEscalation(deps: EscalationDeps, report: Report): Promise<EscalationState> {
  const stores: Stores = deps;
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    // Side by side: the rota is read for nothing only when the escalation exists already (a retry).
    const [existing, rota] = await Promise.all([stores.escalations.get(report.reference), stores.officers.list()]);
    if (existing) {
      if (existing.status === 'paging' && existing.dueAt) {
        await deps.scheduler.schedule({ reference: existing.reference, step: existing.step }, existing.dueAt);
      }
      return existing;
    }
    const transition = start(report, rota.map(rotaView), settingsOf(deps), deps.now());
    if (await commit(deps, stores, undefined, transition, report, rota)) {
      deps.log.info('escalation started', { reference: report.reference, status: transition.state.status, level: transition.state.level });
      // Paged (the effects ran): no longer due. If this fails, the sweeper finds it started and pages again.
      await stores.escalations.clearDue(report.reference);
      return transition.state;
    }
  }
  throw new EscalationConflictError(`escalation ${report.reference}: the state kept changing`);
}

/**
 * An urgent report held by its reporter's hourly limit (domain/escalation/reporter-limit.ts): listed to the case it
 * names, by a short SMS to whoever holds that case and in its audit trail; nobody is paged.
 */
export async function listHeldReport(deps: EscalationDeps, report: Report): Promise<void> {
  if (!report.escalationHeld) return;
  const stores: Stores = deps;
  const reference = report.escalationHeld.case;
  const [caseReport, state, rota] = await Promise.all([deps.reports.getByReference(reference), stores.escalations.get(reference), stores.officers.list()]);
  if (!caseReport) return;
  const effects = heldReportEffects(report, state, rota.map(rotaView), deps.escalation.perReporterPerHour);
  await runEffects(deps, stores, effects, caseReport, rota);
  deps.log.info('urgent report held by the reporter limit', { reference: report.reference, case: reference });
}

export type TriggerOutcome = 'moved_on' | 'exhausted' | 'ignored';

/** A step's timer fired: decides from the stored state, so a late, repeated or raced trigger changes nothing. */
export async function handleEscalationTrigger(deps: EscalationDeps, trigger: EscalationTrigger): Promise<TriggerOutcome> {
  const stores: Stores = deps;
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    const [state, report] = await Promise.all([
      stores.escalations.get(trigger.reference),
      deps.reports.getByReference(trigger.reference),
    ]);
    if (!state || !report) {
      deps.log.warn('escalation trigger for nothing', { reference: trigger.reference, step: trigger.step });
      return 'ignored';
    }
    const rota = await stores.officers.list();
    const result = onTimeout(state, trigger, report, rota.map(rotaView), settingsOf(deps), deps.now());
    if ('ignored' in result) {
      deps.log.info('escalation trigger ignored', { reference: trigger.reference, step: trigger.step, why: result.ignored });
      // A timeout that lost the race to an ACK may have re-added the open entry after the ACK removed it.
      if (result.ignored === 'not_paging') await stores.escalations.syncOpen(state);
      await runEffects(deps, stores, result.effects, report, rota);
      return 'ignored';
    }
    if (await commit(deps, stores, state, result, report, rota)) {
      const { status, level, round } = result.state;
      deps.log.info('escalation moved on', { reference: trigger.reference, status, level, round });
      return status === 'exhausted' ? 'exhausted' : 'moved_on';
    }
  }
  throw new EscalationConflictError(`escalation ${trigger.reference}: the state kept changing`);
}

/** Local start: starts the due escalations, and arms a timer for every one still paging (an overdue one fires at once). */
export async function rearmPending(deps: EscalationDeps): Promise<number> {
  const stores: Stores = deps;
  await startDue(deps);
  let armed = 0;
  for (const entry of await stores.escalations.listOpen()) {
    const state = await stores.escalations.get(entry.reference);
    // A stale entry (a crash between two writes): the index is brought in line with the state.
    if (!state) await stores.escalations.removeOpen(entry.reference);
    else if (state.status !== entry.status || state.step !== entry.step) await stores.escalations.syncOpen(state);
    if (state?.status === 'paging' && state.dueAt) {
      await deps.scheduler.schedule({ reference: state.reference, step: state.step }, state.dueAt);
      armed++;
    }
  }
  if (armed > 0) deps.log.info('pending escalations re-armed', { count: armed });
  return armed;
}

/** A due escalation still not paged after this long raises the operators' alarm (the sweeper runs every 2 minutes). */
const DUE_ALARM_MS = 5 * 60_000;
/** A due marker whose report was never written (its write failed after the marker's) is dropped after this long. */
const DUE_ORPHAN_MS = 60 * 60_000;

/**
 * Starts every urgent report's escalation that is due and not known to have paged: its start failed (a throttled
 * rota read, a failed write) or its response was lost after the state was written, so its pages may not have left.
 * A started one has its current step's pages sent again: a page twice is better than none. Returns how many.
 */
export async function startDue(deps: EscalationDeps): Promise<number> {
  const stores: Stores = deps;
  let started = 0;
  for (const { reference, since } of await stores.escalations.listDue()) {
    const age = deps.now() - Date.parse(since);
    try {
      const [report, state] = await Promise.all([deps.reports.getByReference(reference), stores.escalations.get(reference)]);
      if (!report || !escalates(report)) {
        // The report's write failed after the marker's (its intake retry or the journal writes it again), the
        // reference moved on a collision, or the stored report is one the reporter's limit held: nothing to start.
        if (!report && age < DUE_ORPHAN_MS) continue;
        await stores.escalations.clearDue(reference);
        continue;
      }
      if (!state) await startEscalation(deps, report);
      else {
        if (state.status === 'paging') {
          const rota = await stores.officers.list();
          await runEffects(deps, stores, repage(state, report, rota.map(rotaView), settingsOf(deps)), report, rota);
        }
        await stores.escalations.clearDue(reference);
      }
      started++;
      deps.log.warn('due escalation started by the sweeper', { reference, alreadyStarted: state !== undefined });
    } catch (error) {
      deps.log.error('due escalation not started', { reference, error });
      if (age > DUE_ALARM_MS) deps.log.error(ESCALATION_EXHAUSTED_MESSAGE, { reference, reason: 'start_overdue' });
    }
  }
  return started;
}

/** AWS, every few minutes: starts the due escalations, then handles every paging one whose deadline has passed. */
export async function sweepOverdue(deps: EscalationDeps): Promise<number> {
  const stores: Stores = deps;
  let handled = await startDue(deps);
  for (const entry of await stores.escalations.listOpen()) {
    if (entry.status !== 'paging' || !entry.dueAt || Date.parse(entry.dueAt) > deps.now()) continue;
    try {
      const state = await stores.escalations.get(entry.reference);
      if (!state) continue;
      if (state.status !== 'paging') {
        await stores.escalations.syncOpen(state);
        continue;
      }
      if (state.dueAt && Date.parse(state.dueAt) <= deps.now()) {
        await handleEscalationTrigger(deps, { reference: state.reference, step: state.step });
        handled++;
      }
    } catch (error) {
      deps.log.error('overdue escalation not handled', { reference: entry.reference, error });
    }
  }
  if (handled > 0) deps.log.warn('overdue escalations handled by the sweeper', { count: handled });
  return handled;
}

// ---------------------------------------------------------------------------------------------------------------
// Officers by SMS

/** Whether this number is a registered officer's (officers are exempt from the SMS flood limit). */
export async function isOfficer(deps: EscalationDeps, phone: string): Promise<boolean> {
  return (await officerBySender(deps, phone)) !== undefined;
}

/** The officer whose number sent this, found only by an exact phone number (never by digits in a sender ID). */
async function officerBySender(deps: EscalationDeps, fromPhone: string): Promise<OfficerRecord | undefined> {
  const phone = senderPhone(fromPhone);
  return phone === undefined ? undefined : deps.officers.get(deps.callerKey(phone));
}

/**
 * Handles an officer's command by SMS and answers it through the outbox. False, with nothing done, when the text
 * is not an officer command or the sender is not a registered officer: the migrant flow answers it then.
 * Throws when the store fails (the caller gives the provider's retry a chance).
 */
export async function handleOfficerSms(deps: EscalationDeps, fromPhone: string, text: string): Promise<boolean> {
  if (!isOfficerCommand(text)) return false;
  const stores: Stores = deps;
  const officer = await officerBySender(deps, fromPhone);
  if (!officer) return false;
  const command = parseOfficerCommand(text)!;
  const logged = { officerKey: officer.key, officer: officer.name, command: command.name };

  if (command.name === 'on' || command.name === 'off' || command.name === 'who') {
    const [rota, open] = await Promise.all([stores.officers.list(), command.name === 'on' ? openWithStates(stores) : []]);
    const reply = dutyReply(command, rotaView(officer), { rota: rota.map(rotaView), codes: dutyCodes(deps, officer.key), open });
    await runEffects(deps, stores, reply.effects, undefined, rota, officer);
    await deps.outbox.send(fromPhone, reply.text);
    deps.log.info('officer command', logged);
    return true;
  }

  await deps.outbox.send(fromPhone, (await runReportCommand(deps, officer, command)).text);
  deps.log.info('officer command', { ...logged, reference: 'reference' in command ? command.reference : undefined });
  return true;
}

/**
 * An officer's command about a report (ACK, DONE, REFER, NOTE, INFO, CALL), by SMS or from the console: decided from
 * the stored state, written conditionally, its effects run. Resolves to the reply in the officer's language (the
 * SMS answer; the console shows the outcome itself).
 *
 * `signedIn`: the officer acts from the console, signed in through OpenID Connect with MFA. The case's code proves
 * by SMS that the sender holds the officer's phone; a console session proves more than that, so it supplies the
 * code itself. Every other rule (whose case it is, its state) applies as by SMS.
 */
export async function runReportCommand(
  deps: EscalationDeps,
  officer: OfficerRecord,
  sent: ReportCommand,
  { signedIn = false }: { signedIn?: boolean } = {},
): Promise<{ text: string; refused: boolean }> {
  const stores: Stores = deps;
  const reference = 'reference' in sent ? sent.reference : undefined;
  const command: ReportCommand = signedIn && reference && needsCode(sent) ? { ...sent, code: caseCode(deps, officer.key, reference) } : sent;
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    const [report, state, rota] = await Promise.all([
      reference ? deps.reports.getByReference(reference) : undefined,
      reference ? stores.escalations.get(reference) : undefined,
      stores.officers.list(),
    ]);
    const callbackAvailable =
      report?.callbackConsent === true && (await deps.reports.getSealedCallbackNumber(report.reference)) !== undefined;
    const code = caseCode(deps, officer.key, report?.reference ?? '');
    const recordingLink = report?.recordingUrl ? deps.recordingLinks?.linkFor(report.reference) : undefined;
    const context = { report, state, callbackAvailable, code, ...(recordingLink ? { recordingLink } : {}) };
    const reply = reportCommandReply(command, rotaView(officer), rota.map(rotaView), context, deps.now());
    const outcomes: EffectOutcomes = {};
    if (reply.transition && report) {
      if (!(await commit(deps, stores, state, reply.transition, report, rota, officer, outcomes))) continue;
    }
    await runEffects(deps, stores, reply.effects, report, rota, officer, outcomes);
    const callRequested = [...(reply.transition?.effects ?? []), ...reply.effects].some((effect) => effect.type === 'bridgeCall');
    // The CALL reply says what happened, not what was meant to: a bridge that failed (or never ran) is reported.
    const refused = reply.refused === true || (command.name === 'call' && !outcomes.call?.ok);
    return callRequested && reference && !outcomes.call?.ok
      ? { text: callFailedText(officer, reference, code, outcomes.call?.failure ?? 'provider'), refused }
      : { text: reply.text, refused };
  }
  throw new EscalationConflictError(`officer command ${command.name}: the state kept changing`);
}

/** The open escalations with their states, for ON to list those the officer may take. */
async function openWithStates(stores: Stores): Promise<{ reference: string; state: EscalationState | undefined }[]> {
  const open = await stores.escalations.listOpen();
  return Promise.all(open.map(async ({ reference }) => ({ reference, state: await stores.escalations.get(reference) })));
}

/** Reopens a closed case as this officer's (the console); false when it is not closed. */
export async function reopenCase(deps: EscalationDeps, officer: OfficerRecord, reference: string): Promise<boolean> {
  const stores: Stores = deps;
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    const [report, state, rota] = await Promise.all([deps.reports.getByReference(reference), stores.escalations.get(reference), stores.officers.list()]);
    if (!report) return false;
    const transition = onReopen(state, report, rotaView(officer), deps.now());
    if (!transition) return false;
    if (await commit(deps, stores, state, transition, report, rota, officer)) return true;
  }
  throw new EscalationConflictError(`reopen ${reference}: the state kept changing`);
}

export type AssignOutcome = 'assigned' | 'already' | 'closed' | 'taken_by_other' | 'not_your_case' | 'unknown_case' | 'unknown_officer';

/**
 * Hands a case to the officer `toKey` (the console), by the rules of `onAssign` and, like every SMS command, only
 * when `by` may act on the case at all.
 */
export async function assignCase(deps: EscalationDeps, by: OfficerRecord, reference: string, toKey: string): Promise<AssignOutcome> {
  const stores: Stores = deps;
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    const [report, state, rota] = await Promise.all([deps.reports.getByReference(reference), stores.escalations.get(reference), stores.officers.list()]);
    if (!report) return 'unknown_case';
    const to = rota.find((officer) => officer.key === toKey);
    if (!to) return 'unknown_officer';
    if (!mayActOn(rotaView(by), state)) return 'not_your_case';
    const outcome = onAssign(state, report, rotaView(by), rotaView(to), rota.map(rotaView), caseCode(deps, to.key, reference), deps.now());
    if (outcome.outcome !== 'taken') return outcome.outcome;
    if (outcome.already) return 'already';
    if (await commit(deps, stores, state, outcome.transition, report, rota, by)) return 'assigned';
  }
  throw new EscalationConflictError(`assign ${reference}: the state kept changing`);
}

function callFailedText(officer: OfficerRecord, reference: string, code: string, failure: CallFailure): string {
  const lang = officerLanguage(rotaView(officer));
  return t(lang, 'officer.call.failed', { reference, code, reason: t(lang, `officer.call.reason.${failure}`) });
}

/** A report's audit trail, oldest first (tests, tools). */
export async function auditTrail(deps: EscalationDeps, reference: string) {
  return deps.escalations.listAudit(reference);
}

