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
 *
 * `<phoneKey>` is the keyed hash of a phone number (shared/privacy.ts): no item key holds a raw number.
 */
export const TABLE_KEYS = { partition: 'pk', sort: 'sk', ttl: 'expiresAt' } as const;

export interface ItemKey {
  pk: string;
  sk: string;
}

export const keys = {
  languagePreference: (callerKey: string): ItemKey => ({ pk: `CALLER#${callerKey}`, sk: 'LANG' }),
  sampleMarker: (): ItemKey => ({ pk: 'META', sk: 'SAMPLE' }),
};

export function isLive(item: { expiresAt?: number } | undefined, nowMs: number): boolean {
  return item !== undefined && (item.expiresAt === undefined || item.expiresAt * 1000 > nowMs);
}
