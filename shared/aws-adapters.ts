/**
 * The AWS side of the channel adapters: the SQS outbox, the SQS intake journal, the KMS number vault. Imported
 * only by Lambda entry points, so the local hotline never loads these clients.
 */
import { KmsNumberVault } from './crypto-kms';
import { escalationSection } from './escalation/config';
import { outreachSection } from './outreach/config';
import { quizSection } from './quiz/config';
import { SqsQueue } from './outbox/sqs';
import { eventBridgeScheduler } from './escalation/eventbridge-scheduler';
import { withChannels } from './channels-root';
import { createDeps } from './services-root';
import { lazyDeps, type ChannelAdapters, type ChannelConfig, type ChannelDeps } from './runtime';
import { SqsJournal } from './store/journal-sqs';

/** The sections the channel functions read (runtime.ts `ChannelConfig`); each function adds its own. */
export const CHANNEL_SECTIONS = { escalation: escalationSection, outreach: outreachSection, quiz: quizSection };

export function awsChannelAdapters(config: ChannelConfig): ChannelAdapters {
  const { outboxQueueUrl } = config.sms;
  const { journal, vault } = config.reports;
  if (!outboxQueueUrl) throw new Error('OUTBOX_QUEUE_URL is required on AWS');
  if (journal.kind !== 'sqs') throw new Error('REPORT_JOURNAL_QUEUE_URL is required on AWS');
  if (vault.kind !== 'kms') throw new Error('NUMBER_VAULT_KMS_KEY_ID is required on AWS');
  return {
    queue: new SqsQueue(outboxQueueUrl, undefined, config.outreach.bulkQueueUrl),
    journal: new SqsJournal(journal.queueUrl),
    vault: new KmsNumberVault(vault.keyId),
    escalation: (base) => ({
      ...base,
      escalation: config.escalation,
      scheduler: eventBridgeScheduler(config.escalation),
      now: Date.now,
    }),
  };
}

/** The channels' common part on Lambda (shared/channels-root.ts); each function adds its own part on it. */
export function awsChannels<C extends ChannelConfig>(config: C): ChannelDeps & { config: C } {
  return withChannels(createDeps(config), awsChannelAdapters(config));
}

/** The common part alone (the intake replay's whole need), built once per container, on first use. */
export const awsChannelDeps = lazyDeps(CHANNEL_SECTIONS, awsChannels);
