/**
 * The ports: what the hotline's core asks of the world outside, each met by adapters that differ between AWS, a
 * laptop and the providers (shared/channels/* for the providers, shared/aws-adapters.ts for AWS, the local ones
 * beside each port's user). Adapters import these, never the store, outbox or escalation internals.
 */
import type { SmsProviderName } from './config';
import type { EscalationTrigger } from './domain/escalation';
import type { ReportDraft } from './domain/report';

// ---- SMS out ----------------------------------------------------------------------------------------------------

/** Where an outbound SMS stands: queued → sent (a provider took it) → delivered, or failed. */
export type OutboundStatus = 'queued' | 'sent' | 'delivered' | 'failed';

/** An outbound SMS as it travels through the queue (SQS on AWS, in-process locally). */
export interface QueuedSms {
  id: string;
  to: string;
  text: string;
  createdAt: string;
  /**
   * `bulk`: part of a broadcast, sent after every reply and page waiting (a lane of its own: a separate queue on
   * AWS, a throttled lane locally), and only while `toKey` is still subscribed.
   */
  priority?: 'bulk';
  /** The recipient's keyed hash (bulk messages: the outbox checks the subscription before sending). */
  toKey?: string;
}

export type SendResult =
  | { ok: true; providerMessageId: string }
  /** `retryable`: worth another attempt later (throttled, provider down), as opposed to a refused recipient. */
  | { ok: false; retryable: boolean; reason: string };

/** One way out: a provider's SDK, or the local outbox when no provider is configured. */
export interface SmsSender {
  provider: SmsProviderName | 'local';
  /** `messageId`: the outbox's own id, for a provider whose delivery reports come back to a URL we give it. */
  send(to: string, text: string, messageId?: string): Promise<SendResult>;
}

/** The queue half of the outbox: hands a message to whatever sends it, now or after a retry. */
export interface OutboxQueue {
  enqueue(message: QueuedSms): Promise<void>;
  /** Many at once (a broadcast's batch): SQS takes ten to a call. */
  enqueueMany(messages: readonly QueuedSms[]): Promise<void>;
}

/**
 * How long one provider call may take. A hanging provider would otherwise hold the outbox function until Lambda
 * kills the whole batch (and SQS resends it); well inside the function's 30 s.
 */
export const PROVIDER_TIMEOUT_MS = 8000;

// ---- Officers' CALL bridge ----------------------------------------------------------------------------------------

export type BridgeResult = { ok: true; callId: string } | { ok: false; reason: string };

/**
 * Rings an officer and, once answered, connects them to the reporter, who sees the hotline's number; the officer
 * never sees the reporter's (shared/escalation/call-bridge.ts routes between providers).
 */
export interface CallBridge {
  /** The provider that placed the call (in the result's callId namespace); `routed` for the router. */
  readonly provider: string;
  bridge(officerPhone: string, reporterPhone: string, reference: string): Promise<BridgeResult>;
}

/** An outbound bridge call waiting for the officer to answer (Africa's Talking asks what to do only then). */
export interface BridgeCall {
  requestId: string;
  reference: string;
  /** The reporter's number, sealed (NumberVault): opened only to dial it. */
  sealedNumber: string;
}

// ---- Escalation timers ------------------------------------------------------------------------------------------

/**
 * The timer port of the escalation: "run the trigger for this step at this time". The handler decides from the
 * stored state, so a trigger that fires twice, late, or after an ACK changes nothing; adapters may therefore be
 * at-least-once. Locally: in-process timers (escalation/local-scheduler.ts). On AWS: EventBridge Scheduler one-off
 * schedules (escalation/eventbridge-scheduler.ts), backed by a sweeper every few minutes.
 */
export interface EscalationScheduler {
  /** Arranges for `trigger` to be handled at `at` (ISO time) or soon after. Idempotent per (reference, step). */
  schedule(trigger: EscalationTrigger, at: string): Promise<void>;
}

// ---- Intake journal ---------------------------------------------------------------------------------------------

/** A report the table refused, kept to be replayed (its free text and sealed number, never a raw number). */
export interface JournalEntry {
  idempotencyKey: string;
  report: ReportDraft;
  sealedCallbackNumber?: string;
  /** The reporter's number, sealed: the replay texts them the reference. */
  sealedReporterNumber?: string;
  /**
   * The report was stored and handed over (its escalation started, or it was held) before its links failed: the
   * replay only finishes it.
   */
  handedOver?: true;
}

/** Where refused reports wait for their replay: a file locally, an encrypted queue on AWS (store/journal*.ts). */
export interface IntakeJournal {
  append(entry: JournalEntry): Promise<void>;
}

// ---- Number vault -----------------------------------------------------------------------------------------------

/** Seals a phone number for storage and opens it again. Sealed text names its format: `<format>.<parts…>`. */
export interface NumberVault {
  encrypt(plain: string): Promise<string>;
  decrypt(sealed: string): Promise<string>;
}

// ---- Recorded prompts -------------------------------------------------------------------------------------------

/**
 * Where the prompt studio keeps its takes and the voice line's recordings are read from: an S3 bucket on AWS, a
 * folder locally. Keys are paths relative to AUDIO_BASE_URL (`studio/tg/voice.menu.20261201T101500Z.wav`).
 */
export interface AudioStore {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The file's bytes; undefined when there is none. */
  get(key: string): Promise<Uint8Array | undefined>;
}
