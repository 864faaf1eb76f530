/**
 * The channels' part of the composition root (shared/runtime.ts holds the types and the base every function
 * builds): the repositories and services of the caller-facing functions (USSD, SMS, voice, intake replay, console).
 * A module of its own so that the queue functions (outbox, escalation, broadcast), which import the base only,
 * bundle none of it: no escalation service, quiz, console store or session cache, nor their schemas.
 */
import { Outbox } from './outbox/outbox';
import { HELD_REPORT_MINUTES, type Report } from './domain/report';
import { listHeldReport, startEscalation } from './escalation/service';
import { escalationStores, outreachDeps } from './services-root';
import type { ChannelAdapters, ChannelConfig, ChannelDeps, ConsoleDeps, ConsoleServices, Deps } from './runtime';
import { InboundRepository } from './store/inbound';
import { JournalDeadLetters } from './store/journal-dead-letters';
import { SessionStartLanguages } from './ussd/start-languages';
import { PendingReportRepository } from './store/pending-reports';
import { VerificationRepository } from './store/verifications';
import { UrgentCallRepository } from './store/urgent-calls';
import { UssdSessionRepository } from './store/ussd-sessions';
import { QuizRepository } from './store/quiz';
import { QuizTakings } from './quiz/takings';
import { KeypadLicences } from './voice/licences';
import { officerOnCallDirectory } from './voice/on-call';
import { conversationOutreach } from './outreach/service';
import type { MailSender } from './console/mail';
import type { OidcSignIn } from './console/sign-in';
import { ConsoleSessionRepository } from './store/console-sessions';
import { PartnerRepository } from './store/partners';
import { ReferralRepository } from './store/referrals';
import type { StudioServices } from './studio/service';

export function withChannels<C extends ChannelConfig>(deps: Deps & { config: C }, adapters: ChannelAdapters): ChannelDeps & { config: C } {
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

export function withConsole(channels: ChannelDeps & StudioServices & { config: ConsoleServices['config'] }, adapters: { signIn: OidcSignIn; mail: MailSender; consoleBaseUrl: string }): ConsoleDeps {
  const { db, config } = channels;
  return {
    ...channels,
    ...adapters,
    sessions: new ConsoleSessionRepository(db, config.tableName),
    partners: new PartnerRepository(db, config.tableName),
    referrals: new ReferralRepository(db, config.tableName),
  };
}
