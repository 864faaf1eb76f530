import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import { createDocumentClient, LOCAL_STORE_TIMEOUTS, STORE_TIMEOUTS } from '../shared/store/client';
import { t } from '../shared/domain/prompts';
import { testHotline } from './support/hotline';
import { atSms, ussd } from './support/webhooks';

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

  it("takes the hotline's request timeout from STORE_REQUEST_TIMEOUT_MS (the load tests set it past any CPU stall)", async () => {
    const hotline = testHotline({ endpoint, tableName: 'silent' }, { STORE_REQUEST_TIMEOUT_MS: '100', WEBHOOK_STORE_BUDGET_MS: '8000' });
    const before = requests;
    // With the local default (10 s an attempt) the 8 s budget would end the one attempt; here all three are made.
    expect((await ussd(hotline, 'silent-timeout-1', '+992900000840', '')).body).toBe(`END ${t('tg', 'common.unavailable')}`);
    expect(requests - before).toBe(3);
  });

  it('takes its connection timeout from STORE_CONNECTION_TIMEOUT_MS; a limit left unset keeps its default', async () => {
    const handlerLimits = async (env: Record<string, string>) => {
      const hotline = testHotline({ endpoint, tableName: 'silent' }, { STORE_REQUEST_TIMEOUT_MS: '100', ...env });
      // The SDK resolves its handler's options on the first request.
      await expect(hotline.deps.db.send(new GetCommand({ TableName: 'silent', Key: { pk: 'a', sk: 'b' } }))).rejects.toThrow();
      const { connectionTimeout, requestTimeout } = (hotline.deps.db.config.requestHandler as NodeHttpHandler).httpHandlerConfigs();
      return { connectionTimeout, requestTimeout };
    };
    expect(await handlerLimits({ STORE_CONNECTION_TIMEOUT_MS: '180000' })).toEqual({ connectionTimeout: 180_000, requestTimeout: 100 });
    expect(await handlerLimits({})).toEqual({ connectionTimeout: LOCAL_STORE_TIMEOUTS.connectionMs, requestTimeout: 100 });
  });

  it('by default, all attempts together end well within the USSD gateway deadline of about 10 s', () => {
    const worstCase = STORE_TIMEOUTS.maxAttempts * (STORE_TIMEOUTS.connectionMs + STORE_TIMEOUTS.requestMs);
    expect(worstCase).toBeLessThanOrEqual(7_000);
    expect(STORE_TIMEOUTS.requestMs).toBeGreaterThan(0);
    expect(STORE_TIMEOUTS.connectionMs).toBeGreaterThan(0);
  });
});

describe('a webhook against a store that never answers', () => {
  /**
   * The local hotline on the silent store: its client waits 10 s per attempt, 3 attempts, so each store call alone
   * would outlast the gateway; the request's budget (here 300 ms) bounds all of them together.
   */
  const hotlineOnSilentStore = () =>
    testHotline({ endpoint, tableName: 'silent' }, { WEBHOOK_STORE_BUDGET_MS: '300' });

  it("gives a USSD caller the polite last screen, though several store calls come one after another", async () => {
    const hotline = hotlineOnSilentStore();
    // The first screen needs the caller's language from the store: the polite screen instead.
    expect((await ussd(hotline, 'silent-1', '+992900000841', '')).body).toBe(`END ${t('tg', 'common.unavailable')}`);
    // A report's last step: the language, the registry, the campaign count, the report's writes all fail within the
    // one budget; the report is journaled and the caller told it is received (the reference follows by SMS), in the
    // language they chose.
    expect((await ussd(hotline, 'silent-2', '+992900000842', '3*2*1*3*@silent_scam*2*2*1')).body).toBe(`END ${t('en', 'report.kept')}`);
    expect((await hotline.deps.journalFile.entries()).map((entry) => entry.report.identifiers)).toEqual([[{ kind: 'handle', value: 'silent_scam' }]]);
  });

  it('answers an SMS provider 503 with Retry-After (its retry comes back), having journaled the report', async () => {
    const hotline = hotlineOnSilentStore();
    const answer = await atSms(hotline, 'ATXid_silent_1', '+992900000843', 'REPORT they want 3000 somoni for a visa, @silent_sms');
    expect(answer).toMatchObject({ status: 503, retryAfter: '60' });
    expect((await hotline.deps.journalFile.entries()).map((entry) => entry.report.identifiers)).toEqual([[{ kind: 'handle', value: 'silent_sms' }]]);
  });
});

