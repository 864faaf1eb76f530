import { randomInt } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import * as z from '../domain/zod';
import {
  generateReference,
  identifierValue,
  reportDraftSchema,
  reportSchema,
  type Identifier,
  type IdentifierKind,
  type Report,
  type ReportDraft,
  type ReportStatus,
} from '../domain/report';
import { escalates } from '../domain/escalation/reporter-limit';
import { sharingConsentSchema, type SharingConsent } from '../domain/console/referral';
import { writtenIf } from './conditional';
import { collections, isLive, keys, type ItemCollection, type ItemKey } from './keys';

/** DynamoDB's most keys in one BatchGetItem. */
const BATCH_GET_LIMIT = 100;

/** Ten references in a row already taken means something other than chance is wrong. */
const MAX_REFERENCE_ATTEMPTS = 10;

/** How long a consented call-back number is kept unless configured otherwise: long enough for an officer to call. */
export const DEFAULT_CALLBACK_RETENTION_DAYS = 30;

export interface ReportRepositoryOptions {
  /** Days a consented call-back number is kept, counted from the report's creation. */
  callbackRetentionDays?: number;
  /** How many of an identifier's latest references `getIdentifier` returns. */
  referencesPerIdentifier?: number;
  /** The source of references' characters (tests inject one to force collisions). */
  random?: () => number;
  now?: () => number;
}

export interface CreateResult {
  report: Report;
  /** false: this idempotency key had already made the report, which is returned as stored. */
  created: boolean;
}

/** A report stored with its indexes, and whether its identifiers were linked and its intake finished (`createAndLink`). */
export type LinkedResult = CreateResult & ({ linked: true; finished: boolean } | { linked: false; error: unknown });

/** What the officer's note may carry with a status change. */
export type StatusFields = Partial<Pick<Report, 'statusNote' | 'referredTo'>>;

export interface ReportedIdentifier {
  /** Distinct reporters who named it. */
  reporters: number;
  firstSeen: string;
  lastSeen: string;
  /** The latest references naming it, newest first. */
  references: string[];
}

const unfinishedSchema = z.lazy(() => z.object({
  idempotencyKey: z.string().check(z.minLength(1)),
  report: reportDraftSchema,
  sealedCallbackNumber: z.optional(z.string()),
}));
/** An intake begun and not finished: what its replay needs (a journal entry's shape). */
export type UnfinishedIntake = z.infer<typeof unfinishedSchema>;
/** The sharing consent as the reporter gave it in the channel (the console's referrals read this item). */
const reporterSharing = (reference: string, given: boolean, at: string): SharingConsent =>
  sharingConsentSchema.parse({ reference, given, source: 'reporter', at });

const summarySchema = z.object({ reporters: z.number(), firstSeen: z.string(), lastSeen: z.string() });

/**
 * Reports, the reporter's index of them, and the reported identifiers they name. No transactions (dynalite has
 * none): every write is conditional or idempotent, in an order that a crash between two writes cannot corrupt.
 *
 * `create` writes, in three rounds of calls side by side (each round waits on the one before; on DynamoDB each is a
 * network round trip):
 * 1. the intake item `INTAKE#<idempotencyKey>` → a fresh reference, only if absent; if present, its reference is
 *    taken up instead. From here on the intake always names the one reference this intake may become. Beside it,
 *    an "unfinished intake" item (`INTAKES` / `OPEN#<idempotencyKey>`, with the draft), which `createAndLink`
 *    deletes (`finishIntake`) once the identifiers are linked too: a process that dies in between leaves it for the
 *    replay (`listUnfinished`), which completes the report under the same key; and, for an urgent report, its
 *    escalation marked due under the fresh reference (moved, before step 2, if the intake names another);
 * 2. the report `REPORT#<reference>`, only if absent. Present with this idempotency key: it is ours (an earlier
 *    attempt), returned as stored. Present with another key: the reference collided, so the intake is moved to a
 *    new reference (conditional on still naming the old one) and step 2 runs again;
 * 3. the reporter's index item, the case index and the sealed call-back number: puts written again by every retry
 *    (`createAndLink`: the identifier links beside them, and once they are written intake's hand-off beside the
 *    links).
 * A crash in 1 leaves at most an intake, an unfinished mark or a due mark without a report: the retry or the
 * journal's replay completes it under the same reference, and the sweeper drops a due mark whose report never
 * comes. A crash after 2 leaves a report whose intake already points at it. The intake moves only away from a
 * reference that another intake's report holds, so no key ever makes two reports.
 */
export class ReportRepository {
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly referencesPerIdentifier: number;
  private readonly callbackRetentionSeconds: number;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: ReportRepositoryOptions = {},
  ) {
    // References are not secrets (STATUS also checks the number), but unpredictable ones cost nothing.
    this.random = options.random ?? (() => randomInt(2 ** 32) / 2 ** 32);
    this.now = options.now ?? Date.now;
    this.referencesPerIdentifier = options.referencesPerIdentifier ?? 5;
    this.callbackRetentionSeconds = (options.callbackRetentionDays ?? DEFAULT_CALLBACK_RETENTION_DAYS) * 24 * 3600;
  }

  /**
   * Stores a report once per idempotency key (a provider message id, a USSD session and path) and returns it.
   * `sealedCallbackNumber` is the reporter's number sealed by a NumberVault, accepted only with consent.
   */
  async create(draft: ReportDraft, idempotencyKey: string, sealedCallbackNumber?: string): Promise<CreateResult> {
    const stored = await this.store(draft, idempotencyKey, sealedCallbackNumber);
    await this.writeReportIndexes(stored.report, sealedCallbackNumber);
    return stored;
  }

  /**
   * An intake's writes: `create`, with the identifier links (`recordIdentifiers`) beside its indexes, then, once the
   * report and its indexes are stored, `whenStored` (intake's hand-off, which must not reject) beside the rest of the
   * links, and the intake marked finished (`finishIntake`) once the links are written, beside what `whenStored` still
   * does. Resolves when everything is done. Throws as `create` does (its indexes included), once none of it is still
   * running; identifiers that failed to link leave the report stored (`linked: false`, and why) for the journal to
   * finish, and a finish mark that failed only makes the repair write the same report again (`finished: false`).
   */
  async createAndLink(
    draft: ReportDraft,
    idempotencyKey: string,
    sealedCallbackNumber?: string,
    whenStored?: (stored: CreateResult) => Promise<void>,
  ): Promise<LinkedResult> {
    const stored = await this.store(draft, idempotencyKey, sealedCallbackNumber);
    const indexed = this.writeReportIndexes(stored.report, sealedCallbackNumber);
    const links = this.recordIdentifiers(stored.report).then(
      () => ({ linked: true }) as const,
      (error: unknown) => ({ linked: false, error }) as const,
    );
    const [linked, finished] = await sideBySide(
      links,
      Promise.all([links, indexed]).then(([{ linked }]) => linked && this.finishIntake(idempotencyKey).then(() => true, () => false)),
      // Not before the indexes: an escalation's status change updates the case index, which must exist by then.
      indexed.then(() => whenStored?.(stored)),
    );
    return linked.linked ? { ...stored, linked: true, finished } : { ...stored, ...linked };
  }

  /** `create`'s steps 1 and 2 (see the class): the report stored once per key, its indexes not yet. */
  private async store(draft: ReportDraft, idempotencyKey: string, sealedCallbackNumber: string | undefined): Promise<CreateResult> {
    if (sealedCallbackNumber !== undefined && !draft.callbackConsent) {
      throw new Error('a call-back number is kept only when the reporter consented to a call-back');
    }
    const urgent = escalates(draft);
    const fresh = generateReference(this.random);
    // One round: the unfinished mark (until `finishIntake`, a crash below leaves it for `listUnfinished` to repair),
    // the claim of a fresh reference, and an urgent report's escalation marked due under it. Each is harmless
    // without the others: a claim or a due mark whose report is never written is taken up by the retry or dropped.
    const [, claimed] = await sideBySide(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.unfinishedIntake(idempotencyKey), idempotencyKey, report: draft, sealedCallbackNumber, since: draft.createdAt },
        }),
      ),
      this.putIfAbsent(keys.reportIntake(idempotencyKey), { reference: fresh }),
      urgent && this.markEscalationDue(fresh, draft.createdAt),
    );
    let reference = fresh;
    if (!claimed) {
      // A retry: the intake names its reference already, and the due mark just written under a fresh one goes.
      [reference] = await sideBySide(this.intakeReference(idempotencyKey), urgent && this.unmarkEscalationDue(fresh, draft.createdAt));
    }
    let markedDue = claimed && urgent ? fresh : undefined;
    for (let attempt = 1; ; attempt++) {
      // Before the report: an urgent report is never stored without its escalation being due (the sweeper starts it).
      if (urgent && markedDue !== reference) {
        await this.markEscalationDue(reference, draft.createdAt);
        markedDue = reference;
      }
      const result = await this.putReport({ ...draft, reference, status: 'received', updatedAt: draft.createdAt }, idempotencyKey);
      if (result) return result;
      if (attempt === MAX_REFERENCE_ATTEMPTS) throw new Error(`no free reference after ${attempt} attempts`);
      reference = await this.moveIntake(idempotencyKey, reference);
    }
  }

  /** The report and its identifiers are all written: nothing left to repair. */
  private async finishIntake(idempotencyKey: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: keys.unfinishedIntake(idempotencyKey) }));
  }

  /**
   * Intakes begun before `before` (ISO) and never finished (the process died between their writes: a report
   * without its reporter index or identifier links, or no report at all), as journal entries for the replay.
   */
  async listUnfinished(before: string): Promise<UnfinishedIntake[]> {
    const { pk, skPrefix } = collections.unfinishedIntakes();
    const found: UnfinishedIntake[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          FilterExpression: 'since < :before',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix, ':before': before },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const parsed = unfinishedSchema.safeParse(item);
        if (parsed.success) found.push(parsed.data);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return found;
  }

  /** The reporter's later answer to the sharing question (SMS SHARE): it replaces what was recorded before. */
  async recordSharingConsent(reference: string, given: boolean, at: string): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.sharingConsent(reference), ...reporterSharing(reference, given, at) } }),
    );
  }

  async getByReference(reference: string): Promise<Report | undefined> {
    const item = await this.get(keys.report(reference));
    return item ? reportSchema.parse(item) : undefined;
  }

  /** A reporter's own reports, newest first. */
  async listByReporter(reporterKey: string, limit: number): Promise<Report[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({ ...this.queryOf(collections.reporterReports(reporterKey)), ScanIndexForward: false, Limit: limit }),
    );
    const reports = await Promise.all(Items.map((item) => this.getByReference(String(item.reference))));
    return reports.filter((report): report is Report => report !== undefined);
  }

  /** A reporter's reports created at or after `since` (ISO), newest first (the per-reporter escalation limit). */
  async listByReporterSince(reporterKey: string, since: string): Promise<Report[]> {
    const { pk, skPrefix } = collections.reporterReports(reporterKey);
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk >= :from',
        ExpressionAttributeValues: { ':pk': pk, ':from': `${skPrefix}${since}` },
        ScanIndexForward: false,
      }),
    );
    return this.getMany(Items.map((item) => String(item.reference)));
  }

  /** Sets a report's status; undefined when there is no such report. */
  async updateStatus(reference: string, status: ReportStatus, fields: StatusFields = {}): Promise<Report | undefined> {
    const extra = Object.entries(fields).filter(([, value]) => value !== undefined);
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.report(reference),
          UpdateExpression: `SET #status = :status, updatedAt = :now${extra.map(([name]) => `, #${name} = :${name}`).join('')}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status', ...Object.fromEntries(extra.map(([name]) => [`#${name}`, name])) },
          ExpressionAttributeValues: {
            ':status': status,
            ':now': new Date(this.now()).toISOString(),
            ...Object.fromEntries(extra.map(([name, value]) => [`:${name}`, value])),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const report = reportSchema.parse(Attributes);
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.caseIndex(report.createdAt, report.reference),
          UpdateExpression: 'SET #status = :status',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status },
        }),
      );
      return report;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  /**
   * Cases from the index, newest first: every report created at or after `since` (ISO), with the status the index
   * holds (the report itself is the truth; the index may lag it by one crashed write).
   */
  async listCases(since: string): Promise<{ reference: string; createdAt: string; status: ReportStatus }[]> {
    const cases: { reference: string; createdAt: string; status: ReportStatus }[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk >= :from',
          ExpressionAttributeValues: { ':pk': collections.cases().pk, ':from': `${collections.cases().skPrefix}${since}` },
          ScanIndexForward: false,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const [, createdAt] = String(item.sk).split('#');
        cases.push({ reference: String(item.reference), createdAt: createdAt!, status: item.status as ReportStatus });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return cases;
  }

  /** Several reports by reference, in that order (missing ones left out). */
  async getMany(references: readonly string[]): Promise<Report[]> {
    const reports = await Promise.all(references.map((reference) => this.getByReference(reference)));
    return reports.filter((report): report is Report => report !== undefined);
  }

  /** The sealed call-back number of a report, while it is kept. */
  async getSealedCallbackNumber(reference: string): Promise<string | undefined> {
    const item = await this.get(keys.reportCallback(reference));
    return isLive(item as { expiresAt?: number } | undefined, this.now()) ? String(item!.sealedNumber) : undefined;
  }

  /**
   * Every report created at or after `since` (an ISO date or time), oldest first: the case index from that date (a
   * Query, where a Scan read the whole table), then the reports in batches of 100.
   */
  async listCreatedSince(since: string): Promise<Report[]> {
    const references = (await this.listCases(since)).map((indexed) => indexed.reference);
    const reports: Report[] = [];
    for (let at = 0; at < references.length; at += BATCH_GET_LIMIT) {
      let wanted: Record<string, unknown>[] = references.slice(at, at + BATCH_GET_LIMIT).map((reference) => ({ ...keys.report(reference) }));
      while (wanted.length > 0) {
        const { Responses, UnprocessedKeys } = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: wanted, ConsistentRead: true } } }),
        );
        reports.push(...(Responses?.[this.tableName] ?? []).map((item) => reportSchema.parse(item)));
        wanted = UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    }
    return reports.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.reference.localeCompare(b.reference));
  }

  // -------------------------------------------------------------------------------------------------------------
  // Reported identifiers

  /**
   * Links each of a report's identifiers to it: one item per distinct reporter (conditional), one per reference,
   * then the summary. Distinct reporters are numbered, not recounted (recounting read every earlier reporter's item,
   * 51 ms at 5,000): a new reporter's item takes the ordinal after the summary's count, then claims that ordinal's
   * item (conditional put, so two reporters never share one; a taken ordinal moves the reporter to the next), and
   * the count is raised to it. The ordinals claimed are always 1..n without a gap, each by one reporter, so the
   * highest is the number of distinct reporters. The count is only ever raised and first/last seen only ever
   * widened, so a replay, a crash between any two writes or two reports at once leave it exact.
   */
  async recordIdentifiers(report: Report): Promise<void> {
    await Promise.all(report.identifiers.map((identifier) => this.recordIdentifier(identifier, report)));
  }

  /** What a check answers with: how many distinct people reported the identifier, first and last seen (one read). */
  async getIdentifierSummary(kind: IdentifierKind, value: string): Promise<Omit<ReportedIdentifier, 'references'> | undefined> {
    return this.summary(kind, value);
  }

  async getIdentifier(kind: IdentifierKind, value: string): Promise<ReportedIdentifier | undefined> {
    const [summary, { Items = [] }] = await Promise.all([
      this.summary(kind, value),
      this.client.send(
        new QueryCommand({
          ...this.queryOf(collections.identifierReferences(kind, value)),
          ScanIndexForward: false,
          Limit: this.referencesPerIdentifier,
        }),
      ),
    ]);
    return summary && { ...summary, references: Items.map((item) => String(item.reference)) };
  }

  /**
   * For triage: of these identifiers, the one named by the most distinct reporters other than this one, and how
   * many (a campaign is several independent people naming the same scammer). `others` is 0 when none was named.
   */
  async mostReported(identifiers: readonly Identifier[], reporterKey: string): Promise<{ others: number; identifier?: Identifier }> {
    const counts = await Promise.all(
      identifiers.map(async (identifier) => {
        const value = identifierValue(identifier);
        const [summary, own] = await Promise.all([
          this.summary(identifier.kind, value),
          this.get(keys.identifierReporter(identifier.kind, value, reporterKey)),
        ]);
        return { identifier, others: (summary?.reporters ?? 0) - (own ? 1 : 0) };
      }),
    );
    return counts.reduce<{ others: number; identifier?: Identifier }>((most, count) => (count.others > most.others ? count : most), { others: 0 });
  }

  /** The reference of the report that paged for a campaign about this identifier, if one did. */
  async campaignReference(identifier: Identifier): Promise<string | undefined> {
    const item = await this.get(keys.identifierCampaign(identifier.kind, identifierValue(identifier)));
    return typeof item?.reference === 'string' ? item.reference : undefined;
  }

  /**
   * Makes `reference` the identifier's campaign, unless another report claimed it first (one whose campaign is
   * still open: `replacing` names a closed one that may be replaced). Resolves to the campaign's reference.
   */
  async claimCampaign(identifier: Identifier, reference: string, replacing?: string): Promise<string> {
    const key = keys.identifierCampaign(identifier.kind, identifierValue(identifier));
    const claimed = await writtenIf(
      this.client,
      new PutCommand({
        TableName: this.tableName,
        Item: { ...key, reference },
        ConditionExpression: replacing ? '#reference = :replacing OR #reference = :reference' : 'attribute_not_exists(pk) OR #reference = :reference',
        ExpressionAttributeNames: { '#reference': 'reference' },
        ExpressionAttributeValues: { ':reference': reference, ...(replacing ? { ':replacing': replacing } : {}) },
      }),
    );
    if (claimed) return reference;
    return (await this.campaignReference(identifier)) ?? reference;
  }

  private async recordIdentifier(identifier: Identifier, report: Report): Promise<void> {
    const { kind } = identifier;
    const value = identifierValue(identifier);
    const [reporters] = await Promise.all([
      this.countReporter(kind, value, report),
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.identifierReference(kind, value, report.createdAt, report.reference), reference: report.reference },
        }),
      ),
    ]);
    const summary = keys.identifierSummary(kind, value);
    await Promise.all([
      this.setIfBeyond(summary, 'reporters', reporters, 'above'),
      this.setIfBeyond(summary, 'lastSeen', report.createdAt, 'above'),
      this.setIfBeyond(summary, 'firstSeen', report.createdAt, 'below'),
    ]);
  }

  /** The reporter's ordinal among the identifier's distinct reporters, claimed if it is new (see recordIdentifiers). */
  private async countReporter(kind: IdentifierKind, value: string, report: Report): Promise<number> {
    const reporterItem = keys.identifierReporter(kind, value, report.reporterKey);
    const [existing, summary] = await Promise.all([this.get(reporterItem), this.summary(kind, value)]);
    let ordinal: number;
    if (typeof existing?.ordinal === 'number') ordinal = existing.ordinal;
    else if (existing) {
      // A reporter item written before ordinals (or by a crash of that code): counted as it was then.
      return this.count(collections.identifierReporters(kind, value));
    } else {
      const next = (summary?.reporters ?? 0) + 1;
      const created = await this.putIfAbsent(reporterItem, { reference: report.reference, at: report.createdAt, ordinal: next });
      // Lost to a concurrent attempt of this same reporter: take up its ordinal.
      ordinal = created ? next : Number((await this.get(reporterItem))?.ordinal);
    }
    for (;;) {
      const claimed = await this.putIfAbsent(keys.identifierOrdinal(kind, value, ordinal), { reporterKey: report.reporterKey });
      if (claimed) return ordinal;
      const owner = await this.get(keys.identifierOrdinal(kind, value, ordinal));
      if (owner?.reporterKey === report.reporterKey) return ordinal;
      ordinal = await this.moveOrdinal(reporterItem, ordinal);
    }
  }

  /** Another reporter holds `from`: the reporter moves to the next ordinal, unless a concurrent attempt moved it. */
  private async moveOrdinal(reporterItem: ItemKey, from: number): Promise<number> {
    if (await this.setWhen(reporterItem, 'ordinal', from + 1, '#a = :from', { ':from': from })) return from + 1;
    return Number((await this.get(reporterItem))?.ordinal);
  }

  private async summary(kind: IdentifierKind, value: string): Promise<z.infer<typeof summarySchema> | undefined> {
    const parsed = summarySchema.safeParse(await this.get(keys.identifierSummary(kind, value)));
    return parsed.success ? parsed.data : undefined;
  }

  /** Sets an attribute only if it is unset or the value lies beyond it: counts and times never move back. */
  private async setIfBeyond(key: ItemKey, attribute: string, value: string | number, beyond: 'above' | 'below'): Promise<void> {
    await this.setWhen(key, attribute, value, `attribute_not_exists(#a) OR #a ${beyond === 'above' ? '<' : '>'} :v`);
  }

  /** Sets `attribute` (`#a`) to `value` (`:v`) if `condition` holds; false when it did not. */
  private async setWhen(key: ItemKey, attribute: string, value: unknown, condition: string, values: Record<string, unknown> = {}): Promise<boolean> {
    return writtenIf(
      this.client,
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'SET #a = :v',
        ConditionExpression: condition,
        ExpressionAttributeNames: { '#a': attribute },
        ExpressionAttributeValues: { ':v': value, ...values },
      }),
    );
  }

  private async count(collection: ItemCollection): Promise<number> {
    let total = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({ ...this.queryOf(collection), Select: 'COUNT', ConsistentRead: true, ExclusiveStartKey: startKey }),
      );
      total += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return total;
  }

  // -------------------------------------------------------------------------------------------------------------
  // The steps of `create`

  private async markEscalationDue(reference: string, since: string): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.escalationDue(reference), reference, since } }));
  }

  /** Drops the due mark this intake wrote under a reference it did not get (only its own: `since` is its time). */
  private async unmarkEscalationDue(reference: string, since: string): Promise<void> {
    await writtenIf(
      this.client,
      new DeleteCommand({
        TableName: this.tableName,
        Key: keys.escalationDue(reference),
        ConditionExpression: 'since = :since',
        ExpressionAttributeValues: { ':since': since },
      }),
    );
  }

  /** Step 2: the report as stored for this key, or undefined when another key's report holds the reference. */
  private async putReport(report: Report, idempotencyKey: string): Promise<CreateResult | undefined> {
    const key = keys.report(report.reference);
    if (await this.putIfAbsent(key, { ...report, idempotencyKey })) return { report, created: true };
    const stored = await this.get(key);
    return stored?.idempotencyKey === idempotencyKey ? { report: reportSchema.parse(stored), created: false } : undefined;
  }

  /** After a collision: points the intake at a new reference, unless a concurrent attempt already moved it. */
  private async moveIntake(idempotencyKey: string, from: string): Promise<string> {
    const to = generateReference(this.random);
    if (await this.setWhen(keys.reportIntake(idempotencyKey), 'reference', to, '#a = :from', { ':from': from })) return to;
    return this.intakeReference(idempotencyKey);
  }

  private async intakeReference(idempotencyKey: string): Promise<string> {
    const item = await this.get(keys.reportIntake(idempotencyKey));
    if (typeof item?.reference !== 'string') throw new Error('report intake item without a reference');
    return item.reference;
  }

  /** Step 3: idempotent puts, repeated by every retry, so a crash before them is repaired by the next attempt. */
  private async writeReportIndexes(report: Report, sealedCallbackNumber: string | undefined): Promise<void> {
    await Promise.all([
      // Only if absent: a replay must not undo what the reporter or an officer recorded since.
      report.sharingConsent !== undefined &&
        this.putIfAbsent(keys.sharingConsent(report.reference), reporterSharing(report.reference, report.sharingConsent, report.createdAt)),
      // Only if absent: a replay must not put back the status an officer has moved on since.
      this.putIfAbsent(keys.caseIndex(report.createdAt, report.reference), { reference: report.reference, status: report.status }),
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.reporterReport(report.reporterKey, report.createdAt, report.reference), reference: report.reference },
        }),
      ),
      sealedCallbackNumber !== undefined &&
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...keys.reportCallback(report.reference),
              sealedNumber: sealedCallbackNumber,
              // From the report's creation, not from now: a replay does not extend the retention.
              expiresAt: Math.floor(Date.parse(report.createdAt) / 1000) + this.callbackRetentionSeconds,
            },
          }),
        ),
    ]);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Plumbing

  /** Strongly consistent: the steps above decide on what the previous write left. */
  private async get(key: ItemKey): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return Item;
  }

  /** True when this call wrote the item; false when it was already there. */
  private async putIfAbsent(key: ItemKey, attributes: Record<string, unknown>): Promise<boolean> {
    return writtenIf(this.client, new PutCommand({ TableName: this.tableName, Item: { ...key, ...attributes }, ConditionExpression: 'attribute_not_exists(pk)' }));
  }

  private queryOf(collection: ItemCollection) {
    return {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': collection.pk, ':prefix': collection.skPrefix },
    };
  }
}

/**
 * Store calls side by side, resolving to their results in order; a failure is thrown once every call has settled,
 * so nothing of a failed step is still under way when its caller journals it. `false` and `undefined` stand for a
 * call not made.
 */
async function sideBySide<T extends readonly unknown[]>(...calls: { [K in keyof T]: Promise<T[K]> | T[K] }): Promise<T> {
  const settled = await Promise.allSettled(calls);
  const failed = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
