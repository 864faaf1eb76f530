import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ItemCollection } from './keys';

type Projection = Pick<QueryCommandInput, 'ProjectionExpression' | 'ExpressionAttributeNames'>;

/** Every item of a collection (one partition, one sort-key prefix), page after page, read consistently. */
export async function* queryCollection(
  client: DynamoDBDocumentClient,
  tableName: string,
  { pk, skPrefix }: ItemCollection,
  projection: Projection = {},
  /** Start after this item (a scan cut short, resumed). */
  after?: Record<string, unknown>,
): AsyncGenerator<Record<string, unknown>> {
  let startKey: Record<string, unknown> | undefined = after;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
        ...projection,
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    yield* page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/** The whole collection in one array. */
export async function queryAll(client: DynamoDBDocumentClient, tableName: string, collection: ItemCollection): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const item of queryCollection(client, tableName, collection)) items.push(item);
  return items;
}
