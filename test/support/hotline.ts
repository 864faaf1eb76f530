import { expect } from 'vitest';
import { createLocalDeps, localApp, replayLocalJournal, type LocalDeps } from '../../infra/local';
import { loadWholeConfig } from '../../shared/config-sections';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../shared/log';
import type { TestStore } from './dynalite';
import { createActiveTable } from './tables';
import { storedReports } from './webhooks';

let journals = 0;

/** The whole hotline as `npm start` composes it, on a test store, without a listening socket. */
export function testHotline(
  store: Pick<TestStore, 'endpoint' | 'tableName'>,
  env: Record<string, string> = {},
  log?: Logger,
): { deps: LocalDeps; app: ReturnType<typeof localApp> } {
  const deps = createLocalDeps(
    loadWholeConfig({
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

let freshTables = 0;

/** The local hotline on a new table of the test's dynalite (nothing seeded): for tests that break or count its store. */
export async function hotlineOnNewTable(store: TestStore, prefix: string, env: Record<string, string> = {}) {
  const tableName = `${prefix}-${++freshTables}`;
  await createActiveTable(store.client, tableName);
  return { ...testHotline(store, { ...env, TABLE_NAME: tableName }), tableName };
}

/** What the outbox sent to one number, once the local queue has run. */
export async function textsTo(hotline: { deps: LocalDeps }, phone: string): Promise<string[]> {
  await hotline.deps.localQueue.drain();
  return (await hotline.deps.localOutbox.list(hotline.deps.messages)).filter((m) => m.to === phone).map((m) => m.text);
}

/** The store back: the journal replayed twice (the second finds nothing left) and emptied; the reports then stored. */
export async function replayedTwice(hotline: { deps: LocalDeps; tableName: string }, store: Pick<TestStore, 'client'>) {
  await replayLocalJournal(hotline.deps);
  await replayLocalJournal(hotline.deps);
  expect(await hotline.deps.journalFile.entries()).toEqual([]);
  return storedReports(store.client, hotline.tableName);
}

/**
 * The store back, the journal replayed twice: exactly one report, from `phone` and as `expected` says, and one SMS
 * to `phone` with its reference, sent by the replay that stored it. Returns the report.
 */
export async function storedOnceAndTexted(
  hotline: { deps: LocalDeps; tableName: string },
  store: Pick<TestStore, 'client'>,
  phone: string,
  expected: Record<string, unknown>,
) {
  const reports = await replayedTwice(hotline, store);
  expect(reports).toHaveLength(1);
  expect(reports[0]).toMatchObject({ reporterKey: hotline.deps.callerKey(phone), ...expected });
  const texts = await textsTo(hotline, phone);
  expect(texts).toHaveLength(1);
  expect(texts[0]).toContain(reports[0]!.reference);
  return reports[0]!;
}
