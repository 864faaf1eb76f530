/**
 * Sample data for the local hotline, every item clearly marked as sample. Never run against a deployed table.
 * Seeding is idempotent: restarting with data on disk (DYNALITE_PATH) overwrites the samples, nothing else.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../shared/store/keys';

export const SAMPLE_NOTE = 'SAMPLE DATA for local trials: fictional, not for real callers';

export async function seedSampleData(client: DynamoDBDocumentClient, tableName: string): Promise<void> {
  await client.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...keys.sampleMarker(), sample: true, note: SAMPLE_NOTE, seededAt: new Date().toISOString() },
    }),
  );
}
