/**
 * A report held by its reporter's hourly escalation limit, as the console's case pages show it: on the held report,
 * that nobody was paged and the case it was listed to (a link); on that case, the reports listed to it (links). The
 * pages as rendered, in English, Russian and Tajik.
 */
import { describe, expect, it } from 'vitest';
import { casePage } from '../functions/console/case-pages';
import type { PageContext } from '../functions/console/layout';
import type { CaseDetail } from '../shared/console/cases';
import { ct, type ConsoleLang } from '../shared/console/texts';
import { sampleReport } from './support/reports';

const officer = { sub: 'officer-1', email: 'officer@sample.test', name: 'Aziz Officer', roles: ['officer' as const] };
const pageIn = (lang: ConsoleLang, reference: string): PageContext => ({ lang, user: officer, csrf: 'csrf-token', path: `/console/cases/${reference}` });
const urgent = { urgent: true, reasons: ['threats' as const] };

function detail(overrides: Partial<CaseDetail>): CaseDetail {
  return { report: sampleReport(), state: undefined, audit: [], referrals: [], sharing: undefined, callbackAvailable: false, related: [], officers: [], ...overrides };
}

const render = async (lang: ConsoleLang, d: CaseDetail) => String(await casePage(pageIn(lang, d.report.reference), d, []));

describe("the console's case pages and the per-reporter escalation limit", () => {
  it.each(['en', 'ru', 'tg'] as const)('the held report says it was not paged and links the case it was listed to (%s)', async (lang) => {
    const held = sampleReport({ reference: 'H3LD7Q', urgency: urgent, escalationHeld: { reason: 'reporter_limit', case: 'K7QX3M' } });
    const page = await render(lang, detail({ report: held }));
    expect(page).toContain(`<dt>${ct(lang, 'case.escalation')}</dt>`);
    expect(page).toContain(ct(lang, 'case.held.notPaged'));
    expect(page).toContain(`${ct(lang, 'case.held.listedTo')} <a href="/console/cases/K7QX3M">K7QX3M</a>`);
  });

  it('a report not held says nothing of it', async () => {
    const page = await render('en', detail({ report: sampleReport({ urgency: urgent }) }));
    expect(page).not.toContain(ct('en', 'case.escalation'));
    expect(page).not.toContain(ct('en', 'case.listed'));
  });

  it('the holding case lists the reports held for it, each once, with links, and names the audit entry', async () => {
    const listedAudit = (at: string, related: string) => ({ reference: 'K7QX3M', at, action: 'related_report', detail: { related, reason: 'reporter_limit' } });
    const page = await render(
      'en',
      detail({
        report: sampleReport({ reference: 'K7QX3M', urgency: urgent }),
        audit: [
          { reference: 'K7QX3M', at: '2026-12-01T10:00:00.000Z', action: 'paged', detail: { level: 1 } },
          listedAudit('2026-12-01T10:20:00.000Z', 'H3LD7Q'),
          listedAudit('2026-12-01T10:40:00.000Z', 'J9MN2P'),
          // A second SMS about the same held report (a replay) lists it once.
          listedAudit('2026-12-01T10:41:00.000Z', 'J9MN2P'),
        ],
      }),
    );
    expect(page).toContain(`<h2>${ct('en', 'case.listed')}</h2>`);
    const section = page.slice(page.indexOf(ct('en', 'case.listed')), page.indexOf(ct('en', 'case.timeline')));
    expect([...section.matchAll(/<a href="\/console\/cases\/(\w+)">\1<\/a>/g)].map((match) => match[1])).toEqual(['H3LD7Q', 'J9MN2P']);
    expect(page).toContain(`<strong>${ct('en', 'audit.related_report')}</strong>`);
  });
});
