import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readEnvironment } from '../config';
import { bindToRequestBudget } from './deadline';
import { TABLE_KEYS } from './keys';

export interface StoreTarget {
  region: string;
  /** A DynamoDB-compatible endpoint (dynalite locally); undefined for the real service. */
  endpoint?: string;
  tableName: string;
  /** Other limits (an unset one keeps its default: STORE_TIMEOUTS, or LOCAL_STORE_TIMEOUTS for a local endpoint). */
  timeouts?: { [K in keyof StoreTimeouts]?: StoreTimeouts[K] | undefined };
}

export interface StoreTimeouts {
  connectionMs: number;
  requestMs: number;
  maxAttempts: number;
}

/**
 * Without limits, an unresponsive store holds a request past the USSD gateway's deadline (about 10 s) and the
 * Lambda timeout, and the caller never sees the polite screen. Every attempt is bounded, and all attempts together
 * (with the SDK's backoff between them, well under a second) stay within the gateway's deadline.
 */
export const STORE_TIMEOUTS: StoreTimeouts = { connectionMs: 500, requestMs: 1_500, maxAttempts: 3 };

/**
 * The embedded store (dynalite) runs in the hotline's own process: under a load test on a small machine it answers
 * slowly because the CPU is busy, not because it hangs, so its requests get longer limits.
 */
export const LOCAL_STORE_TIMEOUTS: StoreTimeouts = { connectionMs: 2_000, requestMs: 10_000, maxAttempts: 3 };

export function createDocumentClient(target: StoreTarget): DynamoDBDocumentClient {
  const timeouts = { ...(target.endpoint ? LOCAL_STORE_TIMEOUTS : STORE_TIMEOUTS) };
  for (const [name, value] of Object.entries(target.timeouts ?? {})) if (value !== undefined) timeouts[name as keyof StoreTimeouts] = value;
  const client = new DynamoDBClient({
    region: target.region,
    endpoint: target.endpoint,
    maxAttempts: timeouts.maxAttempts,
    requestHandler: {
      connectionTimeout: timeouts.connectionMs,
      requestTimeout: timeouts.requestMs,
      throwOnRequestTimeout: true,
    },
    // The local store accepts any credentials; real ones come from the Lambda role or the operator's profile.
    ...(target.endpoint && !readEnvironment().AWS_ACCESS_KEY_ID
      ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  bindToRequestBudget(documents);
  return documents;
}

/** Creates the table as the stack defines it, if it is missing (local mode and tests; the stack owns it on AWS). */
export async function ensureTable(client: DynamoDBDocumentClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: TABLE_KEYS.partition, AttributeType: 'S' },
        { AttributeName: TABLE_KEYS.sort, AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: TABLE_KEYS.partition, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sort, KeyType: 'RANGE' },
      ],
    }),
  );
  // A new table is CREATING for a moment (dynalite too, even with createTableMs 0): a write before it is ACTIVE is
  // refused as ResourceNotFound.
  for (let waited = 0; ; waited += TABLE_POLL_MS) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    if (waited >= TABLE_ACTIVE_WITHIN_MS) throw new Error(`table ${tableName} is still ${Table?.TableStatus} after ${waited} ms`);
    await new Promise((resolve) => setTimeout(resolve, TABLE_POLL_MS));
  }
}

const TABLE_POLL_MS = 20;
const TABLE_ACTIVE_WITHIN_MS = 30_000;
