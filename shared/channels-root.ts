/**
 * The channels' common part of the composition root (shared/runtime.ts holds the types and the base every function
 * builds): what every caller-facing function (USSD, SMS, voice, intake replay, console) builds, the outbox, intake
 * and the escalation its urgent reports start, the quiz's recorder, the outreach, the verification counters. A
 * module of its own so that the queue functions (outbox, escalation, broadcast), which import the base only, bundle
 * none of it. Each channel's own part is a module beside its service (shared/ussd/compose.ts, shared/sms/compose.ts,
 * shared/voice/compose.ts), the console's in shared/console/compose.ts: no function bundles another's repositories.
 */
import { Outbox } from './outbox/outbox';
import type { Report } from './domain/report';
import { listHeldReport, startEscalation } from './escalation/service';
import { escalationStores, outreachDeps } from './services-root';
import type { ChannelAdapters, ChannelConfig, ChannelDeps, Deps } from './runtime';
import { JournalDeadLetters } from './store/journal-dead-letters';
import { VerificationRepository } from './store/verifications';
import { QuizRepository } from './store/quiz';
import { QuizTakings } from './quiz/takings';
import { conversationOutreach } from './outreach/service';

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
    outbox,
    escalation,
    vault: adapters.vault,
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
