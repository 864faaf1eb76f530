/**
 * The analysts' count of verifications: one item per day with running counters (keys.ts, "verification day"), by
 * what the answer told (`verdict_<verdict>`) and what was checked (`kind_<kind>`). Nothing else is kept: no number,
 * no query, no caller. A retried request may count twice; a counter is a trend, not a record.
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { VerificationKind } from '../domain/conversation';
import { VERIFICATION_VERDICTS, type VerificationVerdict } from '../domain/verify';
import { collections, keys } from './keys';
import { queryCollection } from './query';

/** Two years: the dashboard's 13 months, and the same months a year before. */
const KEEP_DAYS = 2 * 366;
/** Items per day. */
const SHARDS = 8;

export interface VerificationDay {
  /** `YYYY-MM-DD`, the caller's calendar day (Dushanbe). */
  day: string;
  total: number;
  verdicts: Record<VerificationVerdict, number>;
}

export class VerificationRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async count(day: string, kind: VerificationKind, verdict: VerificationVerdict): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.verificationDay(day, Math.floor(Math.random() * SHARDS)),
        UpdateExpression: 'ADD #total :one, #verdict :one, #kind :one SET #day = :day, expiresAt = :expires',
        ExpressionAttributeNames: { '#total': 'total', '#verdict': `verdict_${verdict}`, '#kind': `kind_${kind}`, '#day': 'day' },
        ExpressionAttributeValues: { ':one': 1, ':day': day, ':expires': Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + KEEP_DAYS * 86_400 },
      }),
    );
  }

  /** The days from `fromDay` to `toDay` (inclusive) that had a verification, oldest first. */
  async days(fromDay: string, toDay: string): Promise<VerificationDay[]> {
    const byDay = new Map<string, VerificationDay>();
    for await (const item of queryCollection(this.client, this.tableName, collections.verificationDays())) {
      const day = String(item.day);
      if (day < fromDay || day > toDay) continue;
      const number = (name: string) => (typeof item[name] === 'number' ? (item[name] as number) : 0);
      const sum = byDay.get(day) ?? { day, total: 0, verdicts: Object.fromEntries(VERIFICATION_VERDICTS.map((v) => [v, 0])) as Record<VerificationVerdict, number> };
      sum.total += number('total');
      for (const verdict of VERIFICATION_VERDICTS) sum.verdicts[verdict] += number(`verdict_${verdict}`);
      byDay.set(day, sum);
    }
    return [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
  }
}
