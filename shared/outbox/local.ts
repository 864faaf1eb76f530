/**
 * Outbound messages as the local hotline records them, served at `GET /dev/outbox`. The SMS issue puts every
 * outbound message (replies, confirmations, alerts) through the outbox; locally they land here.
 */
export interface OutboundMessage {
  id: string;
  to: string;
  text: string;
  provider: string;
  status: 'queued' | 'sent' | 'delivered' | 'failed';
  createdAt: string;
}

export class LocalOutbox {
  private readonly messages: OutboundMessage[] = [];

  record(message: OutboundMessage): void {
    this.messages.push(message);
  }

  list(): OutboundMessage[] {
    return this.messages.map((m) => ({ ...m }));
  }
}
