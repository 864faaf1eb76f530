import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../shared/config';
import { parseOfficersCsv } from '../shared/escalation/officers-csv';
import { phoneKey } from '../shared/privacy';
import { OfficerRepository } from '../shared/store/officers';
import { startTestStore, type TestStore } from './support/dynalite';
import { runOfficersImport } from '../infra/officers-import';
import { REPO_ROOT, runCommand, runInProcess } from './support/cli';
import { createActiveTable } from './support/tables';

const SAMPLE = new URL('../data/officers.sample.csv', import.meta.url).pathname;

let store: TestStore;
let dir: string;
let tables = 0;

beforeAll(async () => {
  store = await startTestStore();
  dir = await mkdtemp(join(tmpdir(), 'officers-import-'));
});
afterAll(async () => store.close());

const OWN_LINES = /^(line \d+|Cannot|usage|\/|PHONE_HASH_KEY|Invalid)/;

/** `npm run officers:import -- ARGS` in this process, against the test's dynalite. */
const runImport = async (args: string[], env: Record<string, string> = {}) => {
  const { code, stdout, stderr } = await runInProcess(runOfficersImport, args, { AWS_ENDPOINT_URL_DYNAMODB: store.endpoint, ...env });
  return { code, stdout, stderr };
};

async function freshTable(): Promise<{ TABLE_NAME: string; repo: OfficerRepository }> {
  const TABLE_NAME = `officers-import-${++tables}`;
  await createActiveTable(store.client, TABLE_NAME);
  return { TABLE_NAME, repo: new OfficerRepository(store.client, TABLE_NAME) };
}

describe('the sample rota', () => {
  it('is valid, fictional and uses clearly fake numbers', async () => {
    const parsed = parseOfficersCsv(await readFile(SAMPLE, 'utf8'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(parsed.officers.length).toBeGreaterThanOrEqual(4);
    for (const officer of parsed.officers) {
      expect(officer.phone).toMatch(/^\+992900009\d{3}$/);
      expect(officer.name).toMatch(/\(SAMPLE\)$/);
    }
    expect(new Set(parsed.officers.map((o) => o.role))).toEqual(new Set(['officer', 'supervisor']));
  });
});

describe('parseOfficersCsv', () => {
  const header = 'name,phone,role,languages,escalation_level';
  it('reads every field and normalises numbers and languages', () => {
    expect(parseOfficersCsv(`${header}\n"Nazarov, Farrukh",8 90 000 9001,supervisor, RU ; tg ,2\n`)).toEqual({
      ok: true,
      officers: [{ name: 'Nazarov, Farrukh', phone: '+992900009001', role: 'supervisor', languages: ['ru', 'tg'], level: 2 }],
    });
  });

  it('takes an optional email column: the console sign-in address, lower case; a bad one is a bad row', () => {
    const withEmail = `${header},email\nAziz,+992900009001,officer,tg,1,Aziz@Sample.TEST\nEmma,+992900009004,officer,en,2,\n`;
    expect(parseOfficersCsv(withEmail)).toEqual({
      ok: true,
      officers: [
        { name: 'Aziz', phone: '+992900009001', role: 'officer', languages: ['tg'], level: 1, email: 'aziz@sample.test' },
        { name: 'Emma', phone: '+992900009004', role: 'officer', languages: ['en'], level: 2 },
      ],
    });
    expect(parseOfficersCsv(`${header},email\nAziz,+992900009001,officer,tg,1,not-an-address\n`)).toEqual({
      ok: false,
      errors: [{ line: 2, reason: 'email: "not-an-address" is not an e-mail address' }],
    });
  });

  it('lists every bad row with its line number', () => {
    const text = [
      header,
      'Aziz,+992900009001,officer,tg,1',
      ',12,boss,fr;;,0',
      'Emma,+992900009001,officer,en,1',
      'Dilnoza,+992900009002,officer,ru;ru,1.5',
      'Too,many,fields,here,1,2',
      '',
    ].join('\n');
    expect(parseOfficersCsv(text)).toEqual({
      ok: false,
      errors: [
        {
          line: 3,
          reason:
            'name: is empty; phone: "12" is not a phone number in international form; role: must be one of officer, supervisor, not "boss"; ' +
            'languages: must be one of tg, ru, en, uz, ky, not "fr"; escalation_level: must be 1 or more (1 is paged first)',
        },
        { line: 4, reason: 'phone: +992900009001 is already on line 2' },
        { line: 5, reason: 'languages: names a language twice; escalation_level: "1.5" is not a whole number' },
        { line: 6, reason: 'expected 5 fields, found 6 (a field containing a comma must be quoted)' },
      ],
    });
  });

  it('wants the exact header and at least one officer', () => {
    expect(parseOfficersCsv('name,phone,role,languages,level\n')).toMatchObject({ ok: false, errors: [{ line: 1 }] });
    expect(parseOfficersCsv(`${header}\n`)).toEqual({ ok: false, errors: [{ line: 1, reason: 'the file lists no officer' }] });
    expect(parseOfficersCsv('')).toMatchObject({ ok: false, errors: [{ line: 1, reason: expect.stringMatching(/empty/) }] });
  });
});

describe('npm run officers:import', () => {
  it('imports the rota under the hotline’s own phone hash key, then finds nothing to change on the second run', async () => {
    const { TABLE_NAME, repo } = await freshTable();
    const first = await runImport([SAMPLE], { TABLE_NAME });
    expect(first.stderr).toEqual([]);
    expect(first.code).toBe(0);
    expect(first.stdout[0]).toBe('added 6, updated 0, unchanged 0');
    expect(first.stdout).toContain('  added    Aziz Rahimov (SAMPLE) (level 1, officer)');
    expect(first.stdout.at(-1)).toBe(`rota: 6 officers, 6 on duty (${TABLE_NAME} at ${store.endpoint})`);
    // Never a number in the output.
    expect(first.stdout.join('\n')).not.toMatch(/900009/);
    // Keyed by the same hash the local hotline computes for the sender of an SMS.
    const key = phoneKey(loadConfig({ HOTLINE_MODE: 'local' }).phoneHashKey, '+992900009001');
    expect(await repo.get(key)).toMatchObject({ name: 'Aziz Rahimov (SAMPLE)', phone: '+992900009001', onDuty: true });

    const second = await runImport([SAMPLE], { TABLE_NAME });
    expect(second).toEqual({
      code: 0,
      stdout: ['added 0, updated 0, unchanged 6', `rota: 6 officers, 6 on duty (${TABLE_NAME} at ${store.endpoint})`],
      stderr: [],
    });
  });

  it('updates changed rows, keeps officers missing from the file unless told to remove them', async () => {
    const { TABLE_NAME, repo } = await freshTable();
    await runImport([SAMPLE], { TABLE_NAME });
    const lines = (await readFile(SAMPLE, 'utf8')).trim().split('\n');
    const changed = join(dir, 'changed.csv');
    await writeFile(changed, [lines[0], lines[1]!.replace(',1', ',2'), ...lines.slice(2, 5)].join('\n'));
    const run1 = await runImport([changed], { TABLE_NAME });
    expect(run1.stdout.slice(0, 2)).toEqual(['added 0, updated 1, unchanged 3', '  updated  Aziz Rahimov (SAMPLE) (level 2, officer)']);
    expect(run1.stdout).toContain('2 officers on the rota are not in this file and were kept (--remove-missing removes them):');
    expect(await repo.list()).toHaveLength(6);
    const run2 = await runImport([changed, '--remove-missing'], { TABLE_NAME });
    expect(run2.stdout).toContain('2 officers not in this file were removed from the rota:');
    expect(run2.stdout.at(-1)).toBe(`rota: 4 officers, 4 on duty (${TABLE_NAME} at ${store.endpoint})`);
  });

  it('rejects a file with bad rows whole: every bad row listed, nothing written', async () => {
    const { TABLE_NAME, repo } = await freshTable();
    const file = join(dir, 'bad.csv');
    const lines = (await readFile(SAMPLE, 'utf8')).trim().split('\n');
    lines[2] = lines[2]!.replace('officer', 'chief');
    lines[4] = lines[4]!.replace(/,2,$/, ',0,');
    await writeFile(file, lines.join('\n'));
    expect(await runImport([file], { TABLE_NAME })).toEqual({
      code: 1,
      stdout: [],
      stderr: [
        `${file}: 2 bad rows; nothing was written.`,
        'line 3: role: must be one of officer, supervisor, not "chief"',
        'line 5: escalation_level: must be 1 or more (1 is paged first)',
      ],
    });
    expect(await repo.list()).toEqual([]);
  });

  it('only validates with --dry-run; is the npm script, reading a relative path from where npm was run', async () => {
    const { TABLE_NAME, repo } = await freshTable();
    expect(await runImport(['--dry-run', SAMPLE], { TABLE_NAME })).toEqual({
      code: 0,
      stdout: [`${SAMPLE}: 6 officers, all valid (dry run: nothing written)`],
      stderr: [],
    });
    expect(await repo.list()).toEqual([]);
    await writeFile(join(dir, 'rota.csv'), await readFile(SAMPLE, 'utf8'));
    const args = ['--prefix', REPO_ROOT, '--silent', 'run', 'officers:import', '--', 'rota.csv', '--dry-run'];
    expect((await runCommand('npm', args, dir, { AWS_ENDPOINT_URL_DYNAMODB: store.endpoint, TABLE_NAME }, OWN_LINES)).stdout).toEqual([`${join(dir, 'rota.csv')}: 6 officers, all valid (dry run: nothing written)`]);
  });

  it('needs the phone hash key for a deployed table, and says so', async () => {
    const missing = await runImport([SAMPLE], { HOTLINE_MODE: 'aws', TABLE_NAME: 'deployed', PHONE_HASH_KEY: '' });
    expect(missing.code).toBe(2);
    expect(missing.stderr[0]).toMatch(/^PHONE_HASH_KEY: required with HOTLINE_MODE=aws/);
  });

  it('explains its usage, and says so when the store cannot be reached', async () => {
    expect(await runImport([])).toEqual({ code: 2, stdout: [], stderr: ['usage: npm run officers:import -- FILE.csv [--dry-run] [--remove-missing]'] });
    const closedPort = 'http://127.0.0.1:9';
    expect(await runImport([SAMPLE], { AWS_ENDPOINT_URL_DYNAMODB: closedPort, TABLE_NAME: 't-1' })).toEqual({
      code: 1,
      stdout: [],
      stderr: [`Cannot import into table t-1 at ${closedPort}: cannot reach it (is \`npm start\` running?)`],
    });
  });
});

describe('seedSampleOfficers', () => {
  it('loads the sample rota under the given key, idempotently', async () => {
    const { seedSampleOfficers } = await import('../infra/officers-import');
    const { TABLE_NAME, repo } = await freshTable();
    await seedSampleOfficers(store.client, TABLE_NAME, 'k'.repeat(32));
    await seedSampleOfficers(store.client, TABLE_NAME, 'k'.repeat(32));
    expect(await repo.list()).toHaveLength(6);
    expect(await repo.get(phoneKey('k'.repeat(32), '+992900009005'))).toMatchObject({ role: 'supervisor', level: 3 });
  });
});
