import { describe, expect, it } from 'vitest';
import { parsePartnersCsv, PARTNERS_CSV_HEADER } from '../shared/console/partners-csv';
import { CONSOLE_LANGS, CONSOLE_TEXTS } from '../shared/console/texts';
import { can, homePath, rolesFromGroups } from '../shared/domain/console/access';
import { losses, percentile, perWeek, topIdentifiers, toCsv, verificationsPerWeek, weekOf } from '../shared/domain/console/analytics';
import { primeroCase } from '../shared/domain/console/primero';
import { applyReferralAction, needsReminder, referralBasis, type Referral } from '../shared/domain/console/referral';
import type { Report } from '../shared/domain/report';

const officer = { key: 'k1', name: 'Aziz' };
const referral: Referral = {
  id: 'r1',
  reference: 'A7YRDY',
  organisationId: 'police-cyber',
  organisationName: 'Police cybercrime unit',
  service: 'investigation',
  urgency: 'urgent',
  deadline: '2026-12-02T12:00:00.000Z',
  status: 'in_progress',
  consent: { basis: 'reporter' },
  referredBy: officer,
  createdAt: '2026-12-01T12:00:00.000Z',
};
const partner = { key: 'console:partner@sample.test', name: 'Lt. Karimov' };
const at = new Date('2026-12-01T13:00:00.000Z');

describe('referral transitions (in progress → accepted | rejected → done, or revoked)', () => {
  it.each([
    ['in_progress', { name: 'accept' }, 'accepted'],
    ['in_progress', { name: 'reject', reason: 'not our jurisdiction' }, 'rejected'],
    ['accepted', { name: 'done', note: 'account blocked' }, 'done'],
    ['in_progress', { name: 'revoke' }, 'revoked'],
    ['accepted', { name: 'revoke' }, 'revoked'],
  ] as const)('%s + %o → %s', (from, action, to) => {
    const result = applyReferralAction({ ...referral, status: from }, action, partner, at);
    expect(result.ok && result.referral.status).toBe(to);
  });

  it.each([
    ['accepted', { name: 'accept' }],
    ['in_progress', { name: 'done', note: 'x' }],
    ['rejected', { name: 'revoke' }],
    ['done', { name: 'reject', reason: 'x' }],
    ['revoked', { name: 'accept' }],
  ] as const)('refuses %s + %o', (from, action) => {
    expect(applyReferralAction({ ...referral, status: from }, action, partner, at)).toEqual({ ok: false, why: 'wrong_status' });
  });

  it('keeps who answered and when, the reason and the outcome note that flows back', () => {
    const rejected = applyReferralAction(referral, { name: 'reject', reason: '  outside our area ' }, partner, at);
    expect(rejected).toEqual({ ok: true, referral: { ...referral, status: 'rejected', respondedAt: at.toISOString(), respondedBy: partner, rejectedReason: 'outside our area' } });
    expect(applyReferralAction(referral, { name: 'reject', reason: ' ' }, partner, at)).toEqual({ ok: false, why: 'empty_text' });
    const done = applyReferralAction({ ...referral, status: 'accepted' }, { name: 'done', note: 'blocked' }, partner, at);
    expect(done.ok && done.referral.outcomeNote).toBe('blocked');
  });

  it("needs the reporter's consent, or a supervisor's reason", () => {
    expect(referralBasis({ reference: 'A', given: true, source: 'officer', at: at.toISOString() }, undefined)).toEqual({ basis: 'reporter' });
    expect(referralBasis(undefined, undefined)).toEqual({ refused: 'no_consent' });
    expect(referralBasis({ reference: 'A', given: false, source: 'officer', at: at.toISOString() }, { reason: ' ', by: officer, allowed: true })).toEqual({ refused: 'no_consent' });
    expect(referralBasis(undefined, { reason: 'danger', by: officer, allowed: false })).toEqual({ refused: 'override_not_allowed' });
    expect(referralBasis(undefined, { reason: ' danger ', by: officer, allowed: true })).toEqual({ basis: 'override', reason: 'danger', by: officer });
  });

  it('reminds once when the deadline is near and once more when it has passed, only while unanswered', () => {
    expect(needsReminder(referral, new Date('2026-12-02T07:00:00Z'))).toBe(false);
    expect(needsReminder(referral, new Date('2026-12-02T08:00:00Z'))).toBe(true);
    const reminded = { ...referral, remindedAt: '2026-12-02T08:00:00.000Z' };
    expect(needsReminder(reminded, new Date('2026-12-02T11:00:00Z'))).toBe(false);
    expect(needsReminder(reminded, new Date('2026-12-02T12:00:00Z'))).toBe(true);
    expect(needsReminder({ ...reminded, remindedAt: '2026-12-02T12:05:00.000Z' }, new Date('2026-12-03T12:00:00Z'))).toBe(false);
    expect(needsReminder({ ...referral, status: 'accepted' }, new Date('2026-12-03T12:00:00Z'))).toBe(false);
  });
});

describe('roles', () => {
  it('reads roles from the groups claim and sends each to its page', () => {
    expect(rolesFromGroups(['partner', 'staff', 'admin'])).toEqual(['partner', 'admin']);
    expect(rolesFromGroups(undefined)).toEqual([]);
    expect(homePath({ roles: ['officer'] })).toBe('/console/cases');
    expect(homePath({ roles: ['partner'] })).toBe('/console/referrals');
    expect(homePath({ roles: ['analyst'] })).toBe('/console/dashboard');
    expect(can({ roles: ['officer'] }, 'cases.supervise')).toBe(false);
    expect(can({ roles: ['supervisor'] }, 'cases.supervise')).toBe(true);
    expect(can({ roles: ['analyst'] }, 'cases.work')).toBe(false);
  });
});

describe('parsePartnersCsv', () => {
  const header = PARTNERS_CSV_HEADER.join(',');
  it('reads organisations once and their focal points', () => {
    const parsed = parsePartnersCsv(`${header}\npolice-cyber,Police unit,police,investigation;account_blocking,Sobir,Partner@Sample.test,+992 90 000 8001\npolice-cyber,Police unit,police,investigation;account_blocking,Zafar,zafar@sample.test,\n`);
    expect(parsed).toEqual({
      ok: true,
      organisations: [{ id: 'police-cyber', name: 'Police unit', kind: 'police', services: ['investigation', 'account_blocking'] }],
      focalPoints: [
        { email: 'partner@sample.test', name: 'Sobir', organisationId: 'police-cyber', phone: '+992900008001' },
        { email: 'zafar@sample.test', name: 'Zafar', organisationId: 'police-cyber' },
      ],
    });
  });

  it('lists every bad row with its line number', () => {
    const parsed = parsePartnersCsv(
      `${header}\nPolice!,Police,army,hugs,,nobody,12\npolice-cyber,Police,police,investigation,A,a@sample.test,\npolice-cyber,Other name,police,investigation,B,b@sample.test,\niom,IOM,iom,legal_aid,C,a@sample.test,\n`,
    );
    expect(parsed).toEqual({
      ok: false,
      errors: [
        {
          line: 2,
          reason:
            'organisation_id: must be lower-case letters, digits and dashes; kind: must be one of police, ministry, iom, embassy, not "army"; ' +
            'services: must be one of investigation, account_blocking, legal_aid, return_assistance, consular_help, licence_check, not "hugs"; ' +
            'focal_point_name: is empty; focal_point_email: "nobody" is not an e-mail address; focal_point_phone: "12" is not a phone number in international form',
        },
        { line: 4, reason: 'organisation police-cyber differs from line 3' },
        { line: 5, reason: 'focal_point_email: a@sample.test is already on line 3' },
      ],
    });
  });
});

const report = (over: Partial<Report>): Report => ({
  reference: 'A7YRDY', channel: 'ussd', lang: 'tg', category: 'fee_requested', paid: 'yes', identifiers: [], callbackConsent: false,
  urgency: { urgent: false, reasons: [] }, status: 'received', createdAt: '2026-11-30T10:00:00.000Z', updatedAt: '2026-11-30T10:00:00.000Z',
  reporterKey: 'r1', ...over,
});

describe('analytics', () => {
  it('counts weeks from Monday, percentiles by nearest rank, and losses in USD at the dated rates', () => {
    expect(weekOf('2026-12-06T23:00:00Z')).toBe('2026-11-30');
    expect(weekOf('2026-11-30T00:00:00Z')).toBe('2026-11-30');
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([], 50)).toBeUndefined();
    const reports = [
      report({ amount: { value: 990, currency: 'TJS' } }),
      report({ amount: { value: 300, currency: 'USD' } }),
      report({ amount: { value: 7800, currency: 'RUB' } }),
      report({ paid: 'about_to_pay', amount: { value: 500, currency: 'USD' } }),
    ];
    expect(losses(reports)).toEqual({ reportsWithAmount: 3, totalUsd: 500, medianUsd: 100, askedNotPaidUsd: 500 });
  });

  it('lists every week in the window, zeros included, by channel', () => {
    const series = perWeek([report({}), report({ channel: 'sms', createdAt: '2026-11-24T10:00:00.000Z' })], 'channel', '2026-11-16', '2026-11-30');
    expect(series).toEqual({ labels: ['2026-11-16', '2026-11-23', '2026-11-30'], rows: [
      { name: 'ussd', values: [0, 0, 1] },
      { name: 'sms', values: [0, 1, 0] },
      { name: 'voice', values: [0, 0, 0] },
    ] });
  });

  it('ranks identifiers by distinct reporters, marks campaigns, and shows cards by their last digits only', () => {
    const card = { kind: 'card' as const, hash: 'h1', last4: '1234' };
    const handle = { kind: 'handle' as const, value: 'uk_jobs' };
    const rows = topIdentifiers(
      [report({ reporterKey: 'a', identifiers: [handle, card] }), report({ reporterKey: 'b', identifiers: [handle] }), report({ reporterKey: 'c', identifiers: [handle] }), report({ reporterKey: 'c', identifiers: [card] })],
      3,
    );
    expect(rows.map((r) => [r.identifier, r.reporters, r.campaign])).toEqual([['@uk_jobs', 3, true], ['****1234', 2, false]]);
    expect(JSON.stringify(rows)).not.toContain('h1');
  });

  it('quotes CSV cells that need it', () => {
    expect(toCsv(['a', 'b'], [['x,y', 'say "hi"'], [1, undefined]])).toBe('a,b\r\n"x,y","say ""hi"""\r\n1,\r\n');
  });
});

describe('verifications per week', () => {
  it('adds the days into their weeks, with the share that found no record or a warning', () => {
    const day = (d: string, licensed: number, warning: number, unknown: number, unclear = 0) => ({ day: d, verdicts: { licensed, warning, unknown, unclear } });
    // 2026-11-16 and 2026-11-22 are the Monday and Sunday of one week; 2026-11-23 starts the next.
    const weeks = verificationsPerWeek([day('2026-11-16', 2, 1, 0), day('2026-11-22', 0, 0, 1, 1), day('2026-11-23', 1, 0, 0), day('2026-10-01', 9, 9, 9)], '2026-11-09', '2026-11-23');
    expect(weeks.series.labels).toEqual(['2026-11-09', '2026-11-16', '2026-11-23']);
    expect(weeks.totals).toEqual([0, 5, 1]);
    expect(weeks.series.rows.find((r) => r.name === 'warning')!.values).toEqual([0, 1, 0]);
    expect(weeks.unknownOrWarningPercent).toEqual([undefined, 40, 0]);
    expect(weeks.overallPercent).toBe(33);
  });
});

describe('Primero export', () => {
  it('gives the case data and each referral as a Referral transition, without the reporter or their words', () => {
    const exported = primeroCase(report({ freeText: 'my number is +992900000001', status: 'closed' }), [{ ...referral, status: 'done', outcomeNote: 'blocked' }]);
    expect(exported.data).toMatchObject({ short_id: 'A7YRDY', status: 'closed', consent_for_services: true, safejob_channel: 'ussd' });
    expect(exported.transitions).toEqual([expect.objectContaining({ type: 'Referral', status: 'done', remote: true, transitioned_to_remote: 'Police cybercrime unit', service: 'investigation', consent_overridden: false, rejection_note: 'blocked' })]);
    expect(JSON.stringify(exported)).not.toMatch(/\+992900000001|my number|reporterKey/);
  });
});

describe('console texts', () => {
  it('has the same keys in English, Russian and Tajik, none empty, the same placeholders in each', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const lang of CONSOLE_LANGS) {
      expect(Object.keys(CONSOLE_TEXTS[lang]).sort(), lang).toEqual(Object.keys(CONSOLE_TEXTS.en).sort());
      for (const [key, text] of Object.entries(CONSOLE_TEXTS[lang])) {
        expect(text.trim(), `${lang} ${key}`).not.toBe('');
        expect(placeholders(text), `${lang} ${key}`).toEqual(placeholders(CONSOLE_TEXTS.en[key as keyof typeof CONSOLE_TEXTS.en]));
      }
    }
  });

  it('says which texts a native speaker has not checked yet: the Russian and Tajik drafts', () => {
    expect(CONSOLE_TEXTS.en['_meta.review']).toMatch(/^reviewed/);
    expect(CONSOLE_TEXTS.ru['_meta.review']).toMatch(/^needs native review/);
    expect(CONSOLE_TEXTS.tg['_meta.review']).toMatch(/^needs native review/);
  });
});
