/**
 * The quiz's items (keys.ts, "The pre-departure quiz"): finished takings once per request, completion codes,
 * running counters for the analysts, trainers' groups, and the SMS takers' progress. No transactions (dynalite has
 * none): the attempt's conditional put decides who counts it, so a retry of the same request never counts twice
 * (a crash between the attempt and its counters leaves that one taking uncounted, never double-counted).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from '../domain/zod';
import { LANGUAGES } from '../domain/prompts';
import {
  QUIZ_QUESTIONS,
  type CohortFigures,
  type CompletionRecord,
  type QuizChannel,
  type QuizQuestionId,
  type QuizStatistics,
  type SmsQuizState,
} from '../domain/quiz';
import { writtenIf } from './conditional';
import { isLive, keys, type ItemKey } from './keys';

/** Ten codes in a row already taken means something other than chance is wrong. */
const MAX_CODE_ATTEMPTS = 10;

/** How long a finished taking is remembered for its retries. */
const ATTEMPT_MEMORY_SECONDS = 7 * 24 * 3600;

/** A scored taking, as the quiz service records it. */
export interface ScoredAttempt {
  attemptId: string;
  channel: QuizChannel;
  lang: (typeof LANGUAGES)[number];
  answers: string;
  passed: boolean;
  missed: readonly QuizQuestionId[];
  /** The participant's keyed phone hash: counts them once per group (never stored with their answers). */
  callerKey: string;
  cohort?: string;
  at: string;
}

export interface RecordOutcome {
  /** false: this request had already recorded the taking, returned as it was. */
  created: boolean;
  passed: boolean;
  code?: string;
}

const attemptSchema = z.lazy(() => z.object({ passed: z.boolean(), code: z.optional(z.string()) }));
const codeSchema = z.lazy(() => z.object({ code: z.string(), earnedAt: z.string(), lang: z.enum(LANGUAGES) }));
const smsStateSchema = z.lazy(() => z.object({ answers: z.string(), lang: z.enum(LANGUAGES), cohort: z.optional(z.string()) }));
const cohortSchema = z.lazy(() => z.object({
  code: z.string(),
  name: z.string(),
  size: z.optional(z.number()),
  trainerKey: z.string(),
  takers: z._default(z.number(), 0),
  passers: z._default(z.number(), 0),
}));

const counter = (item: Record<string, unknown> | undefined, name: string) => (typeof item?.[name] === 'number' ? (item[name] as number) : 0);

export class QuizRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Records a finished taking once per `attemptId`: on a pass a fresh completion code (from `newCode`, unique by
   * conditional put), then the running counters and the group's, only by the request that created the attempt.
   */
  async record(attempt: ScoredAttempt, newCode: () => string): Promise<RecordOutcome> {
    const earlier = await this.attempt(attempt.attemptId);
    if (earlier) return { created: false, ...earlier };
    const code = attempt.passed ? await this.claimCode(newCode, attempt) : undefined;
    const recorded = await writtenIf(
      this.client,
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.quizAttempt(attempt.attemptId),
          passed: attempt.passed,
          ...(code ? { code } : {}),
          lang: attempt.lang,
          channel: attempt.channel,
          createdAt: attempt.at,
          expiresAt: Math.floor(Date.parse(attempt.at) / 1000) + ATTEMPT_MEMORY_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    if (!recorded) {
      // A concurrent retry of the same request won: its code stands, ours goes.
      if (code) await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: keys.completionCode(code) }));
      const won = await this.attempt(attempt.attemptId);
      return { created: false, passed: attempt.passed, ...won };
    }
    await Promise.all([this.count(attempt), attempt.cohort ? this.countInCohort(attempt, attempt.cohort) : undefined]);
    return { created: true, passed: attempt.passed, ...(code ? { code } : {}) };
  }

  /** What VERIFY tells of a completion code: when and in which language it was earned; null if there is none. */
  async completion(code: string): Promise<CompletionRecord | null> {
    const item = await this.get(keys.completionCode(code));
    return item ? codeSchema.parse(item) : null;
  }

  /** Opens a group under a fresh code (from `newCode`, unique by conditional put) and returns the code. */
  async openCohort(group: { name: string; size?: number; trainerKey: string; at: string }, newCode: () => string): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      const code = newCode();
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...keys.cohort(code), code, name: group.name, ...(group.size ? { size: group.size } : {}), trainerKey: group.trainerKey, createdAt: group.at },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return code;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException) || attempt === MAX_CODE_ATTEMPTS) throw error;
      }
    }
  }

  /** A group's figures (counts only); undefined when there is no such group. */
  async cohort(code: string): Promise<(CohortFigures & { trainerKey: string }) | undefined> {
    const item = await this.get(keys.cohort(code));
    if (!item) return undefined;
    const group = cohortSchema.parse(item);
    const missed = Object.fromEntries(QUIZ_QUESTIONS.map((q) => [q.id, counter(item, `missed_${q.id}`)]));
    return { ...group, missed };
  }

  /** Question-level statistics across every taker, for the analysts' dashboard (one read of the counters). */
  async quizStatistics(): Promise<QuizStatistics> {
    const item = await this.get(keys.quizStatistics());
    return {
      attempts: counter(item, 'attempts'),
      passes: counter(item, 'passes'),
      questions: QUIZ_QUESTIONS.map((q) => ({
        id: q.id,
        answered: counter(item, `answered_${q.id}`),
        missed: counter(item, `missed_${q.id}`),
        chosen: Array.from({ length: q.choices }, (_, i) => counter(item, `chose_${q.id}_${i + 1}`)),
      })),
    };
  }

  async smsState(callerKey: string, nowMs: number): Promise<SmsQuizState | undefined> {
    const item = await this.get(keys.smsQuiz(callerKey));
    return isLive(item as { expiresAt?: number } | undefined, nowMs) ? smsStateSchema.parse(item) : undefined;
  }

  async putSmsState(callerKey: string, state: SmsQuizState, expiresAt: number): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.smsQuiz(callerKey), ...state, expiresAt } }));
  }

  async clearSmsState(callerKey: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: keys.smsQuiz(callerKey) }));
  }

  private async attempt(attemptId: string): Promise<{ passed: boolean; code?: string } | undefined> {
    const item = await this.get(keys.quizAttempt(attemptId));
    return item ? attemptSchema.parse(item) : undefined;
  }

  private async claimCode(newCode: () => string, attempt: ScoredAttempt): Promise<string> {
    for (let tries = 1; ; tries++) {
      const code = newCode();
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...keys.completionCode(code), code, earnedAt: attempt.at, lang: attempt.lang },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return code;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException) || tries === MAX_CODE_ATTEMPTS) throw error;
      }
    }
  }

  /** The running counters over every taking. */
  private async count(attempt: ScoredAttempt): Promise<void> {
    const adds: Record<string, number> = { attempts: 1, passes: attempt.passed ? 1 : 0 };
    QUIZ_QUESTIONS.forEach((q, i) => {
      adds[`answered_${q.id}`] = 1;
      adds[`missed_${q.id}`] = attempt.missed.includes(q.id) ? 1 : 0;
      adds[`chose_${q.id}_${attempt.answers[i]}`] = 1;
    });
    await this.add(keys.quizStatistics(), adds);
  }

  /** The group's counters: each participant once in takers (and passers), every taking in the missed counts. */
  private async countInCohort(attempt: ScoredAttempt, code: string): Promise<void> {
    if (!(await this.get(keys.cohort(code)))) return;
    const taker = keys.cohortTaker(code, attempt.callerKey);
    const firstTaking = await this.putIfAbsent({ ...taker, passed: false });
    const firstPass = attempt.passed && (await this.markPassed(taker));
    await this.add(keys.cohort(code), {
      takers: firstTaking ? 1 : 0,
      passers: firstPass ? 1 : 0,
      ...Object.fromEntries(attempt.missed.map((id) => [`missed_${id}`, 1])),
    });
  }

  private async markPassed(taker: ItemKey): Promise<boolean> {
    return writtenIf(
      this.client,
      new UpdateCommand({
        TableName: this.tableName,
        Key: taker,
        UpdateExpression: 'SET passed = :yes',
        ConditionExpression: 'passed <> :yes',
        ExpressionAttributeValues: { ':yes': true },
      }),
    );
  }

  private async putIfAbsent(item: ItemKey & Record<string, unknown>): Promise<boolean> {
    return writtenIf(this.client, new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
  }

  private async add(key: ItemKey, counters: Record<string, number>): Promise<void> {
    const names = Object.keys(counters);
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: `ADD ${names.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#c${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(names.map((name, i) => [`:c${i}`, counters[name]])),
      }),
    );
  }

  private async get(key: ItemKey): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return Item;
  }
}
