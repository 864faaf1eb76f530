import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureTable } from '../../shared/store/client';

/**
 * Another table in a test's dynalite, ready for use: dynalite answers "not found" until a new table turns ACTIVE,
 * a moment after CreateTable returns.
 */
export async function createActiveTable(client: DynamoDBDocumentClient, tableName: string): Promise<void> {
  await ensureTable(client, tableName);
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
