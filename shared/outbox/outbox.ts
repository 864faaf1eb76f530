import { randomUUID } from 'node:crypto';
import type { MessageRepository } from '../store/messages';
import type { OutboxQueue } from './types';

/**
 * The one way out for every SMS the hotline sends (replies, confirmations, alerts): record it as queued, then
 * hand it to the queue. Sending happens behind the queue, with routing, failover and retries (deliver.ts).
 */
export class Outbox {
  constructor(
    private readonly messages: MessageRepository,
    private readonly queue: OutboxQueue,
    private readonly callerKey: (rawPhone: string) => string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Queues an SMS and returns its id. Throws when it could not be queued. */
  async send(to: string, text: string): Promise<string> {
    const id = randomUUID();
    const createdAt = new Date(this.now()).toISOString();
    await this.messages.recordQueued({ id, toKey: this.callerKey(to), toLast4: to.replace(/\D/g, '').slice(-4), createdAt });
    await this.queue.enqueue({ id, to, text, createdAt });
    return id;
  }
}
