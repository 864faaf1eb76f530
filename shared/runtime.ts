/**
 * The composition root shared by every function: configuration, store and adapters, built once per container
 * (per process locally) on first use, so importing a function module does no I/O.
 */
import { loadConfig, type Config } from './config';
import { createLogger, type Logger } from './log';
import { LocalOutbox } from './outbox/local';
import { phoneKey } from './privacy';
import { environmentWithSecrets } from './secrets';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from './store/client';
import { LanguageRepository } from './store/languages';

export interface Deps {
  config: Config;
  log: Logger;
  db: DynamoDBDocumentClient;
  languages: LanguageRepository;
  /** The keyed hash that stands for a phone number in the store and in logs. */
  callerKey(rawPhone: string): string;
  /** Locally, the outbox that `GET /dev/outbox` shows. */
  localOutbox: LocalOutbox;
}

export function createDeps(config: Config, log: Logger = createLogger('hotline')): Deps {
  const client = createDocumentClient({
    region: config.region,
    endpoint: config.dynamoEndpoint,
    tableName: config.tableName,
  });
  return {
    config,
    log,
    db: client,
    languages: new LanguageRepository(client, config.tableName),
    callerKey: (raw) => phoneKey(config.phoneHashKey, raw),
    localOutbox: new LocalOutbox(),
  };
}

export type DepsProvider = () => Promise<Deps>;

let shared: Promise<Deps> | undefined;

/** The process's dependencies from its environment (and Secrets Manager on AWS), built on first call. */
export const defaultDeps: DepsProvider = () => {
  shared ??= environmentWithSecrets().then((env) => createDeps(loadConfig(env)));
  // A failed start (say, Secrets Manager unreachable) is retried by the next request instead of being cached.
  shared.catch(() => {
    shared = undefined;
  });
  return shared;
};
