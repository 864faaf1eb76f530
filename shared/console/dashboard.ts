/** The analysts' dashboard: gathers the reports of the last 13 months and their trails, then the pure figures. */
import {
  losses,
  perWeek,
  referralResponseTimes,
  timeToAcknowledge,
  topIdentifiers,
  weekOf,
  type AckTimes,
  type Losses,
  type ReferralTimes,
  type ReportedIdentifierRow,
  type Series,
  type VerificationWeeks,
  verificationsPerWeek,
} from '../domain/console/analytics';
import type { QuizStatistics } from '../domain/quiz';
import type { ConsoleServices } from '../runtime';
import { sinceDays } from './cases';

/** Action Fraud's window: 13 months, so that a month can be compared with the same month a year before. */
export const DASHBOARD_WEEKS = 57;

export interface Dashboard {
  from: string;
  to: string;
  reports: number;
  byChannel: Series;
  byCategory: Series;
  losses: Losses;
  identifiers: ReportedIdentifierRow[];
  acknowledge: AckTimes[];
  referrals: ReferralTimes[];
  /** The pre-departure quiz across all takers: which scams people still fall for (counters, never answers). */
  quiz: QuizStatistics;
  /** Checks per week by what they found (daily counters, never a query or a number). */
  verifications: VerificationWeeks;
}

export async function dashboard(deps: ConsoleServices): Promise<Dashboard> {
  const now = deps.now();
  const from = weekOf(sinceDays(now, (DASHBOARD_WEEKS - 1) * 7));
  const to = weekOf(new Date(now).toISOString());
  const cases = await deps.reports.listCases(`${from}T00:00:00.000Z`);
  const reports = await deps.reports.getMany(cases.map((c) => c.reference));
  const urgent = reports.filter((r) => r.urgency.urgent);
  const [trails, referrals, quiz, checks] = await Promise.all([
    Promise.all(urgent.map(async (r) => ({ report: r, audit: await deps.escalation.escalations.listAudit(r.reference) }))),
    Promise.all(reports.map((r) => deps.referrals.ofCase(r.reference))),
    deps.quiz.quizStatistics(),
    // Days are the callers' (Dushanbe), a few hours ahead of UTC: the last day may be tomorrow in UTC.
    deps.verifications.days(from, new Date(now + 86_400_000).toISOString().slice(0, 10)),
  ]);
  const acks = trails.flatMap(({ report, audit }) => {
    const ack = audit.find((record) => record.action === 'ack');
    if (!ack) return [];
    const lastPage = audit.filter((record) => record.action === 'paged' && record.at <= ack.at).at(-1);
    const level = typeof lastPage?.detail?.level === 'number' ? lastPage.detail.level : null;
    return [{ level, minutes: Math.round((Date.parse(ack.at) - Date.parse(report.createdAt)) / 600) / 100 }];
  });
  return {
    from,
    to,
    reports: reports.length,
    byChannel: perWeek(reports, 'channel', from, to),
    byCategory: perWeek(reports, 'category', from, to),
    losses: losses(reports),
    identifiers: topIdentifiers(reports, deps.config.reports.campaignThreshold),
    acknowledge: timeToAcknowledge(acks),
    referrals: referralResponseTimes(referrals.flat(), now),
    quiz,
    verifications: verificationsPerWeek(checks, from, to),
  };
}
