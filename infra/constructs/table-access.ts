/**
 * Which items of the one table each function may touch: its partition-key families, from shared/store/keys.ts, as
 * the `dynamodb:LeadingKeys` condition of its table grant (HotlineFunction.bindTable). A webhook taken over by an
 * attacker can then not forge a console session, read the partners' directory or rewrite a broadcast, and the outbox
 * can read nothing but messages and subscriptions.
 *
 * - A family is a partition key up to and including its first `#` (`CALLER#`, granted as `CALLER#*`), or the whole
 *   key when it has none (`ROTA`, granted exactly).
 * - The table has no secondary index and no function is granted Scan: `ForAllValues:StringLike` holds for a request
 *   with no leading key at all (a Scan), so Scan must stay ungranted for the condition to mean anything.
 * - What each function needs follows from the repositories its code reaches (shared/runtime.ts); the Lambda tests
 *   (test/ussd-lambda, channels-lambda, intake-replay-lambda, outbox-lambda, escalation-scheduler) record every
 *   partition key the handlers name on dynalite and check it against these lists. The broadcast and console
 *   functions have no such Lambda test: their lists are read from the code (the console's is everything but the
 *   local sample marker).
 */
import { keys, type ItemKey } from '../../shared/store/keys';

/** `REPORT#7K3Q9M` → `REPORT#`; `ROTA` → `ROTA`. */
export function partitionFamily(pk: string): string {
  const hash = pk.indexOf('#');
  return hash < 0 ? pk : pk.slice(0, hash + 1);
}

const family = (key: ItemKey) => partitionFamily(key.pk);

/** Every family the table holds: each key builder of shared/store/keys.ts, called with blanks. */
export const ALL_FAMILIES: readonly string[] = [
  ...new Set(Object.values(keys).map((build) => family((build as (...blank: string[]) => ItemKey)('', '', '', '')))),
];

/**
 * A report taken and stored: its unfinished mark and intake claim, the report and its indexes, identifiers, the due
 * escalation.
 */
const INTAKE = [
  family(keys.unfinishedIntake('')),
  family(keys.reportIntake('')),
  family(keys.report('')),
  family(keys.reporterReport('', '', '')),
  family(keys.identifierSummary('', '')),
  family(keys.caseIndex('', '')),
  family(keys.escalationDue('')),
  // Triage reads the registry (an official contact is never branded); the first page reads the rota.
  family(keys.registryEntry('')),
  family(keys.officer('')),
  // The confirmation and the pages leave through the outbox.
  family(keys.outboundMessage('')),
];

/**
 * What every channel's conversation reaches (shared/conversation/runner.ts): intake, callers' languages and
 * sessions, the quiz, subscriptions and alerts (officers' SCAM / APPROVE, JOIN / STOP), the escalation's audit,
 * the verification counters.
 */
const CONVERSATION = [
  ...INTAKE,
  family(keys.quizAttempt('')),
  family(keys.completionCode('')),
  family(keys.quizStatistics()),
  family(keys.cohort('')),
  family(keys.subscription('')),
  family(keys.alert('')),
  // Each check answered is counted for the analysts (shared/store/verifications.ts).
  family(keys.verificationDay('', 0)),
];

/** The partition families each function may use (the functions' ids in the stack). */
export const TABLE_ACCESS = {
  UssdFunction: CONVERSATION,
  // Inbound ids claimed once; delivery reports find their message by the provider's id (and count a broadcast's);
  // an officer's CALL keeps its Africa's Talking bridge.
  SmsFunction: [
    ...CONVERSATION,
    family(keys.processedInbound('', '')),
    family(keys.providerMessage('', '')),
    family(keys.broadcast('')),
    family(keys.bridgeCall('')),
  ],
  // An urgent call remembered for its final callback; an officer answering an Africa's Talking CALL bridge.
  // The prompt studio's takes: played on every call, saved by the studio line.
  VoiceFunction: [...CONVERSATION, family(keys.urgentVoiceCall('', '')), family(keys.bridgeCall('')), family(keys.promptRecording('', ''))],
  // Stores a journaled report and starts its escalation: intake only, and the record of one it dead-letters.
  IntakeReplayFunction: [...INTAKE, family(keys.journalDeadLetter('', ''))],
  // Timeouts and the sweeper: the report and its escalation state, the rota, the pages.
  EscalationFunction: [family(keys.report('')), family(keys.caseIndex('', '')), family(keys.openEscalation('')), family(keys.officer('')), family(keys.outboundMessage(''))],
  // Sends what is queued: the message, its provider id, a broadcast's counters, the subscription it is sent under.
  OutboxFunction: [family(keys.outboundMessage('')), family(keys.providerMessage('', '')), family(keys.broadcast('')), family(keys.subscription(''))],
  // Fans broadcasts and tips out to the subscribers, in the outbox's bulk lane.
  BroadcastFunction: [family(keys.broadcast('')), family(keys.subscription('')), family(keys.alert('')), family(keys.outboundMessage(''))],
  // The officers' console acts on everything officers do by SMS, plus its own sessions, partners and referrals;
  // only the local sample-data marker is not its business.
  ConsoleFunction: ALL_FAMILIES.filter((name) => name !== family(keys.sampleMarker())),
} as const satisfies Record<string, readonly string[]>;

export type TableUser = keyof typeof TABLE_ACCESS;

/** The `dynamodb:LeadingKeys` values for these families. */
export function leadingKeys(families: readonly string[]): string[] {
  return [...new Set(families)].map((name) => (name.endsWith('#') ? `${name}*` : name)).sort();
}
