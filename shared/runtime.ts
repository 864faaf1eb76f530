/**
 * The composition root: configuration, store and adapters. Each function builds only what it uses (so its
 * bundle holds only that), once per container, on first use: importing a function module does no I/O.
 */
import { RecordingLinks } from './recording-links';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadConfig, type Config } from './config';
import { createLogger, type Logger } from './log';
import { Outbox } from './outbox/outbox';
import type { Report } from './domain/report';
import { HELD_REPORT_MINUTES } from './domain/sms';
import type { IntakeDeps } from './intake';
import type { EscalationDeps } from './escalation/deps';
import { listHeldReport, startEscalation } from './escalation/service';
import { cardKey } from './crypto';
import { COMMAND_CODE_LENGTH } from './domain/officer';
import { officerCommandCode, phoneKeys } from './privacy';
import { RegistryCache } from './registry/cache';
import { environmentWithSecrets } from './secrets';
import { createDocumentClient } from './store/client';
import { InboundRepository } from './store/inbound';
import { LanguageRepository } from './store/languages';
import { JournalDeadLetters } from './store/journal-dead-letters';
import { SessionStartLanguages } from './ussd/start-languages';
import { PendingReportRepository } from './store/pending-reports';
import { MessageRepository } from './store/messages';
import { RegistryRepository } from './store/registry';
import { VerificationRepository } from './store/verifications';
import { ReportRepository } from './store/reports';
import { EscalationRepository } from './store/escalations';
import { OfficerRepository } from './store/officers';
import { UrgentCallRepository } from './store/urgent-calls';
import { UssdSessionRepository } from './store/ussd-sessions';
import { QuizRepository } from './store/quiz';
import { QuizTakings } from './quiz/takings';
import type { OnCallDirectory } from './domain/voice';
import { KeypadLicences } from './voice/licences';
import { officerOnCallDirectory } from './voice/on-call';
import type { CallBridge, IntakeJournal, NumberVault, OutboxQueue } from './ports';
import type { ConversationOutreach } from './conversation/runner';
import { conversationOutreach, type OutreachDeps } from './outreach/service';
import { AlertRepository, SubscriptionRepository } from './store/outreach';
import type { MailSender } from './console/mail';
import type { OidcSignIn } from './console/sign-in';
import { ConsoleSessionRepository } from './store/console-sessions';
import { PartnerRepository } from './store/partners';
import { ReferralRepository } from './store/referrals';
import type { StudioServices } from './studio/service';

/** What every function sees: configuration, log, clock and repositories (never the raw table client). */
export interface Services {
  config: Config;
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
 * What the caller-facing channels see beyond the basics: deduplication, flood counters, the outbox, intake, the
 * on-call escalation (urgent reports start it; officers' SMS commands drive it), and the voice line's stores.
 */
export interface ChannelServices extends Services {
  inbound: InboundRepository;
  /** Stories offered as reports by SMS, awaiting their sender's YES. */
  pendingReports: PendingReportRepository;
  outbox: Outbox;
  intake: IntakeDeps;
  escalation: EscalationDeps;
  /** Opens a sealed call-back number (to dial it for an officer's CALL bridge). */
  vault: NumberVault;
  /** The CALL bridges waiting for an officer to pick up (Africa's Talking). */
  bridgeCalls: Pick<EscalationRepository, 'getBridgeCall' | 'removeBridgeCall'>;
  urgentCalls: UrgentCallRepository;
  /** The input paths of live USSD sessions whose gateway sends one input at a time (Kannel). */
  ussdSessions: UssdSessionRepository;
  /** The start language of the USSD sessions this container has seen. */
  ussdStartLanguages: SessionStartLanguages;
  /** Who the urgent line rings: the officers on duty in the table. */
  onCall: OnCallDirectory;
  licences: KeypadLicences;
  /** The pre-departure quiz: its store, and the recorder of finished takings (texts the completion code). */
  quiz: QuizRepository;
  quizTakings: QuizTakings;
  /** The analysts' daily verification counters (the runner counts each check answered). */
  verifications: VerificationRepository;
  /** Subscriptions and confirmed scams, as the conversation runner asks for them. */
  outreach: ConversationOutreach;
  /** Subscriptions, scam alerts and broadcasts (officers' SCAM / APPROVE, the console, the fan-out). */
  campaigns: OutreachDeps;
}

/** The channels' services as the composition root holds them (with the table client, for setting up). */
export interface ChannelDeps extends ChannelServices, Deps {}

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

export function createDeps(config: Config, log: Logger = createLogger('hotline')): Deps {
  const db = createDocumentClient({
    region: config.region,
    endpoint: config.dynamoEndpoint,
    tableName: config.tableName,
    timeouts: config.storeRequestTimeoutMs === undefined ? undefined : { requestMs: config.storeRequestTimeoutMs },
  });
  const registryEntries = new RegistryRepository(db, config.tableName);
  return {
    config,
    log,
    db,
    now: Date.now,
    languages: new LanguageRepository(db, config.tableName),
    messages: new MessageRepository(db, config.tableName),
    registryEntries,
    registry: new RegistryCache(registryEntries, {
      onRefreshError: (error) => log.warn('registry refresh failed; serving the last index', { error }),
      onBuild: (version, reason) => log.warn('registry index built from the entries, not restored', { version, reason }),
    }),
    reports: new ReportRepository(db, config.tableName, { callbackRetentionDays: config.reports.callbackRetentionDays }),
    callerKey: phoneKeys(config.phoneHashKey),
    commandCode: (officerKey, scope) => officerCommandCode(config.phoneHashKey, officerKey, scope, COMMAND_CODE_LENGTH),
    cardHash: (digits) => cardKey(config.phoneHashKey, digits),
    recordingLinks: new RecordingLinks(config.phoneHashKey, config.publicBaseUrl),
  };
}

/** The escalation's repositories: the rota, and the open escalations with their audit trail and CALL bridges. */
export function escalationStores({ db, config }: Deps): Pick<EscalationDeps, 'officers' | 'escalations'> {
  return { officers: new OfficerRepository(db, config.tableName), escalations: new EscalationRepository(db, config.tableName) };
}

export function withChannels(deps: Deps, adapters: ChannelAdapters): ChannelDeps {
  const { reports: reportConfig } = deps.config;
  const { db, config } = deps;
  const outbox = new Outbox(deps.messages, adapters.queue, deps.callerKey);
  const stores = escalationStores(deps);
  const quiz = new QuizRepository(db, config.tableName);
  const escalation = adapters.escalation({
    ...stores,
    outbox,
    log: deps.log,
    callerKey: deps.callerKey,
    commandCode: deps.commandCode,
    recordingLinks: deps.recordingLinks,
    reports: deps.reports,
    vault: adapters.vault,
    ...(adapters.callBridge ? { callBridge: adapters.callBridge(stores.escalations) } : {}),
  });
  const campaigns = outreachDeps(deps, outbox, adapters.vault);
  return {
    ...deps,
    campaigns,
    outreach: conversationOutreach(campaigns),
    inbound: new InboundRepository(db, config.tableName, config.sms.claimStaleSeconds),
    pendingReports: new PendingReportRepository(db, config.tableName, HELD_REPORT_MINUTES * 60),
    outbox,
    escalation,
    vault: adapters.vault,
    bridgeCalls: stores.escalations,
    urgentCalls: new UrgentCallRepository(db, config.tableName),
    ussdSessions: new UssdSessionRepository(db, config.tableName, deps.now),
    ussdStartLanguages: new SessionStartLanguages(),
    onCall: officerOnCallDirectory(stores.officers),
    licences: new KeypadLicences(() => deps.registryEntries.loadAll()),
    quiz,
    quizTakings: new QuizTakings({ quiz, outbox, log: deps.log, now: deps.now }),
    verifications: new VerificationRepository(db, config.tableName),
    intake: {
      outbox,
      reports: deps.reports,
      registry: deps.registry,
      journal: adapters.journal,
      deadLetters: new JournalDeadLetters(db, config.tableName, deps.now),
      vault: adapters.vault,
      log: deps.log,
      callerKey: deps.callerKey,
      triage: { amountThresholdUsd: reportConfig.urgentAmountUsd, campaignThreshold: reportConfig.campaignThreshold },
      onUrgent: async (report: Report) => {
        await startEscalation(escalation, report);
      },
      onHeld: (report: Report) => listHeldReport(escalation, report),
      escalationsPerReporterPerHour: config.escalation.perReporterPerHour,
    },
  };
}

/** The subscriptions (the outbox checks one before each broadcast message). */
export function subscriptionsOf({ db, config }: Deps): SubscriptionRepository {
  return new SubscriptionRepository(db, config.tableName);
}

/** The outreach's dependencies (the bulk lane is added only where broadcasts are fanned out). */
export function outreachDeps(deps: Deps, outbox: Outbox, vault: NumberVault): OutreachDeps {
  const { db, config } = deps;
  return {
    subscriptions: subscriptionsOf(deps),
    alerts: new AlertRepository(db, config.tableName),
    officers: new OfficerRepository(db, config.tableName),
    outbox,
    vault,
    callerKey: deps.callerKey,
    cardHash: deps.cardHash,
    log: deps.log,
    now: () => deps.now(),
    config: config.outreach,
    ussdServiceCode: config.ussdServiceCode,
    commandCode: (officerKey, scope) => officerCommandCode(config.phoneHashKey, officerKey, scope, COMMAND_CODE_LENGTH),
  };
}

/**
 * What the console (functions/console/) sees beyond the channels' services: its sessions, the partner directory,
 * the referrals, the rota and escalation stores (it acts on the same state as officers' SMS commands), sign-in and
 * e-mail.
 */
export interface ConsoleServices extends ChannelServices, StudioServices {
  sessions: ConsoleSessionRepository;
  partners: PartnerRepository;
  referrals: ReferralRepository;
  signIn: OidcSignIn;
  mail: MailSender;
  /** The console's own URL (links in partners' notices, the sign-in callback). */
  consoleBaseUrl: string;
}

export interface ConsoleDeps extends ConsoleServices, ChannelDeps {}

export function withConsole(channels: ChannelDeps & StudioServices, adapters: { signIn: OidcSignIn; mail: MailSender; consoleBaseUrl: string }): ConsoleDeps {
  const { db, config } = channels;
  return {
    ...channels,
    ...adapters,
    sessions: new ConsoleSessionRepository(db, config.tableName),
    partners: new PartnerRepository(db, config.tableName),
    referrals: new ReferralRepository(db, config.tableName),
  };
}

export type Provider<T> = () => Promise<T>;

/**
 * Dependencies built from the process environment (laid over with Secrets Manager on AWS) on first call, and
 * kept. A failed start (say, Secrets Manager unreachable) is retried by the next call instead of being kept.
 */
export function lazyDeps<T>(build: (config: Config) => T): Provider<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= environmentWithSecrets().then((env) => build(loadConfig(env)));
    pending.catch(() => {
      pending = undefined;
    });
    return pending;
  };
}
