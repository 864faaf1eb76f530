import type { Report, ReportDraft } from '../../shared/domain/report';

/** A plain SMS report draft; tests override what they are about. */
export function reportDraft(overrides: Partial<ReportDraft> = {}): ReportDraft {
  return {
    channel: 'sms',
    lang: 'tg',
    category: 'fee_requested',
    paid: 'no',
    identifiers: [],
    callbackConsent: false,
    urgency: { urgent: false, reasons: [] },
    createdAt: '2026-11-20T09:25:42.000Z',
    reporterKey: 'reporter-a',
    ...overrides,
  };
}

/** A random source that gives `values` first, then `rest` for ever: scripts which references are drawn. */
export function scriptedRandom(values: number[], rest = 0.5): () => number {
  const queue = [...values];
  return () => queue.shift() ?? rest;
}

/** A stored report, as the store returns it. */
export function sampleReport(overrides: Partial<Report> = {}): Report {
  return {
    ...reportDraft(),
    reference: 'K7QX3M',
    status: 'received',
    updatedAt: '2026-11-20T09:25:42.000Z',
    ...overrides,
  };
}
