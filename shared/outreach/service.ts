/**
 * The outreach's imperative shell: subscriptions (opt-in, opt-out, resumption, each with its consent record), scam
 * alerts with two people's approval, and broadcasts fanned out in batches through the one outbox. The pure rules
 * are in shared/domain/outreach/. The web console calls the service functions below (draft, approve, list,
 * report); officers reach the same by SMS (SCAM, APPROVE).
 *
 * Logs carry keyed hashes, alert codes and broadcast ids, never a number.
 */
import { randomUUID } from 'node:crypto';
import type { ConversationOutreach } from '../conversation/runner';
import { officerLanguage, type RotaOfficer } from '../domain/escalation';
import { alertTexts, approvalScope, approversOf, decideApproval, generateAlertCode, parseAlertCommand, scamScope, type Alert } from '../domain/outreach/alerts';
import { estimateCost, inSegment, isQuiet, nextPassTime, timeZoneOf, tipDue, tipText, type CostEstimate, type DeliveryReport, type Segment } from '../domain/outreach/broadcast';
import { optIn, optOutConsent, type ConsentChannel, type SubscriptionChoice } from '../domain/outreach/subscription';
import { fitParts, OFFICER_SMS_MAX_PARTS } from '../domain/officer';
import { countryCallingCode, normalisePhone } from '../domain/phone';
import { LANGUAGES, t, type Lang } from '../domain/prompts';
import { identifierValue, type Identifier } from '../domain/report';
import { dushanbeToday, shownIdentifier } from '../domain/verify';
import type { Logger } from '../log';
import type { BulkOutbox } from '../outbox/bulk';
import type { Outbox } from '../outbox/outbox';
import type { NumberVault } from '../ports';
import { rotaView, type OfficerRepository } from '../store/officers';
import type { AlertRepository, Broadcast, StoredSubscription, SubscriptionRepository } from '../store/outreach';
import { BROADCAST_RUN_LEASE_SECONDS, type OutreachConfig } from './config';

export interface OutreachDeps {
  subscriptions: SubscriptionRepository;
  alerts: AlertRepository;
  officers: OfficerRepository;
  outbox: Pick<Outbox, 'send'>;
  /** The bulk lane: only where broadcasts are fanned out (functions/broadcast, the local hotline). */
  bulk?: Pick<BulkOutbox, 'sendBulk'>;
  vault: NumberVault;
  callerKey(rawPhone: string): string;
  cardHash(digits: string): string;
  log: Logger;
  now(): number;
  config: OutreachConfig;
  ussdServiceCode: string;
  /** An officer's six-digit code for a scope (shared/privacy.ts `officerCommandCode`, docs/security.md). */
  commandCode(officerKey: string, scope: string): string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The calling code a number's price is looked up by (`+992`), `*` when it does not parse. */
export function callingCode(phone: string): string {
  return countryCallingCode(normalisePhone(phone)) ?? '*';
}

// ---- Subscriptions -----------------------------------------------------------------------------------------------

/**
 * Opts a caller in (choice undefined: resumes their earlier choice, or scam alerts for someone new). The number is
 * sealed; the consent is recorded before the subscription is written.
 */
export async function subscribe(
  deps: OutreachDeps,
  caller: { phone: string; key: string },
  choice: SubscriptionChoice | undefined,
  lang: Lang,
  channel: ConsentChannel,
): Promise<StoredSubscription> {
  const before = await deps.subscriptions.get(caller.key);
  const subscription = optIn(before, caller.key, choice, lang, channel, iso(deps.now()));
  const stored: StoredSubscription = {
    ...subscription,
    sealedNumber: await deps.vault.encrypt(normalisePhone(caller.phone)),
    callingCode: callingCode(caller.phone),
  };
  await deps.subscriptions.put(stored);
  deps.log.info('subscribed', { callerKey: caller.key, channel, topics: stored.topics, resumed: before !== undefined });
  return stored;
}

/** Ends every broadcast to the caller at once. False when there was no active subscription to end. */
export async function unsubscribe(deps: OutreachDeps, callerKey: string, lang: Lang, channel: ConsentChannel): Promise<boolean> {
  const before = await deps.subscriptions.get(callerKey);
  if (!before || before.status !== 'active') return false;
  const stopped = await deps.subscriptions.stop(callerKey, optOutConsent(before, channel, iso(deps.now()), lang));
  if (stopped) deps.log.info('unsubscribed', { callerKey, channel });
  return stopped;
}

/** What the conversation runner asks of the outreach. */
export function conversationOutreach(deps: OutreachDeps): ConversationOutreach {
  return {
    subscriptionStatus: async (key) => (await deps.subscriptions.get(key))?.status,
    confirmedOn: async (kind, value) => (await deps.alerts.getConfirmation(kind, value))?.confirmedOn,
    subscribe: async (caller, choice, lang, channel) => {
      await subscribe(deps, caller, choice, lang, channel);
    },
    unsubscribe: async (caller, lang, channel) => {
      await unsubscribe(deps, caller.key, lang, channel);
    },
  };
}

// ---- Scam alerts -------------------------------------------------------------------------------------------------

type Officer = { key: string; name: string };

/** The subscribers a segment reaches now, with what the cost estimate needs. */
async function recipientsOf(deps: OutreachDeps, segment: Segment): Promise<StoredSubscription[]> {
  const found: StoredSubscription[] = [];
  for await (const subscription of deps.subscriptions.all()) if (inSegment(subscription, segment)) found.push(subscription);
  return found;
}

async function estimateFor(deps: OutreachDeps, texts: Partial<Record<Lang, string>>, segment: Segment): Promise<CostEstimate> {
  return estimateCost(texts, await recipientsOf(deps, segment), deps.config.prices);
}

const ALERT_SEGMENT: Segment = { topic: 'scam_alerts' };

export interface DraftedAlert {
  alert: Alert;
  estimate: CostEstimate;
  /** The officers asked to approve it. */
  approvers: Officer[];
}

/**
 * Drafts an alert about an identifier confirmed a scam by `drafter` (an officer on the rota): the texts in every
 * language, the cost estimate, and the draft texted to every possible approver with its code.
 */
export async function draftAlert(deps: OutreachDeps, drafter: Officer, identifier: Identifier, note?: string): Promise<DraftedAlert> {
  const texts = alertTexts(identifier, deps.ussdServiceCode);
  let alert: Alert | undefined;
  for (let attempt = 0; attempt < 5 && !alert; attempt++) {
    const candidate: Alert = {
      code: generateAlertCode(Math.random),
      identifier,
      shown: shownIdentifier(identifier),
      ...(note ? { note } : {}),
      texts,
      status: 'draft',
      draftedBy: drafter,
      draftedAt: iso(deps.now()),
    };
    if (await deps.alerts.createAlert(candidate)) alert = candidate;
  }
  if (!alert) throw new Error('no free alert code');
  const [estimate, rota] = await Promise.all([estimateFor(deps, texts, ALERT_SEGMENT), deps.officers.list()]);
  const approvers = approversOf(rota.map(rotaView), drafter);
  const phones = new Map(rota.map((officer) => [officer.key, officer.phone]));
  for (const approver of approvers) {
    const lang = officerLanguage(approver);
    const text = fitParts(
      [
        t(lang, 'alert.forApproval', {
          code: alert.code,
          pin: deps.commandCode(approver.key, approvalScope(alert.code)),
          name: drafter.name,
          recipients: estimate.recipients,
          usd: estimate.usd.toFixed(2),
          text: texts[lang],
        }),
      ],
      OFFICER_SMS_MAX_PARTS,
    );
    await deps.outbox.send(phones.get(approver.key)!, text).catch((error: unknown) => deps.log.error('approval request not queued', { code: alert.code, officerKey: approver.key, error }));
  }
  deps.log.info('alert drafted', { code: alert.code, officerKey: drafter.key, kind: identifier.kind, approvers: approvers.length });
  return { alert, estimate, approvers: approvers.map(({ key, name }) => ({ key, name })) };
}

export type ApprovalOutcome =
  | { outcome: 'approved'; alert: Alert; broadcast: Broadcast }
  | { outcome: 'own' | 'unknown' }
  | { outcome: 'already'; by: string };

/**
 * Approves a draft by an officer other than its drafter: the identifier is confirmed (CHECK answers "confirmed
 * scam" from now on), and a broadcast to the scam-alert subscribers is scheduled (now, or after quiet hours) and,
 * when it may go now, fanned out. The drafter is told.
 */
export async function approveAlert(deps: OutreachDeps, approver: Officer, code: string): Promise<ApprovalOutcome> {
  const alert = await deps.alerts.getAlert(code);
  const decision = decideApproval(alert, approver);
  if (decision.outcome !== 'approve') return decision;
  const now = deps.now();
  const broadcastId = `alert-${code}`;
  if (!(await deps.alerts.approveAlert(code, approver, iso(now), broadcastId))) {
    const again = await deps.alerts.getAlert(code);
    return again?.status === 'approved' ? { outcome: 'already', by: again.approvedBy?.name ?? '—' } : { outcome: 'own' };
  }
  const approved: Alert = { ...alert!, status: 'approved', approvedBy: approver, approvedAt: iso(now), broadcastId };
  await deps.alerts.confirmIdentifier(alert!.identifier.kind, identifierValue(alert!.identifier), dushanbeToday(now), code);
  const broadcast: Broadcast = {
    id: broadcastId,
    kind: 'alert',
    alertCode: code,
    title: `Scam alert ${code}: ${alert!.shown}`,
    texts: alert!.texts,
    segment: ALERT_SEGMENT,
    status: 'approved',
    notBefore: iso(nextPassTime(now, deps.config.quietHours)),
    createdAt: alert!.draftedAt,
    createdBy: alert!.draftedBy,
    approvedBy: approver,
    estimate: await estimateFor(deps, alert!.texts, ALERT_SEGMENT),
  };
  await deps.alerts.putBroadcast(broadcast);
  deps.log.info('alert approved', { code, officerKey: approver.key, notBefore: broadcast.notBefore });
  const drafter = await deps.officers.get(alert!.draftedBy.key);
  if (drafter) {
    await deps.outbox
      .send(drafter.phone, t(officerLanguage(rotaView(drafter)), 'alert.approvedNotice', { code, name: approver.name }))
      .catch((error: unknown) => deps.log.error('drafter not told', { code, error }));
  }
  return { outcome: 'approved', alert: approved, broadcast };
}

/** Alerts, newest first (the console's list). */
export function listAlerts(deps: OutreachDeps): Promise<Alert[]> {
  return deps.alerts.listAlerts();
}

// ---- Officers by SMS -----------------------------------------------------------------------------------------------

/**
 * SCAM <pin> <identifier> <note> and APPROVE <code> <pin> from an officer on the rota; false, with nothing done, for anything
 * else or anyone else (the migrant flow answers it then).
 */
export async function handleAlertSms(deps: OutreachDeps, fromPhone: string, text: string): Promise<boolean> {
  const command = parseAlertCommand(text, deps.cardHash);
  if (!command) return false;
  const record = await deps.officers.get(deps.callerKey(fromPhone));
  if (!record) return false;
  const officer: RotaOfficer = rotaView(record);
  const lang = officerLanguage(officer);
  const me = { key: officer.key, name: officer.name };
  // A sender number can be forged: without the code only this officer's phone received, nothing is drafted or
  // approved, and the answer (the command with the code) goes to the officer's own number.
  const confirm = (pin: string | undefined, expected: string, withCode: string) => {
    deps.log.warn(`alert ${command.name} without its code`, { officerKey: me.key, wrong: pin !== undefined });
    return t(lang, pin === undefined ? 'officer.confirm' : 'officer.codeWrong', { command: withCode.replace('{pin}', expected) });
  };
  let reply: string;
  if (command.name === 'usage') reply = t(lang, `alert.usage.${command.command}`);
  else if (command.name === 'scam') {
    const expected = deps.commandCode(me.key, scamScope(command.identifier));
    if (command.pin !== expected) reply = confirm(command.pin, expected, `SCAM {pin} ${command.typed}`);
    else {
      const { alert, estimate } = await draftAlert(deps, me, command.identifier, command.note);
      reply = t(lang, 'alert.drafted', { code: alert.code, identifier: alert.shown, recipients: estimate.recipients, segments: estimate.segments, usd: estimate.usd.toFixed(2) });
    }
  } else if (!(await mayApprove(deps, me, command.code, command.pin))) {
    reply = confirm(command.pin, deps.commandCode(me.key, approvalScope(command.code)), `APPROVE ${command.code} {pin}`);
  } else {
    const outcome = await approveAlert(deps, me, command.code);
    if (outcome.outcome === 'approved') {
      const notBefore = Date.parse(outcome.broadcast.notBefore);
      const when = notBefore > deps.now() ? t(lang, 'alert.quietUntil', { time: dushanbeTime(notBefore) }) : '';
      reply = t(lang, 'alert.approved', { code: command.code, recipients: outcome.broadcast.estimate?.recipients ?? 0, when });
    } else if (outcome.outcome === 'already') reply = t(lang, 'alert.already', { code: command.code, name: outcome.by });
    else reply = t(lang, outcome.outcome === 'own' ? 'alert.own' : 'alert.unknown', { code: command.code });
  }
  await deps.outbox.send(fromPhone, fitParts([reply], OFFICER_SMS_MAX_PARTS));
  deps.log.info('officer alert command', { officerKey: officer.key, command: command.name });
  return true;
}

/** The drafter (refused by the two-person rule) and an unknown code need no code; anyone else's APPROVE does. */
async function mayApprove(deps: OutreachDeps, officer: Officer, code: string, pin: string | undefined): Promise<boolean> {
  const alert = await deps.alerts.getAlert(code);
  if (!alert || alert.draftedBy.key === officer.key) return true;
  return pin === deps.commandCode(officer.key, approvalScope(code));
}

function dushanbeTime(ms: number): string {
  return new Date(ms + 5 * 3600_000).toISOString().slice(11, 16);
}

// ---- Broadcasts --------------------------------------------------------------------------------------------------

export type BroadcastView = Broadcast & { report: DeliveryReport };

/**
 * A campaign broadcast drafted for approval (the console): its texts per language and segment, not before
 * `notBefore`, with the cost estimate. Approved by someone other than its creator with `approveBroadcast`.
 */
export async function draftBroadcast(
  deps: OutreachDeps,
  draft: { title: string; texts: Partial<Record<Lang, string>>; segment: Segment; notBefore?: string; createdBy: Officer },
): Promise<Broadcast> {
  const now = deps.now();
  const broadcast: Broadcast = {
    id: `campaign-${randomUUID().slice(0, 8)}`,
    kind: 'campaign',
    title: draft.title,
    texts: draft.texts,
    segment: draft.segment,
    status: 'draft',
    notBefore: draft.notBefore ?? iso(now),
    createdAt: iso(now),
    createdBy: draft.createdBy,
    estimate: await estimateFor(deps, draft.texts, draft.segment),
  };
  await deps.alerts.putBroadcast(broadcast);
  return broadcast;
}

/** The two-person rule for campaigns too: false when the approver created it, or it is no longer a draft. */
export async function approveBroadcast(deps: OutreachDeps, id: string, approver: Officer): Promise<boolean> {
  const broadcast = await deps.alerts.getBroadcast(id);
  if (!broadcast || broadcast.createdBy.key === approver.key) return false;
  return deps.alerts.moveBroadcast(id, 'draft', 'approved', { approvedBy: approver });
}

export function listBroadcasts(deps: OutreachDeps): Promise<BroadcastView[]> {
  return deps.alerts.listBroadcasts();
}

/** A broadcast's delivery report: queued, sent, delivered, failed by reason, opted out since. */
export function broadcastReport(deps: OutreachDeps, id: string): Promise<BroadcastView | undefined> {
  return deps.alerts.getBroadcast(id);
}

/**
 * One run of the broadcast schedule (a timer locally, every minute on AWS): the due broadcasts, then today's tips,
 * one run at a time under the table's run lease (BROADCAST_RUN_LEASE_SECONDS), whatever the function's concurrency.
 * A run that finds the lease held does nothing (`ran: false`): the holder is fanning out, the next minute resumes.
 */
export async function runBroadcastSchedule(deps: OutreachDeps): Promise<{ ran: boolean; fannedOut: string[]; tips: number }> {
  const token = randomUUID();
  const nowSeconds = Math.floor(deps.now() / 1000);
  if (!(await deps.alerts.takeRunLease(token, nowSeconds, nowSeconds + BROADCAST_RUN_LEASE_SECONDS))) {
    deps.log.info('another run of the broadcast schedule holds its lease; this one does nothing');
    return { ran: false, fannedOut: [], tips: 0 };
  }
  try {
    const fannedOut = await runDueBroadcasts(deps);
    const tips = await sendDueTips(deps);
    return { ran: true, fannedOut, tips };
  } finally {
    await deps.alerts.releaseRunLease(token);
  }
}

/**
 * Fans out every approved broadcast that is due and outside quiet hours (a fan-out cut short resumes from its
 * cursor); part of runBroadcastSchedule, which keeps it to one run at a time. Returns the ids fanned out.
 */
export async function runDueBroadcasts(deps: OutreachDeps): Promise<string[]> {
  const now = deps.now();
  const done: string[] = [];
  for (const broadcast of await deps.alerts.listBroadcasts()) {
    if ((broadcast.status !== 'approved' && broadcast.status !== 'sending') || Date.parse(broadcast.notBefore) > now) continue;
    // Night everywhere its subscribers may be: nothing to send to anyone until the first of them wakes.
    const wakes = nextPassTime(now, deps.config.quietHours);
    if (wakes > now) {
      await deps.alerts.moveBroadcast(broadcast.id, broadcast.status, broadcast.status, { notBefore: iso(wakes) });
      continue;
    }
    try {
      await fanOut(deps, broadcast);
      done.push(broadcast.id);
    } catch (error) {
      deps.log.error('broadcast fan-out failed; it resumes on the next run', { broadcastId: broadcast.id, error });
    }
  }
  return done;
}

function bulkLane(deps: OutreachDeps): Pick<BulkOutbox, 'sendBulk'> {
  if (!deps.bulk) throw new Error('broadcasts are fanned out only where the bulk lane is built (functions/broadcast)');
  return deps.bulk;
}

/** One message id per broadcast and recipient: a fan-out resumed never queues a second. */
const messageId = (broadcastId: string, subscriberKey: string) => `bc-${broadcastId}-${subscriberKey}`;

/**
 * Fans one broadcast out in batches: the segment's active subscribers after the cursor, their numbers opened,
 * recorded and queued in the bulk lane together, the cursor moved after each batch. A subscriber in their quiet hours
 * (their destination's time when known, else Dushanbe's) is passed over: when any were, the broadcast stays
 * `sending` and another pass, from the start, comes when the first of their zones wakes (messages already queued
 * are skipped then by their ids).
 */
export async function fanOut(deps: OutreachDeps, broadcast: Broadcast): Promise<number> {
  const bulk = bulkLane(deps);
  const resumed = broadcast.status === 'sending';
  if (!resumed && !(await deps.alerts.moveBroadcast(broadcast.id, 'approved', 'sending', { startedAt: iso(deps.now()) }))) return 0;
  const fallback = broadcast.texts.en ?? Object.values(broadcast.texts)[0]!;
  const textFor = Object.fromEntries(LANGUAGES.map((lang) => [lang, broadcast.texts[lang] ?? fallback])) as Record<Lang, string>;
  let queued = 0;
  const write = async (batch: readonly StoredSubscription[]) => {
    const messages = await Promise.all(
      batch.map(async (subscription) => ({
        id: messageId(broadcast.id, subscription.key),
        to: await deps.vault.decrypt(subscription.sealedNumber),
        toKey: subscription.key,
        text: textFor[subscription.lang],
      })),
    );
    const count = await bulk.sendBulk(broadcast.id, messages, { skipExisting: resumed });
    queued += count;
    await deps.alerts.advanceCursor(broadcast.id, batch.at(-1)!.key, count);
  };
  // One batch is written while the next is read; the cursor still moves batch after batch, in order.
  let writing: Promise<void> = Promise.resolve();
  const next = async (batch: readonly StoredSubscription[]) => {
    await writing;
    writing = write(batch);
    // Awaited before the next batch (or at the end); a failure surfaces there, not as an unhandled rejection.
    writing.catch(() => undefined);
  };
  const now = deps.now();
  const asleep = new Set<string>();
  let batch: StoredSubscription[] = [];
  for await (const subscription of deps.subscriptions.all(broadcast.cursor)) {
    if (!inSegment(subscription, broadcast.segment)) continue;
    const zone = timeZoneOf(subscription.destination);
    if (isQuiet(now, deps.config.quietHours, zone)) {
      asleep.add(zone);
      continue;
    }
    batch.push(subscription);
    if (batch.length >= deps.config.batchSize) {
      await next(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await next(batch);
  await writing;
  if (asleep.size > 0) {
    const notBefore = iso(nextPassTime(now, deps.config.quietHours, [...asleep]));
    await deps.alerts.startPassAgain(broadcast.id, notBefore);
    deps.log.info('broadcast fanned out where it is day; the rest after their quiet hours', { broadcastId: broadcast.id, queued, notBefore, zones: [...asleep] });
    return queued;
  }
  await deps.alerts.moveBroadcast(broadcast.id, 'sending', 'completed', { completedAt: iso(deps.now()) });
  deps.log.info('broadcast fanned out', { broadcastId: broadcast.id, queued });
  return queued;
}

/**
 * Today's timed tips (prompts/outreach `tips.*`): each subscriber to departure tips with a departure month gets the
 * tip due today, once (the day's broadcast holds their delivery report). Outside quiet hours only.
 */
export async function sendDueTips(deps: OutreachDeps): Promise<number> {
  const now = deps.now();
  if (nextPassTime(now, deps.config.quietHours) > now) return 0;
  const today = dushanbeToday(now);
  const id = `tips-${today}`;
  if (!(await deps.alerts.getBroadcast(id))) {
    await deps.alerts.putBroadcast({
      id,
      kind: 'campaign',
      title: `Timed tips ${today}`,
      texts: { en: 'tips.* (prompts/outreach)' },
      segment: { topic: 'departure_tips' },
      status: 'sending',
      notBefore: iso(now),
      createdAt: iso(now),
      createdBy: { key: 'system', name: 'timed tips' },
    });
  }
  const batch: { id: string; to: string; toKey: string; text: string }[] = [];
  for await (const subscription of deps.subscriptions.all()) {
    if (!subscription.departureMonth || !inSegment(subscription, { topic: 'departure_tips' })) continue;
    // Asleep where they are: a later run today sends it (the day's broadcast skips what it queued already).
    if (isQuiet(now, deps.config.quietHours, timeZoneOf(subscription.destination))) continue;
    const tip = tipDue(subscription.departureMonth, today);
    if (!tip) continue;
    batch.push({
      id: messageId(id, subscription.key),
      to: await deps.vault.decrypt(subscription.sealedNumber),
      toKey: subscription.key,
      text: tipText(subscription.lang, tip, deps.ussdServiceCode),
    });
  }
  const queued = await bulkLane(deps).sendBulk(id, batch, { skipExisting: true });
  await deps.alerts.advanceCursor(id, today, queued);
  return queued;
}
