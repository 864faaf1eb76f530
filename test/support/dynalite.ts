import dynalite from 'dynalite';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, ensureTable } from '../../shared/store/client';

export interface TestStore {
  endpoint: string;
  tableName: string;
  client: DynamoDBDocumentClient;
  /** The dynalite server itself (test/support/partition-keys.ts listens to its requests). */
  server: Server;
  close(): Promise<void>;
}

/** A fresh in-memory dynalite on a free loopback port, with the hotline's table created. */
export async function startTestStore(tableName = 'safejob-test'): Promise<TestStore> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = createDocumentClient({ region: 'eu-west-2', endpoint, tableName });
  await ensureTable(client, tableName);
  return {
    endpoint,
    tableName,
    client,
    server: server as Server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
