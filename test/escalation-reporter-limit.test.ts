/**
 * One number cannot flood the on-call officers (issue 15): at most ESCALATIONS_PER_REPORTER_PER_HOUR escalations
 * (default 2) per reporter in any hour, whatever the channel. Later urgent reports from that reporter are stored,
 * marked, and listed to the officer holding the reporter's case (one short SMS naming the new reference, and the
 * case's audit trail), without a new page.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { heldForReporterLimit } from '../shared/domain/escalation';
import { t } from '../shared/domain/prompts';
import type { Report } from '../shared/domain/report';
import { submitReport } from '../shared/intake';
import { OfficerRepository } from '../shared/store/officers';
import { startTestStore, type TestStore } from './support/dynalite';
import { OFFICERS } from './support/escalation';
import { testHotline } from './support/hotline';
import { sampleReport } from './support/reports';
import { createActiveTable } from './support/tables';
import { atSms, storedReports, ussd } from './support/webhooks';

let store: TestStore;
let tables = 0;
const running: { stop(): Promise<void> }[] = [];
beforeAll(async () => {
  store = await startTestStore('safejob-reporter-limit');
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((scheduler) => scheduler.stop()));
});
afterAll(async () => store.close());

const { emma } = OFFICERS;
const REPORTER = '+992900000821';

async function hotlineWithOfficer(env: Record<string, string> = {}) {
  const tableName = `limit-${++tables}`;
  await createActiveTable(store.client, tableName);
  const hotline = testHotline(store, { TABLE_NAME: tableName, ...env });
  running.push(hotline.deps.escalation.scheduler);
  await new OfficerRepository(store.client, tableName).putOfficers([{ ...emma, languages: [...emma.languages], key: hotline.deps.callerKey(emma.phone) }]);
  const textsTo = async (phone: string) => {
    await hotline.deps.localQueue.drain();
    return (await hotline.deps.localOutbox.list(hotline.deps.messages)).filter((m) => m.to === phone).map((m) => m.text);
  };
  /** A USSD session as the gateway sends it: every step, each with the whole path so far; the last screen. */
  const dial = async (sessionId: string, path: string) => {
    const inputs = path.split('*');
    for (let n = 1; n < inputs.length; n++) await ussd(hotline, sessionId, REPORTER, inputs.slice(0, n).join('*'));
    return (await ussd(hotline, sessionId, REPORTER, path)).body;
  };
  const reports = async () =>
    (await storedReports(store.client, tableName)).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.channel.localeCompare(b.channel));
  return { ...hotline, tableName, textsTo, dial, reports };
}

describe('at most two escalations per reporter per hour', () => {
  it('pages for the first two urgent reports; the SMS, USSD and voice ones after them are stored, marked and listed to the case', async () => {
    const hotline = await hotlineWithOfficer();
    // Two urgent reports that page: a USSD one (English, report, fee, about to pay, 3000 TJS…) and an SMS one.
    expect(await hotline.dial('limit-1', '3*2*3*2*3000*1*@limit_scam_a*1*1*1')).toMatch(/^END .*[A-Z0-9]{6}/s);
    await atSms(hotline, 'ATXid_limit_1', REPORTER, 'REPORT they took my passport and threaten me, @limit_scam_b');
    // Then one more on each channel: over the limit.
    await atSms(hotline, 'ATXid_limit_2', REPORTER, 'REPORT they want me to pay 3000 somoni today, @limit_scam_c');
    expect(await hotline.dial('limit-2', '2*3*2*3000*1*@limit_scam_d*1*1*1')).toMatch(/^END .*[A-Z0-9]{6}/s);
    const voice = await submitReport(
      hotline.deps.intake,
      { channel: 'voice', lang: 'en', category: 'abroad_in_trouble', paid: 'unknown', identifiers: [], callbackConsent: false, reporterPhone: REPORTER },
      'voice:twilio:CAlimit0001',
    );
    expect(voice.saved).toBe(true);

    const stored = await hotline.reports();
    expect(stored.map((r) => [r.channel, r.urgency.urgent])).toEqual([
      ['ussd', true],
      ['sms', true],
      ['sms', true],
      ['ussd', true],
      ['voice', true],
    ]);
    const [first, second, ...held] = stored as [Report, Report, ...Report[]];
    expect(first.escalationHeld).toBeUndefined();
    expect(second.escalationHeld).toBeUndefined();
    // Each held one names the reporter's newest paged case.
    for (const report of held) expect(report.escalationHeld).toEqual({ reason: 'reporter_limit', case: second.reference });

    const texts = await hotline.textsTo(emma.phone);
    const pages = texts.filter((text) => text.startsWith('SafeJob URGENT'));
    expect(pages.map((text) => text.split(' ')[2]!.replace(':', ''))).toEqual([first.reference, second.reference]);
    expect(texts.filter((text) => !text.startsWith('SafeJob URGENT'))).toEqual(
      held.map((report) => t('en', 'officer.relatedReport', { reference: second.reference, related: report.reference, limit: 2 })),
    );
    const escalations = hotline.deps.escalation.escalations;
    for (const report of held) expect(await escalations.get(report.reference)).toBeUndefined();
    expect((await escalations.listDue()).map((due) => due.reference)).not.toEqual(expect.arrayContaining(held.map((r) => r.reference)));
    const trail = (await escalations.listAudit(second.reference)).filter((record) => record.action === 'related_report');
    expect(trail.map((record) => record.detail)).toEqual(held.map((report) => ({ related: report.reference, reason: 'reporter_limit' })));
  });

  it('is configurable, and counts each reporter on their own', async () => {
    const hotline = await hotlineWithOfficer({ ESCALATIONS_PER_REPORTER_PER_HOUR: '3' });
    for (const [n, phone] of [[1, REPORTER], [2, REPORTER], [3, REPORTER], [4, REPORTER], [5, '+992900000822']] as const) {
      await atSms(hotline, `ATXid_cfg_${n}`, phone, `REPORT they took my passport and threaten me, @cfg_scam_${n}`);
    }
    const stored = await hotline.reports();
    expect(stored.map((r) => r.escalationHeld !== undefined)).toEqual([false, false, false, true, false]);
    expect((await hotline.textsTo(emma.phone)).filter((text) => text.startsWith('SafeJob URGENT'))).toHaveLength(4);
  });
});

describe('the rule (pure)', () => {
  const at = (minutesAgo: number, overrides: Partial<Report> = {}) =>
    sampleReport({
      reference: `R${String(minutesAgo).padStart(5, '0')}`.slice(0, 6),
      createdAt: new Date(Date.UTC(2026, 11, 1, 12) - minutesAgo * 60_000).toISOString(),
      urgency: { urgent: true, reasons: ['threats'] },
      ...overrides,
    });
  const now = Date.UTC(2026, 11, 1, 12);

  it('counts only escalations of the last hour: held, not urgent and older reports do not count', () => {
    expect(heldForReporterLimit([at(10)], 2, now)).toBeUndefined();
    expect(heldForReporterLimit([at(10), at(70)], 2, now)).toBeUndefined();
    expect(heldForReporterLimit([at(10), at(20, { urgency: { urgent: false, reasons: [] } })], 2, now)).toBeUndefined();
    expect(heldForReporterLimit([at(10), at(20, { escalationHeld: { reason: 'reporter_limit', case: 'X' } })], 2, now)).toBeUndefined();
    expect(heldForReporterLimit([at(50), at(10)], 2, now)).toBe(at(10).reference);
  });

  it('lists to the newest case still open', () => {
    expect(heldForReporterLimit([at(50), at(10, { status: 'closed' })], 2, now)).toBe(at(50).reference);
    expect(heldForReporterLimit([at(50, { status: 'closed' }), at(10, { status: 'closed' })], 2, now)).toBe(at(10).reference);
  });
});
