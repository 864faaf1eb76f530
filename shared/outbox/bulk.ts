import type { OutboxQueue } from '../ports';
import type { BulkMessageRepository } from '../store/bulk-messages';

/**
 * The outbox's bulk lane, for broadcasts: a batch recorded as queued together (each message carries its broadcast,
 * whose delivery counters move with it), then handed to the queue's bulk lane. Only the fan-out builds this.
 */
export class BulkOutbox {
  constructor(
    private readonly messages: BulkMessageRepository,
    private readonly queue: OutboxQueue,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Ids are the caller's (one per broadcast and recipient): with `skipExisting`, ones already recorded (a fan-out
   * resumed after a crash) are left alone. Returns how many were queued.
   */
  async sendBulk(
    broadcastId: string,
    batch: readonly { id: string; to: string; toKey: string; text: string }[],
    options: { skipExisting?: boolean } = {},
  ): Promise<number> {
    const existing = options.skipExisting ? await this.messages.existing(batch.map((message) => message.id)) : new Set<string>();
    const fresh = batch.filter((message) => !existing.has(message.id));
    const createdAt = new Date(this.now()).toISOString();
    await this.messages.recordQueuedMany(
      fresh.map(({ id, to, toKey }) => ({ id, toKey, toLast4: to.replace(/\D/g, '').slice(-4), createdAt, broadcastId })),
    );
    await this.queue.enqueueMany(fresh.map(({ id, to, toKey, text }) => ({ id, to, text, createdAt, priority: 'bulk' as const, toKey })));
    return fresh.length;
  }
}
