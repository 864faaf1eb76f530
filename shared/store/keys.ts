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
};

export function isLive(item: { expiresAt?: number } | undefined, nowMs: number): boolean {
  return item !== undefined && (item.expiresAt === undefined || item.expiresAt * 1000 > nowMs);
}
