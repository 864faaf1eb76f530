/**
 * A broadcast's outbound messages recorded in batches (BatchWriteItem, BatchGetItem): only the broadcast fan-out
 * (functions/broadcast, the local hotline) builds this, so only its role is granted the batch actions.
 */
import { BatchGetCommand, BatchWriteCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys';
import type { MessageRepository, QueuedRecord } from './messages';

/** DynamoDB's limits per batch call. */
const BATCH_WRITE_MAX = 25;
const BATCH_GET_MAX = 100;
/** BatchWriteItem calls in flight at once: enough to hide a round trip, few enough not to be throttled. */
const WRITES_IN_FLIGHT = 4;

export class BulkMessageRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly messages: MessageRepository,
  ) {}

  /**
   * Records many messages as queued, 25 to a call, a few calls at once (a broadcast's batch: on AWS each call is a
   * network round trip); what a call leaves unprocessed is retried.
   */
  async recordQueuedMany(records: readonly QueuedRecord[]): Promise<void> {
    const chunks: QueuedRecord[][] = [];
    for (let start = 0; start < records.length; start += BATCH_WRITE_MAX) chunks.push(records.slice(start, start + BATCH_WRITE_MAX));
    for (let start = 0; start < chunks.length; start += WRITES_IN_FLIGHT) {
      await Promise.all(chunks.slice(start, start + WRITES_IN_FLIGHT).map((chunk) => this.writeChunk(chunk)));
    }
  }

  private async writeChunk(chunk: readonly QueuedRecord[]): Promise<void> {
    let requests: NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string] = chunk.map((record) => ({
      PutRequest: { Item: this.messages.queuedItem(record) },
    }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 2000)));
      const { UnprocessedItems } = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
      requests = UnprocessedItems?.[this.tableName] ?? [];
      if (attempt > 10 && requests.length > 0) throw new Error(`${requests.length} outbound messages could not be recorded`);
    }
  }

  /** Which of these ids are recorded already (a fan-out resumed after a crash does not queue them again). */
  async existing(ids: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let start = 0; start < ids.length; start += BATCH_GET_MAX) {
      let wanted: Record<string, unknown>[] | undefined = ids.slice(start, start + BATCH_GET_MAX).map((id) => ({ ...keys.outboundMessage(id) }));
      while (wanted && wanted.length > 0) {
        const page: BatchGetCommandOutput = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: wanted, ProjectionExpression: 'id' } } }),
        );
        for (const item of page.Responses?.[this.tableName] ?? []) found.add(String(item.id));
        wanted = page.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return found;
  }
}
