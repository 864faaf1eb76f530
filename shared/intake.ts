/**
 * Taking in a fraud report from any channel: find its urgency, seal the call-back number (only with consent),
 * store it once per idempotency key, link its identifiers, and start an escalation when it is urgent. If the table
 * refuses, the intake is journaled and replayed later: nothing a victim tells us is lost. A reporter who can take an
 * SMS gets the reference and the advice by SMS, to keep.
 */
import type { Logger } from './log';
import { metrics } from './metrics';
import { t } from './domain/prompts';
import { standing } from './domain/registry/entry';
import type { RegistryIndex } from './domain/registry';
import { escalates, heldForReporterLimit } from './domain/escalation/reporter-limit';
import { pagesOfficers, triage, type Identifier, type Report, type ReportDraft } from './domain/report';
import { campaignOf, recordCampaign } from './report-campaigns';
import { dushanbeToday } from './domain/verify';
import { reportAdvice } from './domain/report-texts';
import { journalEntrySchema, replayJournal, type ReplayResult } from './store/journal';
import type { ReportRepository } from './store/reports';
import type { IntakeJournal, JournalEntry, NumberVault } from './ports';

export interface IntakeDeps {
  reports: ReportRepository;
  journal: IntakeJournal;
  vault: NumberVault;
  log: Logger;
  callerKey(rawPhone: string): string;
  triage: { amountThresholdUsd: number; campaignThreshold: number };
  /** Starts the escalation of a newly stored urgent report (the on-call issue's hand-off). */
  onUrgent(report: Report): Promise<void>;
  /** Lists an urgent report held by the reporter's hourly limit to the case it names (no page). */
  onHeld(report: Report): Promise<void>;
  /** Escalations one reporter may start in any hour (domain/escalation/reporter-limit.ts). */
  escalationsPerReporterPerHour: number;
  /** Where the "report received" SMS goes out (shared/outbox/outbox.ts `Outbox` fits). */
  outbox: { send(to: string, text: string, options?: { replyTo?: string }): Promise<unknown> };
  /** Where a journaled report no replay can store is recorded (shared/store/journal-dead-letters.ts fits). */
  deadLetters: { record(entry: JournalEntry, reason: string): Promise<unknown> };
  /** The registry, to tell a licensed agency's official contacts (shared/registry/cache.ts `RegistryCache` fits). */
  registry?: { get(): Promise<RegistryIndex> };
  now?: () => number;
}

/** What a channel gathered: the report's fields and the number it came from. */
export type ReportSubmission = Omit<ReportDraft, 'urgency' | 'createdAt' | 'reporterKey'> & { reporterPhone: string };

export type IntakeOutcome =
  | { saved: true; report: Report; created: boolean }
  /**
   * Not stored now; `journaled`: kept for replay (false only if the journal failed too); `referenceBySms`: the
   * replay texts the reporter the reference (their number was sealed into the journal entry).
   */
  | { saved: false; journaled: boolean; referenceBySms: boolean };

export interface SubmitOptions {
  /**
   * Text the reporter the reference and advice once the report is stored (not again for a retry that finds it).
   * Off where the channel's own answer says it (an SMS REPORT's reply) or the number cannot take an SMS.
   */
  confirmBySms: boolean;
  /**
   * The number can take an SMS: if the report has to be journaled, its replay texts the reference (the reply then
   * says so, and the reporter need not send it again).
   */
  reachableBySms: boolean;
}

export async function submitReport(
  deps: IntakeDeps,
  submission: ReportSubmission,
  idempotencyKey: string,
  options: SubmitOptions = { confirmBySms: false, reachableBySms: false },
): Promise<IntakeOutcome> {
  const { reporterPhone, ...fields } = submission;
  const reporterKey = deps.callerKey(reporterPhone);
  const now = (deps.now ?? Date.now)();
  // What the report says itself can make it urgent before anything is read: then the reporter's hourly count is
  // read beside the rest. Only a campaign or an impersonation found below makes it wait for that.
  const urgentOnItsOwn = triage(fields, { ...deps.triage, otherReportersOfSameIdentifiers: 0, namesOfficialContact: false }).urgent;
  const recentRead = urgentOnItsOwn ? reporterLimitCase(deps, reporterKey, now) : undefined;
  // Side by side: the call-back number sealed, and how many others named the same identifiers.
  const [sealedCallbackNumber, named] = await Promise.all([
    fields.callbackConsent ? deps.vault.encrypt(reporterPhone) : undefined,
    namedByOthers(deps, fields.identifiers, reporterKey, now),
  ]);
  const { most, official } = named;
  const urgency = triage(fields, { ...deps.triage, otherReportersOfSameIdentifiers: most.others, namesOfficialContact: official.length > 0 });
  const [campaign, heldFor] = await Promise.all([
    urgency.reasons.includes('campaign') && most.identifier ? campaignOf(deps.reports, most.identifier, most.others + 1, deps.log) : undefined,
    urgency.urgent ? (recentRead ?? reporterLimitCase(deps, reporterKey, now)) : undefined,
  ]);
  const draft: ReportDraft = {
    ...fields,
    urgency,
    ...(campaign ? { campaign } : {}),
    createdAt: new Date(now).toISOString(),
    reporterKey,
    ...(heldFor ? { escalationHeld: { reason: 'reporter_limit', case: heldFor } } : {}),
  };
  // Set once the report itself is stored with its indexes: identifier links that fail are journaled for the replay
  // to finish, but the reporter is told the reference now, since it exists.
  let stored: { report: Report; created: boolean } | undefined;
  try {
    // The hand-off and the receipt wait on the stored report and its indexes alone: they run beside its links
    // (neither rejects). Links that fail after them are journaled as handed over; a retry of the request hands over
    // again, which pages nobody twice, and the receipt is sent once whoever sends it (`receiptKey`).
    const written = await deps.reports.createAndLink(draft, idempotencyKey, sealedCallbackNumber, async ({ report, created }) => {
      await Promise.all([handOver(deps, report, created), created && options.confirmBySms ? confirmBySms(deps, reporterPhone, report) : undefined]);
    });
    const { report, created } = written;
    stored = { report, created };
    if (!written.linked) throw written.error;
    // Left over, it only makes the replay write the same report again.
    if (!written.finished) deps.log.warn('intake not marked finished', { reference: report.reference });
    deps.log.info('report stored', { reference: report.reference, channel: report.channel, created, urgent: report.urgency.urgent });
    if (created) metrics.countReport(report.channel, report.urgency.urgent);
    return { saved: true, report, created };
  } catch (error) {
    deps.log.error(stored ? 'report stored, its links not; journaling it' : 'report not stored; journaling it', { channel: draft.channel, error });
    const sealedReporterNumber = options.reachableBySms && !stored ? await sealForReplay(deps, reporterPhone) : undefined;
    const entry: JournalEntry = { idempotencyKey, report: draft, sealedCallbackNumber, ...(sealedReporterNumber ? { sealedReporterNumber } : {}) };
    if (stored) {
      // Its hand-off ran beside the links that failed: the replay only finishes the links.
      entry.handedOver = true;
      await deps.journal.append(entry).catch((journalError: unknown) =>
        // Its unfinished mark stays: the scheduled repair (repairUnfinishedIntakes) completes it then.
        deps.log.error('report stored, its links not journaled', { reference: stored?.report.reference, error: journalError }),
      );
      return { saved: true, ...stored };
    }
    const journaled = await deps.journal.append(entry).then(
      () => true,
      (journalError: unknown) => {
        deps.log.error('report journal failed too', { channel: draft.channel, error: journalError });
        return false;
      },
    );
    return { saved: false, journaled, referenceBySms: journaled && sealedReporterNumber !== undefined };
  }
}

/** The reporter's number sealed for the replay's SMS; undefined if the vault fails (the report is kept anyway). */
async function sealForReplay(deps: IntakeDeps, reporterPhone: string): Promise<string | undefined> {
  return deps.vault.encrypt(reporterPhone).catch((error: unknown) => {
    deps.log.error('reporter number not sealed for the replay', { error });
    return undefined;
  });
}

/**
 * Of the report's identifiers, those that are a licensed agency's official contact, and of the others the one named
 * by the most other reporters. An official contact is never counted towards a campaign against its agency: its
 * reports are a possible impersonation, for an officer (docs/security.md). A campaign (several reporters naming one
 * identifier) makes a report urgent; if the count cannot be read, the report is still taken, triaged on what it says.
 */
async function namedByOthers(deps: IntakeDeps, identifiers: readonly Identifier[], reporterKey: string, now: number) {
  const official = await officialContacts(deps, identifiers, now);
  const counted = identifiers.filter((identifier) => !official.includes(identifier));
  const most = await deps.reports.mostReported(counted, reporterKey).catch(() => ({ others: 0, identifier: undefined }));
  return { official, most };
}

/** The report's identifiers that are an official contact of a licensed entry (none when the registry cannot be had). */
async function officialContacts(deps: IntakeDeps, identifiers: readonly Identifier[], now: number): Promise<Identifier[]> {
  const registry = await deps.registry?.get().catch(() => undefined);
  if (!registry) return [];
  const today = dushanbeToday(now);
  return identifiers.filter((identifier) => {
    if (identifier.kind !== 'phone' && identifier.kind !== 'url') return false;
    const entries = registry.findContact(identifier.kind === 'phone' ? 'phone' : 'website', identifier.value);
    return entries.some((entry) => standing(entry, today) === 'licensed');
  });
}

/**
 * What the report's receipt SMS answers: one receipt per report, whether the first attempt or a replay sends it,
 * since the outbox queues an answer to the same thing once.
 */
const receiptKey = (reference: string) => `report-received:${reference}`;

/** The reference and advice by SMS; a failed SMS does not undo the report. */
async function confirmBySms(deps: IntakeDeps, reporterPhone: string, report: Report): Promise<void> {
  const advice = t(report.lang, reportAdvice(report));
  await deps.outbox
    .send(reporterPhone, t(report.lang, 'sms.reportReceived', { ref: report.reference, advice }), { replyTo: receiptKey(report.reference) })
    .catch((error: unknown) => deps.log.error('report confirmation SMS not queued', { reference: report.reference, error }));
}

async function confirmReplayed(deps: IntakeDeps, sealedReporterNumber: string, report: Report): Promise<void> {
  const phone = await deps.vault.decrypt(sealedReporterNumber).catch((error: unknown) => {
    deps.log.error('replayed report: reporter number not opened; no SMS', { reference: report.reference, error });
    return undefined;
  });
  if (phone) await confirmBySms(deps, phone, report);
}

/**
 * The case an urgent report from this reporter is listed to instead of paged, when they have reached the hourly
 * limit of escalations; undefined when it pages (also when their reports cannot be read: a page too many is
 * better than an urgent report paged to nobody).
 */
async function reporterLimitCase(deps: IntakeDeps, reporterKey: string, now: number): Promise<string | undefined> {
  const recent = await deps.reports.listByReporterSince(reporterKey, new Date(now - 3_600_000).toISOString()).catch((error: unknown) => {
    deps.log.error('reporter escalation count unavailable; paging', { reporterKey, error });
    return [];
  });
  return heldForReporterLimit(recent, deps.escalationsPerReporterPerHour, now);
}

/**
 * A stored urgent report's hand-off: its campaign recorded and, beside it (neither reads what the other writes), its
 * escalation started (every time, not only when created: an attempt that stored the report but failed before the
 * hand-off leaves it to this retry, and starting one twice pages nobody twice), or, held by the reporter's limit,
 * listed to their case once.
 */
async function handOver(deps: IntakeDeps, report: Report, created: boolean): Promise<void> {
  await Promise.all([
    recordCampaign(deps.reports, report, deps.log).catch((error: unknown) =>
      deps.log.error('campaign not recorded', { reference: report.reference, error }),
    ),
    escalateOrList(deps, report, created),
  ]);
}

/** The escalation of a report that pages officers, or its listing to the case the reporter's limit names. */
async function escalateOrList(deps: IntakeDeps, report: Report, created: boolean): Promise<void> {
  // One more reporter of an open campaign is linked to it, not paged (unless urgent for a reason of its own).
  if (!pagesOfficers(report)) return;
  const held = !escalates(report);
  if (held && !created) return;
  // The report is stored: a failed hand-off must not make the caller think it was lost.
  await (held ? deps.onHeld(report) : deps.onUrgent(report)).catch((error: unknown) =>
    deps.log.error(held ? 'held report not listed to its case' : 'escalation not started', { reference: report.reference, error }),
  );
}

/** Logged (as an error) when a journaled report can never be stored and goes to the dead letter. */
export const JOURNAL_DEAD_LETTER_MESSAGE = 'journal entry dead-lettered';

/**
 * After a replay: start the escalations of the urgent reports it stored (idempotent for those already started),
 * and text each reporter who was told "your reference will arrive by SMS" the reference. A USSD or voice report
 * stored before the replay (only its identifiers failed) is texted too: its receipt is sent once whoever sends it
 * (`receiptKey`). An SMS report stored before it was stored by the provider's retry, whose answer gave the reference.
 */
export async function afterReplay(deps: IntakeDeps, result: ReplayResult): Promise<void> {
  for (const { report, created, sealedReporterNumber, handedOver } of result.replayed) {
    if (created) metrics.countReport(report.channel, report.urgency.urgent);
    if (!handedOver) await handOver(deps, report, created);
    if (sealedReporterNumber && (created || report.channel !== 'sms')) await confirmReplayed(deps, sealedReporterNumber, report);
  }
  for (const { entry, reason } of result.deadLettered) {
    // A fixed message: the operators' alarm matches it (with the journal's dead letter on AWS).
    deps.log.error(JOURNAL_DEAD_LETTER_MESSAGE, { channel: entry.report.channel, urgent: entry.report.urgency.urgent, reason });
    await deps.deadLetters.record(entry, reason).catch((error: unknown) => deps.log.error('journal dead letter not recorded', { error }));
  }
  if (result.replayed.length > 0 || result.failed.length > 0 || result.deadLettered.length > 0) {
    deps.log.info('report journal replayed', {
      stored: result.replayed.length,
      stillFailing: result.failed.length,
      deadLettered: result.deadLettered.length,
    });
  }
}


/** A journaled report as the journal queue carries it; undefined when it cannot be read (it is dead-lettered). */
export function readJournalEntry(value: unknown): JournalEntry | undefined {
  const entry = journalEntrySchema.safeParse(value);
  return entry.success ? entry.data : undefined;
}

/** An intake not finished this long after it began is taken for one whose process died (not one in flight). */
export const UNFINISHED_INTAKE_AGE_MS = 60_000;

/** What the repair schedule sends the intake-replay function on AWS (infra/constructs/channels.ts). */
export const UNFINISHED_REPAIR_EVENT = { repairUnfinished: true } as const;

/**
 * Completes the intakes a crashed process left half-written (a report without its reporter index or identifier
 * links, or an intake without its report), as the journal's replay does, escalations included.
 */
export async function repairUnfinishedIntakes(deps: IntakeDeps): Promise<ReplayResult> {
  const before = new Date((deps.now ?? Date.now)() - UNFINISHED_INTAKE_AGE_MS).toISOString();
  const unfinished = await deps.reports.listUnfinished(before).catch((error: unknown) => {
    // The store is down: the next replay looks again.
    deps.log.error('unfinished intakes not read', { error });
    return [];
  });
  const result = await replayIntake(deps, unfinished);
  if (unfinished.length > 0) deps.log.warn('unfinished intakes repaired', { repaired: result.replayed.length, stillFailing: result.failed.length });
  return result;
}

/** Replays journaled reports into the table, then starts the escalations of the urgent ones it stored. */
export async function replayIntake(deps: IntakeDeps, entries: readonly JournalEntry[]): Promise<ReplayResult> {
  const result = await replayJournal(entries, deps.reports);
  await afterReplay(deps, result);
  return result;
}
