/**
 * What one store call costs where the server makes it (inside the server's process, where dynalite runs too): the
 * caller's language read (shared/store/languages.ts, a GetItem) and the analysts' verification count
 * (shared/store/verifications.ts, an UpdateItem), each (a) through the server's own document client, and (b) as the
 * same request body POSTed raw to the same dynalite over a kept-alive connection; and (c) `GET /health` of the server
 * from the same place. Interleaved in rotating order, so that all five see the same machine state.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LocalHotline } from '../infra/local';
import { send } from './loopback';

export const STORE_PROBES = ['getSdk', 'getRaw', 'updateSdk', 'updateRaw', 'health'] as const;
export type StoreCallTimes = Record<(typeof STORE_PROBES)[number], number[]>;

const DAY = '2026-12-01';

/** The target and body of the request the SDK sends for `call`, taken as it leaves (serialised and signed). */
async function requestOf(client: DynamoDBDocumentClient, call: () => Promise<unknown>): Promise<{ target: string; body: string }> {
  let sent: { headers: Record<string, string>; body: string } | undefined;
  client.middlewareStack.add(
    (next) => (args) => {
      sent ??= args.request as typeof sent;
      return next(args);
    },
    { step: 'deserialize', name: 'benchRequestOf' },
  );
  try {
    await call();
  } finally {
    client.middlewareStack.remove('benchRequestOf');
  }
  if (!sent) throw new Error('the SDK sent no request');
  return { target: sent.headers['x-amz-target']!, body: sent.body };
}

/**
 * The request as a bare POST. dynalite (node_modules/dynalite/index.js) wants the JSON content type, a known
 * X-Amz-Target, an Authorization header starting `AWS4-` with Credential, Signature and SignedHeaders in it, and an
 * X-Amz-Date or Date header; it never checks the signature.
 */
function rawPost(endpoint: string, { target, body }: { target: string; body: string }) {
  return async (expect: (answer: Record<string, unknown>) => boolean) => {
    const reply = await send(endpoint, {
      method: 'POST',
      path: '/',
      body,
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': target,
        'x-amz-date': '20261201T000000Z',
        authorization: 'AWS4-HMAC-SHA256 Credential=local/20261201/eu-central-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
    });
    if (reply.status !== 200 || !expect(JSON.parse(reply.body) as Record<string, unknown>)) throw new Error(`dynalite answered ${reply.status}: ${reply.body.slice(0, 200)}`);
  };
}

/** `caller`: a number whose language is stored, so that the read finds an item, as a returning caller's does. */
export async function measureStoreCalls(hotline: LocalHotline, caller: string, rounds = 1_000, warmUp = 100): Promise<StoreCallTimes> {
  const { deps } = hotline;
  const key = deps.callerKey(caller);
  const getSdk = async () => {
    if (!(await deps.languages.get(key))) throw new Error(`no stored language for ${caller}: the read would time a miss`);
  };
  const updateSdk = () => deps.verifications.count(DAY, 'name', 'licensed');
  const getRaw = rawPost(hotline.dynamoEndpoint, await requestOf(deps.db, getSdk));
  const updateRaw = rawPost(hotline.dynamoEndpoint, await requestOf(deps.db, updateSdk));
  const url = hotline.url.replace('localhost', '127.0.0.1');
  const probes: Record<keyof StoreCallTimes, () => Promise<unknown>> = {
    getSdk,
    getRaw: () => getRaw((answer) => answer.Item !== undefined),
    updateSdk,
    updateRaw: () => updateRaw(() => true),
    health: async () => {
      const reply = await send(url, { method: 'GET', path: '/health' });
      if (reply.status !== 200) throw new Error(`/health answered ${reply.status}`);
    },
  };
  const times: StoreCallTimes = { getSdk: [], getRaw: [], updateSdk: [], updateRaw: [], health: [] };
  for (let i = 0; i < warmUp + rounds; i++) {
    for (let j = 0; j < STORE_PROBES.length; j++) {
      const probe = STORE_PROBES[(i + j) % STORE_PROBES.length]!;
      const started = performance.now();
      await probes[probe]();
      if (i >= warmUp) times[probe].push(performance.now() - started);
    }
  }
  return times;
}
