/** How a report is spoken of to its reporter, the same on every channel. */
import { t, type Lang, type PromptKey } from './prompts';
import { nextStep, type Report } from './report';

/** The one most useful advice for a report: the moment decides it. */
export function reportAdvice(report: Pick<Report, 'paid' | 'category'>): PromptKey {
  if (report.paid === 'about_to_pay') return 'report.advice.about_to_pay';
  if (report.category === 'abroad_in_trouble') return 'report.advice.abroad';
  if (report.paid === 'yes') return 'report.advice.paid';
  return 'report.advice.default';
}

export function submittedText(lang: Lang, report: Report): string {
  return t(lang, 'report.submitted', { ref: report.reference, advice: t(lang, reportAdvice(report)) });
}

/** A report's status and next step, as its reporter sees it (USSD "My reports", SMS STATUS). */
export function reportStatusText(lang: Lang, report: Report): string {
  return t(lang, 'myReports.line', {
    ref: report.reference,
    date: report.createdAt.slice(0, 10),
    status: t(lang, `report.status.${report.status}` as PromptKey),
    next: t(lang, nextStep(report) as PromptKey),
  });
}
