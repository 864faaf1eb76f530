import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Every store call from now on `latencyMs()` later, as if across a network (the SDK's middleware, before sending):
 * calls sent side by side wait side by side, so a request pays the latency once per round of its calls.
 */
export function addStoreLatency(client: DynamoDBDocumentClient, latencyMs: () => number): void {
  client.middlewareStack.add(
    (next) => (args) => {
      const ms = latencyMs();
      return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)).then(() => next(args)) : next(args);
    },
    { step: 'finalizeRequest', name: 'benchLatency' },
  );
}
