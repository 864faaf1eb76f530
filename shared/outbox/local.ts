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

/** An in-process queue: processes each message in the background, retrying with exponential backoff. */
export class LocalQueue implements OutboxQueue {
  private readonly inFlight = new Set<Promise<void>>();
  /** Messages given up on, as SQS's dead-letter queue would hold them. */
  readonly deadLetters: QueuedSms[] = [];

  constructor(
    private readonly process: (message: QueuedSms, attempt: number) => Promise<DeliveryOutcome>,
    private readonly options: { maxAttempts: number; retryBaseMs: number; view?: LocalOutbox },
  ) {}

  async enqueue(message: QueuedSms): Promise<void> {
    this.options.view?.record(message);
    const work = this.run(message, 1).finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  private async run(message: QueuedSms, attempt: number): Promise<void> {
    // An exception (the store failing mid-attempt) is retried like a provider failure.
    const outcome = await this.process(message, attempt).catch((): DeliveryOutcome => 'retry');
    if (outcome === 'sent') return;
    if (outcome === 'retry' && attempt < this.options.maxAttempts) {
      await new Promise((resolve) => setTimeout(resolve, this.options.retryBaseMs * 2 ** (attempt - 1)));
      return this.run(message, attempt + 1);
    }
    this.deadLetters.push(message);
  }

  /** Resolves once every queued message has been sent or given up on (tests, clean shutdown). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}
