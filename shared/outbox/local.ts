/**
 * The local stand-ins for SQS and for the providers: an in-process queue with the same retry and dead-letter
 * behaviour, and a sender that keeps messages on this machine, all visible at `GET /dev/outbox`.
 */
import type { MessageRepository } from '../store/messages';
import type { DeliveryOutcome } from './deliver';
import type { OutboxQueue, QueuedSms, SendResult, SmsSender } from '../ports';

export interface OutboundMessageView {
  id: string;
  to: string;
  text: string;
  provider: string;
  status: string;
  createdAt: string;
}

/** Where the local queue keeps its messages across a restart (shared/store/local-outbox-spool.ts). */
export interface QueueSpool {
  keep(message: QueuedSms): Promise<void>;
  release(id: string): Promise<void>;
  pending(): Promise<QueuedSms[]>;
}

/** Every message queued on this machine, with its current status from the table. */
export class LocalOutbox {
  private readonly queued: QueuedSms[] = [];

  /** One entry per message: a message queued again (a reply to a retried SMS) is not listed twice. */
  record(message: QueuedSms): void {
    if (!this.queued.some((queued) => queued.id === message.id)) this.queued.push(message);
  }

  async list(messages: MessageRepository): Promise<OutboundMessageView[]> {
    return Promise.all(
      this.queued.map(async ({ id, to, text, createdAt }) => {
        const record = await messages.get(id);
        return { id, to, text, provider: record?.provider ?? '', status: record?.status ?? 'queued', createdAt };
      }),
    );
  }
}

/** The sender used locally when no provider credentials are configured: the message stays on this machine. */
export const localSender: SmsSender = {
  provider: 'local',
  async send(): Promise<SendResult> {
    return { ok: true, providerMessageId: `local-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}` };
  },
};

/**
 * An in-process queue: processes each message in the background, retrying with exponential backoff. Replies and
 * pages start at once; bulk messages (broadcasts) wait in a lane of their own, a few at a time, and a bulk message
 * starts only while no reply is being sent: a broadcast never delays an answer by more than the few in flight.
 */
export class LocalQueue implements OutboxQueue {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly bulkWaiting: QueuedSms[] = [];
  private bulkRunning = 0;
  private repliesRunning = 0;
  /** Messages queued while deliveries are held (`hold`), to start when released. */
  private held: QueuedSms[] | undefined;
  /** Messages given up on, as SQS's dead-letter queue would hold them. */
  readonly deadLetters: QueuedSms[] = [];

  constructor(
    private readonly process: (message: QueuedSms, attempt: number) => Promise<DeliveryOutcome>,
    private readonly options: {
      maxAttempts: number;
      retryBaseMs: number;
      view?: LocalOutbox;
      bulkConcurrency?: number;
      /** Where each message is kept until sent or given up on, so that a restart queues it again. */
      spool?: QueueSpool;
    },
  ) {}

  async enqueue(message: QueuedSms): Promise<void> {
    // Kept before it runs: from here on a crash leaves it to `resume`.
    await this.options.spool?.keep(message);
    if (this.held) this.held.push(message);
    else this.start(message);
  }

  /**
   * For the benchmark: messages are still kept as they are queued, but none starts until the returned function
   * is called. Here the delivery runs in the webhook's own process and competes with it; on AWS the outbox is a
   * function of its own, so a webhook is timed without it.
   */
  hold(): () => void {
    const held: QueuedSms[] = [];
    this.held = held;
    return () => {
      this.held = undefined;
      for (const message of held) this.start(message);
    };
  }

  /** At start: queues again every message a previous process kept and never finished. Returns how many. */
  async resume(): Promise<number> {
    const pending = (await this.options.spool?.pending()) ?? [];
    for (const message of pending) this.start(message);
    return pending.length;
  }

  private start(message: QueuedSms): void {
    this.options.view?.record(message);
    if (message.priority === 'bulk') {
      this.bulkWaiting.push(message);
      this.pumpBulk();
      return;
    }
    this.repliesRunning++;
    this.track(
      this.run(message, 1).finally(() => {
        this.repliesRunning--;
        this.pumpBulk();
      }),
    );
  }

  async enqueueMany(messages: readonly QueuedSms[]): Promise<void> {
    for (const message of messages) await this.enqueue(message);
  }

  private track(work: Promise<void>): void {
    const tracked = work.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private pumpBulk(): void {
    const limit = this.options.bulkConcurrency ?? 4;
    while (this.repliesRunning === 0 && this.bulkRunning < limit && this.bulkWaiting.length > 0) {
      const message = this.bulkWaiting.shift()!;
      this.bulkRunning++;
      this.track(
        this.run(message, 1).finally(() => {
          this.bulkRunning--;
          this.pumpBulk();
        }),
      );
    }
  }

  /** Bulk messages not started yet (a broadcast's backlog). */
  get bulkBacklog(): number {
    return this.bulkWaiting.length;
  }

  private async run(message: QueuedSms, attempt: number): Promise<void> {
    // An exception (the store failing mid-attempt) is retried like a provider failure.
    const outcome = await this.process(message, attempt).catch((): DeliveryOutcome => 'retry');
    if (outcome === 'retry' && attempt < this.options.maxAttempts) {
      await new Promise((resolve) => setTimeout(resolve, this.options.retryBaseMs * 2 ** (attempt - 1)));
      return this.run(message, attempt + 1);
    }
    if (outcome !== 'sent' && outcome !== 'cancelled') this.deadLetters.push(message);
    // Finished either way; if this fails the next start queues it again, and its status stops a second send.
    await this.options.spool?.release(message.id).catch(() => undefined);
  }

  /** Resolves once every queued message has been sent or given up on (tests, clean shutdown). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0 || this.bulkWaiting.length > 0) {
      this.pumpBulk();
      await Promise.all([...this.inFlight]);
    }
  }
}
