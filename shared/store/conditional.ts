import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/lib-dynamodb';

/** Sends a conditional write: a condition that does not hold is an answer (false), not a failure; other errors throw. */
export async function writtenIf<Input extends ServiceInputTypes, Output extends ServiceOutputTypes>(
  client: DynamoDBDocumentClient,
  command: Parameters<typeof client.send<Input, Output>>[0],
): Promise<boolean> {
  try {
    await client.send(command);
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
