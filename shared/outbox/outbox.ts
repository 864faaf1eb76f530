import { createHash, randomUUID } from 'node:crypto';
import type { MessageRepository } from '../store/messages';
import type { OutboxQueue } from '../ports';

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

  /**
   * Queues an SMS and returns its id. Throws when it could not be queued. `replyTo` names what the SMS answers (a
   * provider's message id): an answer to the same message, handled again after a failure, is queued only once.
   */
  async send(to: string, text: string, options: { replyTo?: string } = {}): Promise<string> {
    const id = options.replyTo ? `reply-${createHash('sha256').update(options.replyTo).digest('hex').slice(0, 32)}` : randomUUID();
    const createdAt = new Date(this.now()).toISOString();
    const record = { id, toKey: this.callerKey(to), toLast4: to.replace(/\D/g, '').slice(-4), createdAt };
    const isNew = await this.messages.recordQueued(record, options.replyTo !== undefined);
    // Already recorded (its cause handled again): queued again if still queued, since its first queuing may have
    // failed; sending takes a lease, so a message queued twice is still sent once.
    if (isNew || (await this.messages.get(id))?.status === 'queued') await this.queue.enqueue({ id, to, text, createdAt });
    return id;
  }
}
