import { createLocalDeps, localApp, type LocalDeps } from '../../infra/local';
import { loadConfig } from '../../shared/config';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../shared/log';
import type { TestStore } from './dynalite';

let journals = 0;

/** The whole hotline as `npm start` composes it, on a test store, without a listening socket. */
export function testHotline(
  store: Pick<TestStore, 'endpoint' | 'tableName'>,
  env: Record<string, string> = {},
  log?: Logger,
): { deps: LocalDeps; app: ReturnType<typeof localApp> } {
  const deps = createLocalDeps(
    loadConfig({
      AWS_ENDPOINT_URL_DYNAMODB: store.endpoint,
      TABLE_NAME: store.tableName,
      SMS_RETRY_BASE_MS: '1',
      PUBLIC_BASE_URL: 'https://hotline.example.org',
      TWILIO_AUTH_TOKEN: 'test-auth-token',
      REPORT_JOURNAL_PATH: join(tmpdir(), `safejob-journal-${process.pid}-${++journals}.jsonl`),
      STUDIO_AUDIO_DIR: join(tmpdir(), `safejob-studio-${process.pid}-${journals}`),
      ...env,
    }),
    log,
  );
  return { deps, app: localApp(deps) };
}
