import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReportsExport } from '../infra/reports-export';
import { ReportRepository } from '../shared/store/reports';
import { REPO_ROOT, runCommand, runInProcess } from './support/cli';
import { startTestStore, type TestStore } from './support/dynalite';
import { reportDraft, scriptedRandom } from './support/reports';
import { createActiveTable } from './support/tables';

const TABLE_NAME = 'export-test';
const HEADER =
  'reference,created_at,channel,lang,category,paid,amount,currency,urgent,reasons,status,identifiers,callback_consent,has_recording,listed_to_case';

let store: TestStore;
let dir: string;

beforeAll(async () => {
  store = await startTestStore();
  dir = await mkdtemp(join(tmpdir(), 'reports-export-'));
  await createActiveTable(store.client, TABLE_NAME);
  // References 222222, 333333, 444444 in creation order.
  const repo = (first: number) =>
    new ReportRepository(store.client, TABLE_NAME, { random: scriptedRandom(Array(6).fill(first)) });
  await repo(0).create(reportDraft({ createdAt: '2026-11-18T23:59:59.000Z' }), 'before');
  const { report } = await repo(0.04).create(
    reportDraft({
      channel: 'ussd',
      lang: 'ru',
      category: 'visa_documents',
      paid: 'about_to_pay',
      amount: { value: 1500.5, currency: 'USD' },
      freeText: 'Меня зовут Фарход, мой номер +992935554433, карта 4276 3800 1234 5679',
      identifiers: [
        { kind: 'phone', value: '+992901234567' },
        { kind: 'card', hash: 'keyed-hash-of-the-card', last4: '5679' },
        { kind: 'handle', value: 'uk_jobs_visa' },
        { kind: 'url', value: 'example-visa.com/apply,now' },
      ],
      callbackConsent: true,
      urgency: { urgent: true, reasons: ['about_to_pay', 'large_amount'] },
      createdAt: '2026-11-19T00:00:00.000Z',
      reporterKey: 'reporter-keyed-hash',
    }),
    'first-day',
    'v1.sealed.callback.number',
  );
  await repo(0.04).updateStatus(report.reference, 'escalated');
  await repo(0.07).create(
    reportDraft({
      channel: 'voice',
      lang: 'en',
      recordingUrl: 'https://recordings.example.org/ATVId_3c9d.mp3',
      recordingDurationSeconds: 94,
      urgency: { urgent: true, reasons: ['threats'] },
      // Not paged: its reporter had reached the hourly limit, so it was listed to their case.
      escalationHeld: { reason: 'reporter_limit', case: '333333' },
      createdAt: '2026-11-20T09:25:42.000Z',
    }),
    'voice',
  );
});
afterAll(async () => store.close());

/** `npm run reports:export -- ARGS` in this process, as an analyst runs it, against the test's dynalite. */
async function runExport(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string[] }> {
  const run = await runInProcess(runReportsExport, args, { AWS_ENDPOINT_URL_DYNAMODB: store.endpoint, TABLE_NAME, ...env });
  // The summary goes to standard output with --out, the CSV without it (the summary then to standard error).
  return { code: run.code, stdout: run.text + run.stdout.map((line) => `${line}\n`).join(''), stderr: run.stderr };
}

describe('reports:export', () => {
  it('writes the reports since the day to a file readable by its owner only', async () => {
    const file = join(dir, 'reports.csv');
    const run = await runExport(['--since', '2026-11-19', '--out', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`2 reports created since 2026-11-19: ${file}\n`);
    expect(await readFile(file, 'utf8')).toBe(
      [
        HEADER,
        '333333,2026-11-19T00:00:00.000Z,ussd,ru,visa_documents,about_to_pay,1500.5,USD,yes,about_to_pay;large_amount,escalated,' +
          '"phone:+992901234567;card:****5679;handle:uk_jobs_visa;url:example-visa.com/apply,now",yes,no,',
        '444444,2026-11-20T09:25:42.000Z,voice,en,fee_requested,no,,,yes,threats,received,,no,yes,333333',
        '',
      ].join('\r\n'),
    );
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('is the npm script, writing a relative --out path into the folder npm was run in', async () => {
    const args = ['--prefix', REPO_ROOT, '--silent', 'run', 'reports:export', '--', '--since', '2026-11-20', '--out', 'relative.csv'];
    const run = await runCommand('npm', args, dir, { AWS_ENDPOINT_URL_DYNAMODB: store.endpoint, TABLE_NAME }, /^(Cannot|usage)/);
    expect(run).toEqual({ code: 0, stdout: [`1 reports created since 2026-11-20: ${join(dir, 'relative.csv')}`], stderr: [] });
    expect((await readFile(join(dir, 'relative.csv'), 'utf8')).split('\r\n').map((line) => line.slice(0, 6))).toEqual(['refere', '444444', '']);
  });

  it('writes to standard output without --out, and holds no free text, reporter or full card', async () => {
    const run = await runExport(['--since', '2026-11-01']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\r\n').map((line) => line.slice(0, 6))).toEqual(['refere', '222222', '333333', '444444', '']);
    expect(run.stderr).toEqual(['3 reports created since 2026-11-01']);
    for (const secret of ['Фарход', '935554433', '4276', 'keyed-hash', 'reporter-keyed-hash', 'sealed', 'recordings.example.org']) {
      expect(run.stdout).not.toContain(secret);
    }
  });

  it('writes only the header when nothing is that recent', async () => {
    const run = await runExport(['--since', '2027-01-01']);
    expect(run).toMatchObject({ code: 0, stdout: `${HEADER}\r\n`, stderr: ['0 reports created since 2027-01-01'] });
  });

  it.each([[[]], [['--since']], [['--since', '2026-02-30']], [['--since', '2026-11-19', '--format', 'xlsx']], [['2026-11-19']]])(
    'refuses %j with the usage line and exit code 2',
    async (args) => {
      const run = await runExport(args);
      expect(run).toEqual({ code: 2, stdout: '', stderr: ['usage: npm run reports:export -- --since YYYY-MM-DD [--out FILE]'] });
    },
  );

  it('says plainly when the store cannot be reached or the table is missing', async () => {
    const unreachable = await runExport(['--since', '2026-11-19'], { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' });
    expect(unreachable).toMatchObject({
      code: 1,
      stdout: '',
      stderr: ['Cannot export from table export-test at http://127.0.0.1:9: cannot reach it (is `npm start` running?)'],
    });
    const missing = await runExport(['--since', '2026-11-19'], { TABLE_NAME: 'no-such-table' });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toEqual([
      `Cannot export from table no-such-table at ${store.endpoint}: there is no such table (is \`npm start\` running?)`,
    ]);
  });
});
