/**
 * The broadcast schedule on AWS (every minute, one run at a time): fans out every approved broadcast that is due
 * and outside quiet hours into the outbox's bulk queue, then today's timed tips. A run cut short resumes from the
 * broadcast's cursor on the next.
 */
import { KmsNumberVault } from '../../shared/crypto-kms';
import { BulkOutbox } from '../../shared/outbox/bulk';
import { Outbox } from '../../shared/outbox/outbox';
import { SqsQueue } from '../../shared/outbox/sqs';
import { runDueBroadcasts, sendDueTips } from '../../shared/outreach/service';
import { createDeps, lazyDeps, outreachDeps } from '../../shared/runtime';
import { BulkMessageRepository } from '../../shared/store/bulk-messages';

const getDeps = lazyDeps((config) => {
  const { bulkQueueUrl } = config.outreach;
  const { vault } = config.reports;
  if (!bulkQueueUrl) throw new Error('BROADCAST_QUEUE_URL is required');
  if (vault.kind !== 'kms') throw new Error('NUMBER_VAULT_KMS_KEY_ID is required on AWS');
  const deps = createDeps(config);
  // Everything this function queues is bulk: the replies' queue is not even known to it.
  const queue = new SqsQueue(bulkQueueUrl, undefined, bulkQueueUrl);
  const campaigns = outreachDeps(deps, new Outbox(deps.messages, queue, deps.callerKey), new KmsNumberVault(vault.keyId));
  campaigns.bulk = new BulkOutbox(new BulkMessageRepository(deps.db, config.tableName, deps.messages), queue);
  return campaigns;
});

export async function handler(): Promise<{ fannedOut: string[]; tips: number }> {
  const campaigns = await getDeps();
  const fannedOut = await runDueBroadcasts(campaigns);
  const tips = await sendDueTips(campaigns);
  return { fannedOut, tips };
}
