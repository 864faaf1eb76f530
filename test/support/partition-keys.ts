import type { IncomingMessage } from 'node:http';
import { expect } from 'vitest';
import { partitionFamily, TABLE_ACCESS, type TableUser } from '../../infra/constructs/table-access';
import type { TestStore } from './dynalite';

type Attribute = { S?: string };
type Keyed = { pk?: Attribute } | undefined;

/** The partition keys one DynamoDB request names, as DynamoDB's `dynamodb:LeadingKeys` would see them. */
function partitionKeysOf(operation: string, request: Record<string, any>): string[] {
  const pk = (item: Keyed) => (item?.pk?.S === undefined ? [] : [item.pk.S]);
  switch (operation) {
    case 'GetItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return pk(request.Key);
    case 'PutItem':
      return pk(request.Item);
    case 'Query': {
      // `pk = :v` (or `#n = :v` with #n naming pk) in the key condition.
      const names: Record<string, string> = request.ExpressionAttributeNames ?? {};
      const found = [...String(request.KeyConditionExpression ?? '').matchAll(/(#?\w+)\s*=\s*(:\w+)/g)]
        .filter(([, name]) => (names[name!] ?? name) === 'pk')
        .map(([, , value]) => request.ExpressionAttributeValues?.[value!]?.S as string | undefined);
      return found.filter((value): value is string => value !== undefined);
    }
    case 'BatchGetItem':
      return Object.values<{ Keys: Keyed[] }>(request.RequestItems ?? {}).flatMap((table) => table.Keys.flatMap(pk));
    case 'BatchWriteItem':
      return Object.values<{ PutRequest?: { Item: Keyed }; DeleteRequest?: { Key: Keyed } }[]>(request.RequestItems ?? {}).flatMap((writes) =>
        writes.flatMap((write) => pk(write.PutRequest?.Item ?? write.DeleteRequest?.Key)),
      );
    case 'TransactWriteItems':
    case 'TransactGetItems':
      return (request.TransactItems ?? []).flatMap((item: Record<string, { Item?: Keyed; Key?: Keyed }>) =>
        Object.values(item).flatMap((part) => pk(part.Item ?? part.Key)),
      );
    default:
      // Scan, and the table management of ensureTable: no leading key at all.
      return [`(${operation})`];
  }
}

/**
 * Every partition key the requests to this test store name from now on (read beside dynalite from the same request
 * stream), for checking a function's table access (infra/constructs/table-access.ts) against what its code does.
 */
export function recordPartitionKeys(store: TestStore): { keys: Set<string>; stop(): void } {
  const keys = new Set<string>();
  const listener = (request: IncomingMessage) => {
    const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        for (const key of partitionKeysOf(operation, JSON.parse(Buffer.concat(chunks).toString('utf8')))) keys.add(key);
      } catch {
        keys.add(`(unreadable ${operation})`);
      }
    });
  };
  store.server.on('request', listener);
  return { keys, stop: () => store.server.off('request', listener) };
}

/**
 * `handler`, checked on every invocation: each partition key it names on the test store belongs to a family that
 * its table grant allows (TABLE_ACCESS in infra/constructs/table-access.ts), and it names at least one over the file.
 */
export function withTableAccessChecked<A extends unknown[], R>(store: TestStore, name: TableUser, handler: (...args: A) => Promise<R>) {
  const allowed = new Set<string>(TABLE_ACCESS[name]);
  let seen = 0;
  const checked = async (...args: A): Promise<R> => {
    const recording = recordPartitionKeys(store);
    try {
      return await handler(...args);
    } finally {
      recording.stop();
      seen += recording.keys.size;
      const outside = [...recording.keys].filter((key) => !allowed.has(partitionFamily(key)));
      expect(outside, `${name} used partitions its table grant does not allow`).toEqual([]);
    }
  };
  return Object.assign(checked, { keysSeen: () => seen });
}
