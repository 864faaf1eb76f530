import { createHash, randomUUID } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

/** The MD5 of a message body, which the SQS client checks in SendMessage replies and events carry. */
export const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/** One SQS record as Lambda's event source mapping delivers it from `queue`, on its `receiveCount`-th receive. */
export function sqsRecord(queue: string, body: string, receiveCount = 1): SQSRecord {
  const messageId = randomUUID();
  const now = Date.now();
  return {
    messageId,
    receiptHandle: `AQEB${Buffer.from(`${messageId}:${receiveCount}`).toString('base64')}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: String(now - 60_000),
      SenderId: 'AROAEXAMPLE:SafeJobHotline-SmsFunction',
      ApproximateFirstReceiveTimestamp: String(now - 30_000),
    },
    messageAttributes: {},
    md5OfBody: md5(body),
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:eu-west-2:123456789012:${queue}`,
    awsRegion: 'eu-west-2',
  };
}

export const sqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });
