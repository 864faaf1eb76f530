/**
 * `npm run officers:import -- FILE.csv [--dry-run] [--remove-missing]`: loads the on-call rota into the table the
 * environment points at (infra/store-target.ts): by default the running local hotline (`npm start`), or with
 * HOTLINE_MODE=aws and no endpoint the deployed table TABLE_NAME in AWS_REGION.
 *
 * Officers are stored under the keyed hash of their number, so the importer needs the hotline's PHONE_HASH_KEY:
 * locally the same default as the hotline's (shared/config.ts); with HOTLINE_MODE=aws, PHONE_HASH_KEY or SECRETS_ARN
 * naming the PhoneHashKey secret (the stack's OfficersImportCommand output). A wrong key would store officers that
 * the hotline never recognises.
 *
 * The whole file is validated first: one bad row and nothing is written. Re-importing is idempotent; new officers
 * start on duty; officers missing from the file are kept (and listed) unless --remove-missing is given.
 * Exit codes: 0 done, 1 invalid file or store failure, 2 wrong usage or configuration.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError, loadConfig, readEnvironment, type Environment } from '../shared/config';
import { parseOfficersCsv } from '../shared/escalation/officers-csv';
import { phoneKey } from '../shared/privacy';
import { environmentWithSecrets } from '../shared/secrets';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../shared/store/client';
import { OfficerRepository } from '../shared/store/officers';
import { describeTarget, prepareCsvImport, printOutcomes, type Output } from './csv-import';
import { describeStoreFailure } from './store-target';

const USAGE = 'usage: npm run officers:import -- FILE.csv [--dry-run] [--remove-missing]';


/** The hotline's phone hash key for this target, or a message saying what is missing. */
async function hashKeyFor(env: Environment): Promise<{ key: string } | { problem: string }> {
  if (env.HOTLINE_MODE !== 'aws') {
    // The local hotline's own default (or the PHONE_HASH_KEY it was started with).
    try {
      return { key: loadConfig({ HOTLINE_MODE: 'local', PHONE_HASH_KEY: env.PHONE_HASH_KEY }).phoneHashKey };
    } catch (error) {
      return { problem: error instanceof ConfigError ? error.message : String(error) };
    }
  }
  const withSecrets = await environmentWithSecrets(env);
  const key = withSecrets.PHONE_HASH_KEY;
  if (!key || key.length < 32) {
    return {
      problem:
        'PHONE_HASH_KEY: required with HOTLINE_MODE=aws (32+ characters): set SECRETS_ARN to the PhoneHashKey secret ' +
        '(see the stack output OfficersImportCommand), or PHONE_HASH_KEY itself',
    };
  }
  return { key };
}

/** The sample rota (fictional officers, +992900009xxx numbers) for the local hotline's seed, keyed with its hash key. */
export const SAMPLE_OFFICERS_FILE = new URL('../data/officers.sample.csv', import.meta.url);

export async function seedSampleOfficers(client: DynamoDBDocumentClient, tableName: string, phoneHashKey: string): Promise<void> {
  const parsed = parseOfficersCsv(await readFile(SAMPLE_OFFICERS_FILE, 'utf8'));
  if (!parsed.ok) throw new Error(`The sample rota ${SAMPLE_OFFICERS_FILE.pathname} is invalid: ${JSON.stringify(parsed.errors)}`);
  await new OfficerRepository(client, tableName).putOfficers(parsed.officers.map((row) => ({ ...row, key: phoneKey(phoneHashKey, row.phone) })));
}

/** Runs the command; resolves to its exit code. */
export async function runOfficersImport(args: readonly string[], env: Environment, out: Output): Promise<number> {
  const prepared = await prepareCsvImport(
    {
      usage: USAGE,
      flags: ['--remove-missing'],
      rowsAre: 'officers',
      parse: (text) => {
        const parsed = parseOfficersCsv(text);
        return parsed.ok ? { ok: true, rows: parsed.officers } : parsed;
      },
    },
    args,
    env,
    out,
  );
  if (typeof prepared === 'number') return prepared;
  const removeMissing = prepared.flags.has('--remove-missing');
  const { target } = prepared;
  const hashKey = await hashKeyFor(env).catch((error: unknown) => ({ problem: `Cannot read SECRETS_ARN: ${(error as Error).message}` }));
  if ('problem' in hashKey) {
    out.error(hashKey.problem);
    return 2;
  }
  const officers = prepared.rows.map((row) => ({ ...row, key: phoneKey(hashKey.key, row.phone) }));
  const client = createDocumentClient(target);
  try {
    const repo = new OfficerRepository(client, target.tableName);
    const result = await repo.putOfficers(officers);
    // Names only: an officer's number is never printed.
    printOutcomes(
      out,
      result.outcomes.map(({ officer, outcome }) => ({ row: officer, outcome })),
      (officer) => `${officer.name} (level ${officer.level}, ${officer.role})`,
    );
    if (result.notInFile.length > 0) {
      if (removeMissing) {
        for (const { key } of result.notInFile) await repo.remove(key);
        out.log(`${result.notInFile.length} officers not in this file were removed from the rota:`);
      } else {
        out.log(`${result.notInFile.length} officers on the rota are not in this file and were kept (--remove-missing removes them):`);
      }
      for (const { name } of result.notInFile) out.log(`  ${removeMissing ? 'removed ' : 'kept    '} ${name}`);
    }
    const rota = await repo.list();
    out.log(`rota: ${rota.length} officers, ${rota.filter((o) => o.onDuty).length} on duty (${describeTarget(target)})`);
    return 0;
  } catch (error) {
    out.error(describeStoreFailure(error, target, 'import into'));
    return 1;
  } finally {
    client.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runOfficersImport(process.argv.slice(2), readEnvironment(), console);
}
