import { handle } from 'hono/aws-lambda';
import { SqsQueue } from '../../shared/outbox/sqs';
import { createDeps, lazyDeps, withSms } from '../../shared/runtime';
import { createSmsApp } from './app';

export const app = createSmsApp(
  lazyDeps((config) => {
    if (!config.sms.outboxQueueUrl) throw new Error('OUTBOX_QUEUE_URL is required for the SMS function');
    return withSms(createDeps(config), new SqsQueue(config.sms.outboxQueueUrl));
  }),
);
export const handler = handle(app);
