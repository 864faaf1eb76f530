/**
 * The fan-out's dependencies on AWS (functions/broadcast only): the outreach with its bulk lane, every message it
 * queues going to the bulk queue. Kept apart from shared/runtime.ts so that only this function's bundle holds the
 * batch writes it alone is granted.
 */
import { KmsNumberVault } from '../crypto-kms';
import { BulkOutbox } from '../outbox/bulk';
import { Outbox } from '../outbox/outbox';
import { SqsQueue } from '../outbox/sqs';
import { createDeps, outreachDeps } from '../services-root';
import { lazyDeps } from '../runtime';
import { outreachSection } from './config';
import { BulkMessageRepository } from '../store/bulk-messages';

export const awsFanOutDeps = lazyDeps({ outreach: outreachSection }, (config) => {
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
