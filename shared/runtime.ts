/**
 * The composition root: configuration, store and adapters. Each function builds only what it uses (so its
 * bundle holds only that), once per container, on first use: importing a function module does no I/O. Here the
 * types and the base every function builds; the services on it in shared/services-root.ts, the channels' common
 * part in shared/channels-root.ts, and each channel's own beside its service (shared/ussd/compose.ts,
 * shared/sms/compose.ts, shared/voice/compose.ts; the console's in shared/console/compose.ts).
 */
import type { RecordingLinks } from './recording-links';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadConfig, type BaseConfig, type ConfigOf, type ConfigSections, type ConfigWith } from './config';
import { createLogger, type Logger } from './log';
import type { Outbox } from './outbox/outbox';
import type { IntakeDeps } from './intake';
import type { EscalationDeps } from './escalation/deps';
import type { RegistryCache } from './registry/cache';
import { environmentWithSecrets } from './secrets';
import { createDocumentClient } from './store/client';
import type { InboundRepository } from './store/inbound';
import type { LanguageRepository } from './store/languages';
import type { SessionStartLanguages } from './ussd/start-languages';
import type { PendingReportRepository } from './store/pending-reports';
import { MessageRepository } from './store/messages';
import type { RegistryRepository } from './store/registry';
import type { VerificationRepository } from './store/verifications';
import type { ReportRepository } from './store/reports';
import type { EscalationRepository } from './store/escalations';
import type { UrgentCallRepository } from './store/urgent-calls';
import type { UssdSessionRepository } from './store/ussd-sessions';
import type { QuizRepository } from './store/quiz';
import type { QuizTakings } from './quiz/takings';
import type { OnCallDirectory } from './domain/voice';
import type { KeypadLicences } from './voice/licences';
import type { CallBridge, IntakeJournal, NumberVault, OutboxQueue } from './ports';
import type { ConversationOutreach } from './conversation/runner';
import type { OutreachDeps } from './outreach/service';
import { SubscriptionRepository } from './store/outreach';
import type { MailSender } from './console/mail';
import type { OidcSignIn } from './console/sign-in';
import type { ConsoleSessionRepository } from './store/console-sessions';
import type { PartnerRepository } from './store/partners';
import type { ReferralRepository } from './store/referrals';
import type { StudioServices } from './studio/service';

/** What the channels read of the configuration: the base, and the escalation's, the outreach's and the quiz's sections. */
export type ChannelConfig = ConfigWith<'escalation' | 'outreach' | 'quiz'>;

/** What every function sees: configuration, log, clock and repositories (never the raw table client). */
export interface Services {
  /** The base configuration; a service that reads a section says so by narrowing this. */
  config: BaseConfig;
  log: Logger;
  /** The clock (milliseconds): the one place runtime code reads the time of a request. */
  now(): number;
  languages: LanguageRepository;
  messages: MessageRepository;
  /** The registry index, held in memory and refreshed when an import changes the registry. */
  registry: RegistryCache;
  reports: ReportRepository;
  /** The keyed hash that stands for a phone number in the store and in logs. */
  callerKey(rawPhone: string): string;
  /** The keyed hash a card number is matched on. */
  cardHash(digits: string): string;
  /** An officer's code for a case or an hour of duty changes (docs/security.md). */
  commandCode(officerKey: string, scope: string): string;
  /** Signs and checks the short-lived links officers hear recordings through. */
  recordingLinks: RecordingLinks;
  /** Every registry entry, for indexes built once per registry version (the voice line's keypad licences). */
  registryEntries: RegistryRepository;
}

/** The composition root's bundle: the services, and the table client for setting up (creating the table, seeding). */
export interface Deps extends Services {
  db: DynamoDBDocumentClient;
}

/**
 * What every caller-facing channel's conversation runs on (shared/conversation/runner.ts): intake (whose urgent
 * reports start the on-call escalation), the quiz's recorder, the outreach's look-ups and opt-ins, the verification
 * counters. Each channel adds its own part (UssdServices, SmsServices, VoiceServices), built only in its function.
 */
export interface ChannelServices extends Services {
  config: ChannelConfig;
  intake: IntakeDeps;
  /** Records finished quiz takings (and texts the completion code). */
  quizTakings: QuizTakings;
  /** The analysts' daily verification counters (the runner counts each check answered). */
  verifications: VerificationRepository;
  /** Subscriptions and confirmed scams, as the conversation runner asks for them. */
  outreach: ConversationOutreach;
}

/**
 * The channels' services as the composition root holds them (with the table client, for setting up), and the state
 * it builds for intake that only some functions act on directly: the outbox, the escalation (officers' SMS commands,
 * the console), the outreach's and the quiz's stores, the number vault.
 */
export interface ChannelDeps extends ChannelServices, Deps {
  config: ChannelConfig;
  outbox: Outbox;
  escalation: EscalationDeps;
  /** Subscriptions, scam alerts and broadcasts (officers' SCAM / APPROVE, the console, the fan-out). */
  campaigns: OutreachDeps;
  /** The pre-departure quiz's store. */
  quiz: QuizRepository;
  /** Seals and opens call-back numbers. */
  vault: NumberVault;
}

/** The USSD function's part: the sessions' input paths (Kannel) and the start languages this container has seen. */
export interface UssdServices extends ChannelServices {
  /** The input paths of live USSD sessions whose gateway sends one input at a time (Kannel). */
  ussdSessions: UssdSessionRepository;
  /** The start language of the USSD sessions this container has seen. */
  ussdStartLanguages: SessionStartLanguages;
}

/**
 * The SMS function's part: deduplication and flood counters, stories awaiting their YES, the outbox its answers
 * leave through, officers' commands (the escalation, the outreach's SCAM / APPROVE) and the quiz's SMS takings.
 */
export interface SmsServices extends ChannelServices, Pick<ChannelDeps, 'outbox' | 'escalation' | 'campaigns' | 'quiz'> {
  inbound: InboundRepository;
  /** Stories offered as reports by SMS, awaiting their sender's YES. */
  pendingReports: PendingReportRepository;
}

/** The voice line's part: who the urgent line rings, its calls and officers' acceptances, the keypad licences, the CALL bridges it connects. */
export interface VoiceServices extends ChannelServices {
  /** Who the urgent line rings: the officers on duty in the table. */
  onCall: OnCallDirectory;
  licences: KeypadLicences;
  urgentCalls: UrgentCallRepository;
  /** The CALL bridges waiting for an officer to pick up (Africa's Talking). */
  bridgeCalls: Pick<EscalationRepository, 'getBridgeCall' | 'removeBridgeCall'>;
  /** Opens a sealed call-back number (to dial it for an officer's CALL bridge). */
  vault: Pick<NumberVault, 'decrypt'>;
}

/** The adapters that differ between AWS and a laptop. */
export interface ChannelAdapters {
  queue: OutboxQueue;
  journal: IntakeJournal;
  vault: NumberVault;
  /**
   * Officers' CALL: rings them and bridges them to the reporter (only where officers' commands run); made with the
   * escalation repository of the composition root, where a bridge keeps its call.
   */
  callBridge?: (escalations: EscalationRepository) => CallBridge;
  /** The escalation's dependencies around its timers (in-process locally, EventBridge Scheduler on AWS). */
  escalation(base: EscalationBase): EscalationDeps;
}

/** What the escalation shares with the channels; the adapter adds its timers. */
export type EscalationBase = Omit<EscalationDeps, 'scheduler' | 'escalation' | 'now'>;

/** What every function builds first: the configuration, the log, the clock, the table client and the messages. */
export type StoreBase<C extends BaseConfig = BaseConfig> = Pick<Deps, 'log' | 'db' | 'now' | 'messages'> & { config: C };

/** The base alone (the outbox's whole need); shared/services-root.ts `createDeps` builds the services on it. */
export function createStoreBase<C extends BaseConfig>(config: C, log: Logger = createLogger('hotline')): StoreBase<C> {
  const db = createDocumentClient({
    region: config.region,
    endpoint: config.dynamoEndpoint,
    tableName: config.tableName,
    timeouts: config.storeTimeouts,
  });
  return { config, log, db, now: Date.now, messages: new MessageRepository(db, config.tableName) };
}

/** The subscriptions (the outbox checks one before each broadcast message). */
export function subscriptionsOf({ db, config }: StoreBase): SubscriptionRepository {
  return new SubscriptionRepository(db, config.tableName);
}


/**
 * What the console (functions/console/) sees beyond the channels' services: the outbox, the escalation, the quiz
 * and the vault (it acts on the same state as officers' SMS commands), its sessions, the partner directory, the
 * referrals, sign-in and e-mail.
 */
export interface ConsoleServices extends ChannelServices, StudioServices, Pick<ChannelDeps, 'outbox' | 'escalation' | 'quiz' | 'vault'> {
  /** Every section: the console plays and records takes (studio, voice) and signs people in (console). */
  config: ConfigWith<'escalation' | 'outreach' | 'quiz' | 'studio' | 'voice' | 'console'>;
  sessions: ConsoleSessionRepository;
  partners: PartnerRepository;
  referrals: ReferralRepository;
  signIn: OidcSignIn;
  mail: MailSender;
  /** The console's own URL (links in partners' notices, the sign-in callback). */
  consoleBaseUrl: string;
}

export interface ConsoleDeps extends ConsoleServices, ChannelDeps {
  config: ConsoleServices['config'];
}


export type Provider<T> = () => Promise<T>;

/**
 * Dependencies built from the process environment (laid over with Secrets Manager on AWS) on first call, and
 * kept: the configuration's base and `sections` (those the function reads, so only their schemas are bundled and run).
 * `build` also gets the first call's arguments (what only an invocation tells, such as the function's own ARN). A
 * failed start (say, Secrets Manager unreachable) is retried by the next call instead of being kept.
 */
export function lazyDeps<S extends ConfigSections, T, A extends unknown[] = []>(
  sections: S,
  build: (config: ConfigOf<S>, ...first: A) => T,
): (...first: A) => Promise<T> {
  let pending: Promise<T> | undefined;
  return (...first) => {
    pending ??= environmentWithSecrets().then((env) => build(loadConfig(env, sections), ...first));
    pending.catch(() => {
      pending = undefined;
    });
    return pending;
  };
}
