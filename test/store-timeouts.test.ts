import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient, STORE_TIMEOUTS } from '../shared/store/client';

/** A store that accepts connections and never answers: what a hung or overloaded endpoint looks like. */
let endpoint: string;
let requests = 0;
const sockets: Socket[] = [];
const silentStore = createServer((socket) => {
  sockets.push(socket);
  socket.on('data', () => requests++);
});
beforeAll(async () => {
  await new Promise<void>((resolve) => silentStore.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(silentStore.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silentStore.close(resolve));
});

describe('the store client against a store that never answers', () => {
  it('gives up each attempt, retries the configured number of times, and fails instead of hanging', async () => {
    const client = createDocumentClient({ region: 'eu-west-2', endpoint, tableName: 't', timeouts: { requestMs: 150, maxAttempts: 2 } });
    await expect(client.send(new GetCommand({ TableName: 't', Key: { pk: 'a', sk: 'b' } }))).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(requests).toBe(2);
  });

  it('by default, all attempts together end well within the USSD gateway deadline of about 10 s', () => {
    const worstCase = STORE_TIMEOUTS.maxAttempts * (STORE_TIMEOUTS.connectionMs + STORE_TIMEOUTS.requestMs);
    expect(worstCase).toBeLessThanOrEqual(7_000);
    expect(STORE_TIMEOUTS.requestMs).toBeGreaterThan(0);
    expect(STORE_TIMEOUTS.connectionMs).toBeGreaterThan(0);
  });
});
