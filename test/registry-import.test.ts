import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryRepository } from '../shared/store/registry';
import { startTestStore, type TestStore } from './support/dynalite';
import { runRegistryImport } from '../infra/registry-import';
import { REPO_ROOT, runCommand, runInProcess } from './support/cli';
import { createActiveTable } from './support/tables';

const SAMPLE = new URL('../data/registry.sample.csv', import.meta.url).pathname;

let store: TestStore;
let dir: string;
let tables = 0;

beforeAll(async () => {
  store = await startTestStore();
  dir = await mkdtemp(join(tmpdir(), 'registry-import-'));
});
afterAll(async () => store.close());

const OWN_LINES = /^(line \d+|Cannot|usage|\/)/;

/** `npm run registry:import -- ARGS` in this process, against the test's dynalite. */
const runImport = async (args: string[], env: Record<string, string> = {}) => {
  const { code, stdout, stderr } = await runInProcess(runRegistryImport, args, { AWS_ENDPOINT_URL_DYNAMODB: store.endpoint, ...env });
  return { code, stdout, stderr };
};

async function freshTable(): Promise<{ TABLE_NAME: string; repo: RegistryRepository }> {
  const TABLE_NAME = `import-test-${++tables}`;
  await createActiveTable(store.client, TABLE_NAME);
  return { TABLE_NAME, repo: new RegistryRepository(store.client, TABLE_NAME) };
}

async function badFile(): Promise<string> {
  const lines = (await readFile(SAMPLE, 'utf8')).split('\n');
  lines[2] = lines[2]!.replace('scheme_operator', 'operator');
  lines[9] = lines[9]!.replace('2027-06-30', '2027-06-31');
  const file = join(dir, 'bad.csv');
  await writeFile(file, lines.join('\n'));
  return file;
}

describe('npm run registry:import', () => {
  it('imports a good file, then finds nothing to change on the second run', async () => {
    const { TABLE_NAME, repo } = await freshTable();
    const first = await runImport([SAMPLE], { TABLE_NAME });
    expect(first.code).toBe(0);
    expect(first.stdout[0]).toBe('added 22, updated 0, unchanged 0');
    expect(first.stdout).toContain('  added    Concordia (UK)');
    expect(first.stdout).toContain('  added    Ширкати Ҷаҳонгир Сафар (SAMPLE)');
    expect(first.stdout.at(-1)).toBe(`registry version 1 (${TABLE_NAME} at ${store.endpoint})`);
    expect(await repo.loadAll()).toHaveLength(22);

    const second = await runImport([SAMPLE], { TABLE_NAME });
    expect(second).toEqual({
      code: 0,
      stdout: ['added 0, updated 0, unchanged 22', `registry version 1 (${TABLE_NAME} at ${store.endpoint})`],
      stderr: [],
    });
  });

  it('rejects a file with bad rows whole: every bad row listed, nothing written', async () => {
    const { TABLE_NAME, repo } = await freshTable();
    const file = await badFile();
    const run = await runImport([file], { TABLE_NAME });
    expect(run).toEqual({
      code: 1,
      stdout: [],
      stderr: [
        `${file}: 2 bad rows; nothing was written.`,
        'line 3: kind: must be one of scheme_operator, agency, employer, not "operator"',
        'line 10: valid_until: "2027-06-31" is not a date YYYY-MM-DD',
      ],
    });
    expect(await repo.loadAll()).toEqual([]);
    expect(await repo.getVersion()).toBe(0);
  });

  it('only validates with --dry-run', async () => {
    const { TABLE_NAME, repo } = await freshTable();
    expect(await runImport(['--dry-run', SAMPLE], { TABLE_NAME })).toEqual({
      code: 0,
      stdout: [`${SAMPLE}: 22 entries, all valid (dry run: nothing written)`],
      stderr: [],
    });
    expect(await repo.getVersion()).toBe(0);
    expect((await runImport([await badFile(), '--dry-run'], { TABLE_NAME })).code).toBe(1);
  });

  it('is the npm script, and reads a relative path from the folder npm was run in', async () => {
    const { TABLE_NAME } = await freshTable();
    await writeFile(join(dir, 'relative.csv'), await readFile(SAMPLE, 'utf8'));
    const args = ['--prefix', REPO_ROOT, '--silent', 'run', 'registry:import', '--', 'relative.csv', '--dry-run'];
    const dryRun = await runCommand('npm', args, dir, { AWS_ENDPOINT_URL_DYNAMODB: store.endpoint, TABLE_NAME }, OWN_LINES);
    expect(dryRun.stdout).toEqual([`${join(dir, 'relative.csv')}: 22 entries, all valid (dry run: nothing written)`]);
  });

  it('says so when the store cannot be reached or has no such table', async () => {
    const closedPort = 'http://127.0.0.1:9';
    const unreachable = await runImport([SAMPLE], { AWS_ENDPOINT_URL_DYNAMODB: closedPort, TABLE_NAME: 't-1' });
    expect(unreachable).toEqual({
      code: 1,
      stdout: [],
      stderr: [`Cannot import into table t-1 at ${closedPort}: cannot reach it (is \`npm start\` running?)`],
    });
    const noTable = await runImport([SAMPLE], { TABLE_NAME: 'no-such-table' });
    expect(noTable).toEqual({
      code: 1,
      stdout: [],
      stderr: [
        `Cannot import into table no-such-table at ${store.endpoint}: there is no such table (is \`npm start\` running?)`,
      ],
    });
  });

  it('explains its usage and fails on a missing file', async () => {
    expect(await runImport([])).toEqual({
      code: 2,
      stdout: [],
      stderr: ['usage: npm run registry:import -- FILE.csv [--dry-run]'],
    });
    const missing = await runImport([join(dir, 'missing.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr[0]).toMatch(/^Cannot read .*missing\.csv: ENOENT/);
  });
});
