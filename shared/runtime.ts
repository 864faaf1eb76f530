/**
 * The composition root: configuration, store and adapters. Each function builds only what it uses (so its
 * bundle holds only that), once per container, on first use: importing a function module does no I/O.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadConfig, type Config } from './config';
import { createLogger, type Logger } from './log';
import { Outbox } from './outbox/outbox';
import type { OutboxQueue } from './outbox/types';
import { phoneKey } from './privacy';
import { environmentWithSecrets } from './secrets';
import { createDocumentClient } from './store/client';
import { InboundRepository } from './store/inbound';
import { LanguageRepository } from './store/languages';
import { MessageRepository } from './store/messages';

export interface Deps {
  config: Config;
  log: Logger;
  db: DynamoDBDocumentClient;
  languages: LanguageRepository;
  messages: MessageRepository;
  /** The keyed hash that stands for a phone number in the store and in logs. */
  callerKey(rawPhone: string): string;
}

/** What the SMS webhooks need beyond the basics: deduplication, flood counters and the outbox. */
export interface SmsDeps extends Deps {
  inbound: InboundRepository;
  outbox: Outbox;
}

export function createDeps(config: Config, log: Logger = createLogger('hotline')): Deps {
  const db = createDocumentClient({ region: config.region, endpoint: config.dynamoEndpoint, tableName: config.tableName });
  return {
    config,
    log,
    db,
    languages: new LanguageRepository(db, config.tableName),
    messages: new MessageRepository(db, config.tableName),
    callerKey: (raw) => phoneKey(config.phoneHashKey, raw),
  };
}

export function withSms(deps: Deps, queue: OutboxQueue): SmsDeps {
  return {
    ...deps,
    inbound: new InboundRepository(deps.db, deps.config.tableName),
    outbox: new Outbox(deps.messages, queue, deps.callerKey),
  };
}

export type Provider<T> = () => Promise<T>;

/**
 * Dependencies built from the process environment (laid over with Secrets Manager on AWS) on first call, and
 * kept. A failed start (say, Secrets Manager unreachable) is retried by the next call instead of being kept.
 */
export function lazyDeps<T>(build: (config: Config) => T): Provider<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= environmentWithSecrets().then((env) => build(loadConfig(env)));
    pending.catch(() => {
      pending = undefined;
    });
    return pending;
  };
}
