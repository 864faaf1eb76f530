/**
 * What a page tells an officer: the reference, category, amount, why it is urgent, and how to reply.
 */
import { t, type Lang } from '../prompts';
import { URGENCY_REASONS, type Identifier, type Report } from '../report';

export function formatAmount(report: Pick<Report, 'amount'>): string {
  return report.amount ? `${report.amount.value} ${report.amount.currency}` : '';
}

/** The reasons a report is urgent, in the officer's language. */
export function reasonsText(lang: Lang, report: Pick<Report, 'urgency'>): string {
  const reasons = URGENCY_REASONS.filter((reason) => report.urgency.reasons.includes(reason));
  return reasons.length > 0 ? reasons.map((reason) => t(lang, `escalation.reason.${reason}`)).join(', ') : '—';
}

/** An identifier as officers see it: a card by its last four digits only, a handle with its `@`. */
export function identifierLabel(identifier: Identifier): string {
  switch (identifier.kind) {
    case 'card':
      return `****${identifier.last4}`;
    case 'handle':
      return `@${identifier.value}`;
    default:
      return identifier.value;
  }
}

/** A campaign's identifier and its reporters, for the page and INFO; empty for a report of no campaign. */
export function campaignText(lang: Lang, report: Pick<Report, 'campaign'>): string {
  const { campaign } = report;
  if (!campaign) return '';
  return t(lang, campaign.linkedTo ? 'escalation.campaign.linked' : 'escalation.campaign', {
    identifier: identifierLabel(campaign.identifier),
    count: campaign.reporters,
    reference: campaign.linkedTo ?? '',
  });
}

/** " Listen: <signed link>." for a report with a recording; empty otherwise (or without a link to give). */
export function recordingText(lang: Lang, report: Pick<Report, 'recordingUrl'>, link: string | undefined): string {
  return report.recordingUrl && link ? t(lang, 'escalation.recording', { link }) : '';
}

/** The page an officer gets: reference, category, amount, why, the reporter's language, call-back, how to reply (with their code). */
export function pageText(lang: Lang, report: Report, round: number, code: string, recordingLink?: string): string {
  const amount = formatAmount(report);
  return t(lang, 'escalation.page', {
    reference: report.reference,
    code,
    repeat: round > 1 ? t(lang, 'escalation.repeat', { round }) : '',
    category: t(lang, `escalation.category.${report.category}`),
    amount: amount ? `, ${amount}` : '',
    reasons: reasonsText(lang, report),
    campaign: campaignText(lang, report),
    recording: recordingText(lang, report, recordingLink),
    language: t(lang, `escalation.language.${report.lang}`),
    callback: t(lang, report.callbackConsent ? 'escalation.callback.yes' : 'escalation.callback.no'),
  });
}
