/**
 * The guided report flow and the caller's own reports, and the report a confirmed flow makes.
 */
import { t, type Lang, type PromptKey } from '../prompts';
import { CURRENCIES, REPORT_CATEGORIES, extractIdentifiers, type PaidAnswer, type ReportDraft } from '../report';
import { reportStatusText, submittedText } from '../report-texts';
import { referenceFollowsBySms } from '../conversation';
import { type Context, go, type Option, type ReportAnswers, type Screen, type View, type Walk } from './walk';

const PAID_CHOICES = ['yes', 'about_to_pay', 'no'] as const satisfies readonly PaidAnswer[];

/** The guided report flow and the caller's own reports. */
export function reportView(walk: Walk, screen: Screen, ctx: Context): View {
  const lang = walk.lang!;
  const choices = <T,>(values: readonly T[], label: (value: T) => string, next: (value: T) => Screen): Option[] =>
    values.map((value) => ({ label: label(value), choose: (w: Walk) => go(w, next(value)) }));
  const yesNo = (title: PromptKey, next: (yes: boolean) => Screen): View => ({
    kind: 'menu',
    title: t(lang, title),
    options: choices([true, false], (yes) => t(lang, yes ? 'common.yes' : 'common.no'), next),
  });
  switch (screen.name) {
    case 'reportCategory':
      return {
        kind: 'menu',
        title: t(lang, 'report.category.title'),
        options: choices(REPORT_CATEGORIES, (c) => t(lang, `report.category.${c}` as PromptKey), (category) => ({
          name: 'reportPaid',
          draft: { category },
        })),
      };
    case 'reportPaid':
      return {
        kind: 'menu',
        title: t(lang, 'report.paid.title'),
        options: choices(PAID_CHOICES, (p) => t(lang, `report.paid.${p}` as PromptKey), (paid) =>
          // Nothing paid or asked: no amount to ask about.
          paid === 'no' ? { name: 'reportContact', draft: { ...screen.draft, paid } } : { name: 'reportAmount', draft: { ...screen.draft, paid } },
        ),
      };
    case 'reportAmount':
      return {
        kind: 'prompt',
        text: t(lang, 'report.amount.prompt'),
        options: [],
        answer: (w, input) => {
          const amount = parseAmount(input);
          return amount ? go(w, { name: 'reportCurrency', draft: { ...screen.draft, amount } }) : { ...w, invalid: true };
        },
      };
    case 'reportCurrency':
      return {
        kind: 'menu',
        title: t(lang, 'report.currency.title'),
        options: choices(CURRENCIES, (c) => t(lang, `report.currency.${c}` as PromptKey), (currency) => ({
          name: 'reportContact',
          draft: { ...screen.draft, currency },
        })),
      };
    case 'reportContact':
      return {
        kind: 'prompt',
        text: t(lang, 'report.contact.prompt'),
        options: [{ label: t(lang, 'report.contact.skip'), choose: (w) => go(w, { name: 'reportCallback', draft: screen.draft }) }],
        answer: (w, contact) => go(w, { name: 'reportCallback', draft: { ...screen.draft, contact } }),
      };
    case 'reportCallback':
      return yesNo('report.callback.title', (callback) => ({ name: 'reportSharing', draft: { ...screen.draft, callback } }));
    case 'reportSharing':
      return yesNo('report.sharing.title', (share) => ({ name: 'reportConfirm', draft: { ...screen.draft, share } }));
    case 'reportConfirm':
      return {
        kind: 'text',
        text: `${t(lang, 'report.confirm.title')} ${reportSummary(lang, screen.draft)}`,
        options: [
          {
            label: t(lang, 'report.confirm.send'),
            choose: (w) => ({ ...go(w, { name: 'reportSent', draft: screen.draft }), effects: [{ type: 'submitReport', answers: screen.draft, lang }] }),
          },
          { label: t(lang, 'report.confirm.cancel'), choose: (w) => go(w, { name: 'reportCancelled' }) },
        ],
      };
    case 'reportSent': {
      const submitted = ctx.data.submitted;
      if (!submitted?.saved) return { kind: 'end', text: t(lang, referenceFollowsBySms(submitted) ? 'report.kept' : 'report.failed') };
      return { kind: 'end', text: submittedText(lang, submitted.report) };
    }
    case 'reportCancelled':
      return { kind: 'end', text: t(lang, 'report.cancelled') };
    case 'myReports': {
      const reports = ctx.data.myReports;
      if (reports === undefined) {
        ctx.needs.push({ type: 'myReports' });
        return { kind: 'text', text: '', options: [] };
      }
      if (reports === null) return { kind: 'text', text: t(lang, 'common.unavailable'), options: [] };
      if (reports.length === 0) return { kind: 'text', text: t(lang, 'myReports.none'), options: [] };
      return {
        kind: 'menu',
        options: reports.map((report) => ({
          label: `${report.reference} ${report.createdAt.slice(0, 10)}`,
          choose: (w: Walk) => go(w, { name: 'myReport', reference: report.reference }),
        })),
      };
    }
    case 'myReport': {
      const report = ctx.data.myReports?.find((r) => r.reference === screen.reference);
      if (!report) {
        ctx.needs.push({ type: 'myReports' });
        return { kind: 'text', text: '', options: [] };
      }
      return { kind: 'text', text: reportStatusText(lang, report), options: [] };
    }
    default:
      throw new Error(`no view for ${screen.name}`);
  }
}

/** An amount as typed on a keypad: digits, maybe grouped with spaces, dots or commas (`3 000`, `1.500`). */
function parseAmount(input: string): number | undefined {
  const digits = input.replace(/[\s.,']/g, '');
  if (!/^\d{1,9}$/.test(digits)) return undefined;
  const amount = Number(digits);
  return amount > 0 ? amount : undefined;
}

function reportSummary(lang: Lang, draft: ReportAnswers): string {
  return t(lang, 'report.confirm.summary', {
    category: t(lang, `report.category.${draft.category}` as PromptKey),
    paid: t(lang, `report.paid.${draft.paid ?? 'no'}` as PromptKey),
    amount: draft.amount ? ` ${draft.amount} ${draft.currency ?? ''}`.trimEnd() : '',
    contact: draft.contact ?? t(lang, 'report.confirm.none'),
    callback: t(lang, draft.callback ? 'common.yes' : 'common.no'),
    share: t(lang, draft.share ? 'common.yes' : 'common.no'),
  });
}

/**
 * The report a confirmed flow makes. The contact typed is read for identifiers (the caller's own number excluded);
 * when none is recognised it is kept as free text so that nothing the caller typed is lost.
 */
export function reportFromAnswers(
  answers: ReportAnswers,
  lang: Lang,
  callerPhone: string,
  cardHash: (digits: string) => string,
): Omit<ReportDraft, 'urgency' | 'createdAt' | 'reporterKey'> {
  const identifiers = answers.contact ? extractIdentifiers(answers.contact, cardHash, callerPhone) : [];
  return {
    channel: 'ussd',
    lang,
    category: answers.category,
    paid: answers.paid ?? 'unknown',
    ...(answers.amount && answers.currency ? { amount: { value: answers.amount, currency: answers.currency } } : {}),
    ...(answers.contact && identifiers.length === 0 ? { freeText: answers.contact } : {}),
    identifiers,
    callbackConsent: answers.callback ?? false,
    ...(answers.share !== undefined ? { sharingConsent: answers.share } : {}),
  };
}
