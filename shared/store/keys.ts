/**
 * The one DynamoDB table and the shape of every item in it: the single place where keys are designed.
 *
 * Every item has a partition key `pk` and a sort key `sk` (strings). Items that must disappear carry `expiresAt`
 * (epoch seconds), the table's TTL attribute; DynamoDB deletes them only eventually and dynalite never does, so
 * readers treat an item whose `expiresAt` has passed as absent (see `isLive`).
 *
 * | entity               | pk                       | sk        | notes                                           |
 * |----------------------|--------------------------|-----------|-------------------------------------------------|
 * | language preference  | `CALLER#<phoneKey>`      | `LANG`    | `lang`, `sessionId`, `sessionStartLang`         |
 * | sample-data marker   | `META`                   | `SAMPLE`  | present when `npm start` seeded sample data     |
 * | outbound SMS         | `OUTMSG#<id>`            | `STATUS`  | status, provider, attempts; `toKey`, last 4 digits only; expires |
 * | provider message id  | `PROVIDERMSG#<provider>#<providerId>` | `OUTMSG` | `messageId`: finds the SMS a delivery report is about; expires |
 * | processed inbound id | `INBOUND#<provider>#<providerId>` | `SEEN` | conditional write before any effect: provider retries run once; expires |
 * | SMS flood counter    | `CALLER#<phoneKey>`      | `RATE#<hour>` | `count` of inbound SMS in that UTC hour; expires   |
 * | pending SMS report   | `CALLER#<phoneKey>`      | `PENDING_REPORT` | a story offered as a report (`text`, `lang`) awaiting the sender's YES; expires |
 * | report intake        | `INTAKE#<idempotencyKey>` | `REPORT` | `reference` of the one report this intake became: written FIRST (store/reports.ts) |
 * | unfinished intake    | `INTAKES`                | `OPEN#<idempotencyKey>` | the draft (`report`), `since`: put before an intake's writes, deleted after the last; a crash leaves it for replay |
 * | report               | `REPORT#<reference>`     | `REPORT`  | the report (domain/report.ts) and its `idempotencyKey`; conditional put: references are unique |
 * | call-back number     | `REPORT#<reference>`     | `CALLBACK` | `sealedNumber` (NumberVault), only with consent; expires after the retention period |
 * | reporter's report    | `CALLER#<phoneKey>`      | `REPORT#<createdAt>#<reference>` | `reference`: a reporter's own reports, newest first by Query |
 * | reported identifier  | `IDENT#<kind>#<value>`   | `SUMMARY` | `reporters` (distinct, only ever raised), `firstSeen`, `lastSeen` |
 * | identifier reporter  | `IDENT#<kind>#<value>`   | `REPORTER#<phoneKey>` | one per distinct reporter (conditional put), with its `ordinal` |
 * | reporter ordinal     | `IDENT#<kind>#<value>`   | `ORDINAL#<n, 10 digits>` | `reporterKey`: the n-th distinct reporter (conditional put); `reporters` is the highest n |
 * | identifier reference | `IDENT#<kind>#<value>`   | `REF#<createdAt>#<reference>` | a report naming the identifier, latest last |
 * | identifier campaign  | `IDENT#<kind>#<value>`   | `CAMPAIGN` | `reference` of the report that paged for the campaign: later reporters are linked to it while it is open |
 * | registry entry       | `REGISTRY`               | `ENTRY#<id>` | a licensed body (shared/domain/registry/); `contentHash` makes re-import idempotent |
 * | registry version     | `REGISTRY`               | `VERSION` | `version` number, bumped when an import adds or changes entries: caches reload |
 * | registry index       | `REGISTRY`               | `INDEX#<version>#<chunk>` | `data`: the gzipped index snapshot of that version in ≤ 350 KB chunks, `chunks` |
 * | officer              | `ROTA`                   | `OFFICER#<phoneKey>` | name, raw `phone` (staff data, needed to page them; never logged), role, languages, level, `onDuty`, `contentHash` |
 * | duty audit           | `ROTA`                   | `AUDIT#<at>#<id>` | an officer's ON / OFF / WHO, by `officerKey` and name |
 * | escalation           | `REPORT#<reference>`     | `ESCALATION` | the state machine's state (shared/domain/escalation/); every write conditional on `version` |
 * | open escalation      | `ESCALATIONS`            | `OPEN#<reference>` | `status` paging/exhausted, `step`, `dueAt`: what `rearmPending`, the sweeper and ON read; removed once acknowledged |
 * | report audit         | `REPORT#<reference>`     | `AUDIT#<at>#<id>` | every officer action and escalation step on the report (who, what, note); no raw number |
 * | pending call         | `REPORT#<reference>`     | `CALL#<at>#<officerKey>` | an officer's CALL: `status` pending, then placed (`provider`, `callId`) or failed; expires |
 * | outbound bridge call | `BRIDGE#<requestId>`     | `CALL`    | an Africa's Talking CALL bridge: `reference`, `sealedNumber` opened when the officer answers; expires |
 *
 * | USSD session path    | `CALLER#<phoneKey>`      | `USSD#<session>` | `path` (inputs so far), `uid`, `lastMessageId`: SMPP USSD sends one input at a time (Kannel); expires after minutes |
 * | subscription         | `SUBSCRIBERS`            | `SUB#<phoneKey>` | topics, lang, destination, month, status, last `consent`; `sealedNumber` (NumberVault), `callingCode` (store/outreach.ts) |
 * | consent record       | `CALLER#<phoneKey>`      | `CONSENT#<at>#<action>` | every opt-in and opt-out: when, channel, topics, language (the proof of consent) |
 * | scam alert           | `ALERTS`                 | `ALERT#<code>` | a draft or approved alert (shared/domain/outreach/alerts.ts): drafter, approver, texts |
 * | confirmed identifier | `IDENT#<kind>#<value>`   | `CONFIRMED` | `confirmedOn`, `alertCode`: written when its alert is approved; CHECK answers "confirmed scam" |
 * | broadcast            | `BROADCASTS`             | `BROADCAST#<id>` | texts, segment, `notBefore`, status, cost estimate, fan-out `cursor`, delivery counters `n_*`, `fail_*` |
 * | broadcast run lease  | `BROADCASTS`             | `RUNLEASE` | `leaseUntil` (epoch s), `leaseToken`: one run of the broadcast schedule at a time (store/outreach.ts) |
 *
 * | spooled local SMS     | `LOCALOUTBOX`            | `MSG#<id>` | local mode only: a queued SMS (`sealedTo`, text) until sent or given up on; queued again at start |
 * | journal dead letter   | `DEADLETTERS`            | `JOURNAL#<at>#<intakeHash>` | a journaled report the table can never take: channel, urgent, why; no contents |
 * | urgent voice call     | `VOICECALL#<provider>#<callId>` | `URGENT` | `lang`: the call reached the urgent line, for a final callback that carries no state; expires |
 * | officer accepted     | `VOICECALL#<provider>#<callId>` | `ACCEPTED` | an officer's leg of the urgent line pressed 1 to take the call (call screening); expires |
 *
 * The pre-departure quiz (shared/store/quiz.ts); no quiz item holds an answer together with a number:
 *
 * | entity               | pk                       | sk        | notes                                           |
 * |----------------------|--------------------------|-----------|-------------------------------------------------|
 * | quiz attempt         | `QUIZATTEMPT#<attemptId>` | `ATTEMPT` | a finished taking once per request (`ussd:<session>:<path>`, `sms:<provider>:<id>`, `voice:…`): `passed`, `code`, `lang`; conditional put; expires |
 * | completion code      | `QUIZCODE#<code>`        | `CODE`    | `earnedAt`, `lang` only (what VERIFY tells); conditional put: codes are unique |
 * | verification day     | `VERIFICATIONS`          | `DAY#<YYYY-MM-DD>#<shard>` | counters only (one of 8 items a day, picked at random) (store/verifications.ts): `total`, `verdict_<v>`, `kind_<k>`; no query, no caller; expires |
 * | quiz statistics      | `QUIZ`                   | `STATS`   | running counters over every taking: `attempts`, `passes`, `answered_<q>`, `missed_<q>`, `chose_<q>_<n>` |
 * | group (cohort)       | `COHORT#<code>`          | `COHORT`  | `name`, `size`, `trainerKey`, counters `takers`, `passers`, `missed_<q>`; conditional put: codes unique |
 * | group participant    | `COHORT#<code>`          | `TAKER#<phoneKey>` | `passed`: counts each participant once in `takers` and once in `passers` |
 * | SMS quiz in progress | `CALLER#<phoneKey>`      | `QUIZ`    | `answers` so far, `lang`, `cohort`: SMS has no path to carry them; expires |
 *
 * The console (shared/store/console-*.ts):
 *
 * | case index           | `CASES`                  | `CASE#<createdAt>#<reference>` | `reference`, `status`: every report, for the console's queue and dashboard (a Query, never a Scan) |
 * | console session      | `CONSOLESESSION#<id>`    | `SESSION` | who signed in (sub, e-mail, name, roles), CSRF token, `lastSeenAt`; expires (TTL) |
 * | console sign-in      | `CONSOLELOGIN#<id>`      | `LOGIN`   | an unfinished sign-in: OIDC state, nonce, PKCE verifier; read once; expires |
 * | console audit        | `CONSOLEAUDIT`           | `AUDIT#<at>#<id>` | sign-ins and -outs, dashboard views and exports, uploads: who, when, what (cases keep their own) |
 * | partner organisation | `PARTNERS`               | `ORG#<id>` | name, kind (a referral body), services, contact e-mail and phone |
 * | focal point          | `PARTNERS`               | `FOCAL#<email>` | a partner's person: name, organisation, phone for notices |
 * | sharing consent      | `REPORT#<reference>`     | `SHARING` | whether the reporter agreed that partners see their case, who recorded it and how |
 * | referral             | `REPORT#<reference>`     | `REFERRAL#<id>` | a national referral (shared/domain/console/referral.ts): organisation, service, status, notes |
 * | organisation's referral | `REFERRALS#<orgId>`   | `REF#<createdAt>#<id>` | `reference`, `id`: the partner's list, newest last |
 *
 * The prompt studio (shared/store/studio.ts, docs/studio.md):
 *
 * | prompt recording     | `STUDIO`                 | `REC#<lang>#<key>` | the take that plays: `file` (under AUDIO_BASE_URL), `textHash` recorded, who, when, how; approval |
 * | studio audit         | `STUDIO`                 | `AUDIT#<at>#<id>` | every take saved and every approval: who, what, which prompt |
 * | studio PIN failures  | `CALLER#<phoneKey>`      | `STUDIOPIN#<hour>` | `count` of wrong PINs on the studio line in that UTC hour, across calls; expires |
 *
 * `<phoneKey>` is the keyed hash of a phone number (shared/privacy.ts): no item key holds a raw number.
 * An identifier's `<value>` is its normalised value (E.164, handle, host and path), or for a card its keyed hash;
 * a value over 256 bytes is replaced by its SHA-256 (`boundedKeyValue`). `<idempotencyKey>` is bounded too: the
 * channels build it from provider ids and keyed hashes, never from what the caller typed (shared/privacy.ts).
 */
import { createHash } from 'node:crypto';

export const TABLE_KEYS = { partition: 'pk', sort: 'sk', ttl: 'expiresAt' } as const;

export interface ItemKey {
  pk: string;
  sk: string;
}

/**
 * A value a caller typed (a link can run to thousands of bytes) kept as it is while it is short, and as its hash
 * past that, so that no key exceeds DynamoDB's limits (2,048 bytes for a partition key, 1,024 for a sort key),
 * counted in bytes: Cyrillic is two a letter, and a normalised link percent-encodes it to six.
 */
export const KEY_VALUE_MAX_BYTES = 256;
export function boundedKeyValue(value: string): string {
  if (Buffer.byteLength(value, 'utf8') <= KEY_VALUE_MAX_BYTES) return value;
  return `sha256:${createHash('sha256').update(value).digest('base64url')}`;
}

const identifierPk = (kind: string, value: string) => `IDENT#${kind}#${boundedKeyValue(value)}`;

export const keys = {
  unfinishedIntake: (idempotencyKey: string): ItemKey => ({ pk: 'INTAKES', sk: `OPEN#${idempotencyKey}` }),
  spooledMessage: (id: string): ItemKey => ({ pk: 'LOCALOUTBOX', sk: `MSG#${id}` }),
  journalDeadLetter: (at: string, intakeHash: string): ItemKey => ({ pk: 'DEADLETTERS', sk: `JOURNAL#${at}#${intakeHash}` }),
  urgentVoiceCall: (provider: string, callId: string): ItemKey => ({ pk: `VOICECALL#${provider}#${callId}`, sk: 'URGENT' }),
  officerAccepted: (provider: string, callId: string): ItemKey => ({ pk: `VOICECALL#${provider}#${callId}`, sk: 'ACCEPTED' }),
  languagePreference: (callerKey: string): ItemKey => ({ pk: `CALLER#${callerKey}`, sk: 'LANG' }),
  ussdSession: (callerKey: string, session: string): ItemKey => ({ pk: `CALLER#${callerKey}`, sk: `USSD#${session}` }),
  sampleMarker: (): ItemKey => ({ pk: 'META', sk: 'SAMPLE' }),
  outboundMessage: (id: string): ItemKey => ({ pk: `OUTMSG#${id}`, sk: 'STATUS' }),
  providerMessage: (provider: string, providerId: string): ItemKey => ({
    pk: `PROVIDERMSG#${provider}#${providerId}`,
    sk: 'OUTMSG',
  }),
  processedInbound: (provider: string, providerId: string): ItemKey => ({
    pk: `INBOUND#${provider}#${providerId}`,
    sk: 'SEEN',
  }),
  smsRateCounter: (callerKey: string, hour: string): ItemKey => ({ pk: `CALLER#${callerKey}`, sk: `RATE#${hour}` }),
  pendingReport: (callerKey: string): ItemKey => ({ pk: `CALLER#${callerKey}`, sk: 'PENDING_REPORT' }),
  reportIntake: (idempotencyKey: string): ItemKey => ({ pk: `INTAKE#${idempotencyKey}`, sk: 'REPORT' }),
  report: (reference: string): ItemKey => ({ pk: `REPORT#${reference}`, sk: 'REPORT' }),
  reportCallback: (reference: string): ItemKey => ({ pk: `REPORT#${reference}`, sk: 'CALLBACK' }),
  reporterReport: (reporterKey: string, createdAt: string, reference: string): ItemKey => ({
    pk: `CALLER#${reporterKey}`,
    sk: `REPORT#${createdAt}#${reference}`,
  }),
  identifierSummary: (kind: string, value: string): ItemKey => ({ pk: identifierPk(kind, value), sk: 'SUMMARY' }),
  identifierReporter: (kind: string, value: string, reporterKey: string): ItemKey => ({
    pk: identifierPk(kind, value),
    sk: `REPORTER#${reporterKey}`,
  }),
  identifierOrdinal: (kind: string, value: string, ordinal: number): ItemKey => ({
    pk: identifierPk(kind, value),
    sk: `ORDINAL#${String(ordinal).padStart(10, '0')}`,
  }),
  identifierReference: (kind: string, value: string, createdAt: string, reference: string): ItemKey => ({
    pk: identifierPk(kind, value),
    sk: `REF#${createdAt}#${reference}`,
  }),
  identifierCampaign: (kind: string, value: string): ItemKey => ({ pk: identifierPk(kind, value), sk: 'CAMPAIGN' }),
  registryEntry: (id: string): ItemKey => ({ pk: 'REGISTRY', sk: `ENTRY#${id}` }),
  registryVersion: (): ItemKey => ({ pk: 'REGISTRY', sk: 'VERSION' }),
  registryIndexChunk: (version: number, chunk: number): ItemKey => ({
    pk: 'REGISTRY',
    sk: `INDEX#${String(version).padStart(10, '0')}#${String(chunk).padStart(4, '0')}`,
  }),
  officer: (officerKey: string): ItemKey => ({ pk: 'ROTA', sk: `OFFICER#${officerKey}` }),
  dutyAudit: (at: string, id: string): ItemKey => ({ pk: 'ROTA', sk: `AUDIT#${at}#${id}` }),
  escalation: (reference: string): ItemKey => ({ pk: `REPORT#${reference}`, sk: 'ESCALATION' }),
  openEscalation: (reference: string): ItemKey => ({ pk: 'ESCALATIONS', sk: `OPEN#${reference}` }),
  /** An urgent report's escalation is due: written before the report, cleared once it has paged (docs/security.md). */
  escalationDue: (reference: string): ItemKey => ({ pk: 'ESCALATIONS', sk: `DUE#${reference}` }),
  reportAudit: (reference: string, at: string, id: string): ItemKey => ({ pk: `REPORT#${reference}`, sk: `AUDIT#${at}#${id}` }),
  pendingCall: (reference: string, at: string, officerKey: string): ItemKey => ({
    pk: `REPORT#${reference}`,
    sk: `CALL#${at}#${officerKey}`,
  }),
  bridgeCall: (requestId: string): ItemKey => ({ pk: `BRIDGE#${requestId}`, sk: 'CALL' }),
  quizAttempt: (attemptId: string): ItemKey => ({ pk: `QUIZATTEMPT#${attemptId}`, sk: 'ATTEMPT' }),
  completionCode: (code: string): ItemKey => ({ pk: `QUIZCODE#${code}`, sk: 'CODE' }),
  quizStatistics: (): ItemKey => ({ pk: 'QUIZ', sk: 'STATS' }),
  verificationDay: (day: string, shard: number): ItemKey => ({ pk: 'VERIFICATIONS', sk: `DAY#${day}#${shard}` }),
  cohort: (code: string): ItemKey => ({ pk: `COHORT#${code}`, sk: 'COHORT' }),
  cohortTaker: (code: string, callerKey: string): ItemKey => ({ pk: `COHORT#${code}`, sk: `TAKER#${callerKey}` }),
  smsQuiz: (callerKey: string): ItemKey => ({ pk: `CALLER#${callerKey}`, sk: 'QUIZ' }),
  subscription: (phoneKey: string): ItemKey => ({ pk: 'SUBSCRIBERS', sk: `SUB#${phoneKey}` }),
  consentRecord: (phoneKey: string, at: string, action: string): ItemKey => ({ pk: `CALLER#${phoneKey}`, sk: `CONSENT#${at}#${action}` }),
  alert: (code: string): ItemKey => ({ pk: 'ALERTS', sk: `ALERT#${code}` }),
  confirmedIdentifier: (kind: string, value: string): ItemKey => ({ pk: identifierPk(kind, value), sk: 'CONFIRMED' }),
  broadcast: (id: string): ItemKey => ({ pk: 'BROADCASTS', sk: `BROADCAST#${id}` }),
  broadcastRunLease: (): ItemKey => ({ pk: 'BROADCASTS', sk: 'RUNLEASE' }),
  caseIndex: (createdAt: string, reference: string): ItemKey => ({ pk: 'CASES', sk: `CASE#${createdAt}#${reference}` }),
  consoleSession: (id: string): ItemKey => ({ pk: `CONSOLESESSION#${id}`, sk: 'SESSION' }),
  consoleLogin: (id: string): ItemKey => ({ pk: `CONSOLELOGIN#${id}`, sk: 'LOGIN' }),
  consoleAudit: (at: string, id: string): ItemKey => ({ pk: 'CONSOLEAUDIT', sk: `AUDIT#${at}#${id}` }),
  partnerOrganisation: (id: string): ItemKey => ({ pk: 'PARTNERS', sk: `ORG#${id}` }),
  focalPoint: (email: string): ItemKey => ({ pk: 'PARTNERS', sk: `FOCAL#${email}` }),
  sharingConsent: (reference: string): ItemKey => ({ pk: `REPORT#${reference}`, sk: 'SHARING' }),
  referral: (reference: string, id: string): ItemKey => ({ pk: `REPORT#${reference}`, sk: `REFERRAL#${id}` }),
  organisationReferral: (organisationId: string, createdAt: string, id: string): ItemKey => ({
    pk: `REFERRALS#${organisationId}`,
    sk: `REF#${createdAt}#${id}`,
  }),
  promptRecording: (lang: string, key: string): ItemKey => ({ pk: 'STUDIO', sk: `REC#${lang}#${key}` }),
  studioAudit: (at: string, id: string): ItemKey => ({ pk: 'STUDIO', sk: `AUDIT#${at}#${id}` }),
  studioPinFailures: (callerKey: string, hour: string): ItemKey => ({ pk: `CALLER#${callerKey}`, sk: `STUDIOPIN#${hour}` }),
};

/** Item collections read by Query: a partition, and the sort-key prefix its items share (rows above). */
export interface ItemCollection {
  pk: string;
  skPrefix: string;
}

export const collections = {
  unfinishedIntakes: (): ItemCollection => ({ pk: 'INTAKES', skPrefix: 'OPEN#' }),
  spooledMessages: (): ItemCollection => ({ pk: 'LOCALOUTBOX', skPrefix: 'MSG#' }),
  journalDeadLetters: (): ItemCollection => ({ pk: 'DEADLETTERS', skPrefix: 'JOURNAL#' }),
  reporterReports: (reporterKey: string): ItemCollection => ({ pk: `CALLER#${reporterKey}`, skPrefix: 'REPORT#' }),
  identifierReporters: (kind: string, value: string): ItemCollection => ({ pk: identifierPk(kind, value), skPrefix: 'REPORTER#' }),
  identifierReferences: (kind: string, value: string): ItemCollection => ({ pk: identifierPk(kind, value), skPrefix: 'REF#' }),
  registryEntries: (): ItemCollection => ({ pk: 'REGISTRY', skPrefix: 'ENTRY#' }),
  /** One version's index chunks, or (without a version) every stored version's. */
  registryIndex: (version?: number): ItemCollection => ({
    pk: 'REGISTRY',
    skPrefix: version === undefined ? 'INDEX#' : `INDEX#${String(version).padStart(10, '0')}#`,
  }),
  officers: (): ItemCollection => ({ pk: 'ROTA', skPrefix: 'OFFICER#' }),
  dutyAudit: (): ItemCollection => ({ pk: 'ROTA', skPrefix: 'AUDIT#' }),
  openEscalations: (): ItemCollection => ({ pk: 'ESCALATIONS', skPrefix: 'OPEN#' }),
  escalationsDue: (): ItemCollection => ({ pk: 'ESCALATIONS', skPrefix: 'DUE#' }),
  reportAudit: (reference: string): ItemCollection => ({ pk: `REPORT#${reference}`, skPrefix: 'AUDIT#' }),
  pendingCalls: (reference: string): ItemCollection => ({ pk: `REPORT#${reference}`, skPrefix: 'CALL#' }),
  subscriptions: (): ItemCollection => ({ pk: 'SUBSCRIBERS', skPrefix: 'SUB#' }),
  consentRecords: (phoneKey: string): ItemCollection => ({ pk: `CALLER#${phoneKey}`, skPrefix: 'CONSENT#' }),
  alerts: (): ItemCollection => ({ pk: 'ALERTS', skPrefix: 'ALERT#' }),
  broadcasts: (): ItemCollection => ({ pk: 'BROADCASTS', skPrefix: 'BROADCAST#' }),
  cases: (): ItemCollection => ({ pk: 'CASES', skPrefix: 'CASE#' }),
  consoleAudit: (): ItemCollection => ({ pk: 'CONSOLEAUDIT', skPrefix: 'AUDIT#' }),
  verificationDays: (): ItemCollection => ({ pk: 'VERIFICATIONS', skPrefix: 'DAY#' }),
  partnerOrganisations: (): ItemCollection => ({ pk: 'PARTNERS', skPrefix: 'ORG#' }),
  focalPoints: (): ItemCollection => ({ pk: 'PARTNERS', skPrefix: 'FOCAL#' }),
  referrals: (reference: string): ItemCollection => ({ pk: `REPORT#${reference}`, skPrefix: 'REFERRAL#' }),
  organisationReferrals: (organisationId: string): ItemCollection => ({ pk: `REFERRALS#${organisationId}`, skPrefix: 'REF#' }),
  promptRecordings: (): ItemCollection => ({ pk: 'STUDIO', skPrefix: 'REC#' }),
  studioAudit: (): ItemCollection => ({ pk: 'STUDIO', skPrefix: 'AUDIT#' }),
};

export function isLive(item: { expiresAt?: number } | undefined, nowMs: number): boolean {
  return item !== undefined && (item.expiresAt === undefined || item.expiresAt * 1000 > nowMs);
}
