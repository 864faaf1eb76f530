/**
 * The analysts' figures, as pure functions of reports, their audit trails and referrals: counts, sums, medians and
 * percentiles only. Nothing here carries a reporter's number or words: identifiers are the scammer's (cards by
 * their last four digits), and the inputs are cut down to what the figures need before they get here.
 */
import { REPORT_CATEGORIES, REPORT_CHANNELS, toUsd, type Report } from '../report';
import { VERIFICATION_VERDICTS, type VerificationVerdict } from '../verify';
import type { Referral } from './referral';

/** The Monday (UTC) of the week an ISO time falls in, as YYYY-MM-DD. */
export function weekOf(iso: string): string {
  const day = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

/** The `p`-th percentile (0–100) by nearest rank; undefined for no values. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

export interface Series {
  /** Column labels (weeks, levels, organisations). */
  labels: string[];
  /** One row of numbers per series name, aligned with `labels`. */
  rows: { name: string; values: number[] }[];
}

/** Reports per week, split by `by`, over the weeks from `fromWeek` to `toWeek` (every week listed, zeros too). */
export function perWeek(reports: readonly Report[], by: 'channel' | 'category', fromWeek: string, toWeek: string): Series {
  const labels = weeksBetween(fromWeek, toWeek);
  const names: readonly string[] = by === 'channel' ? REPORT_CHANNELS : REPORT_CATEGORIES;
  const rows = names.map((name) => ({ name, values: labels.map(() => 0) }));
  for (const report of reports) {
    const column = labels.indexOf(weekOf(report.createdAt));
    const row = rows.find((r) => r.name === report[by]);
    if (column >= 0 && row) row.values[column]!++;
  }
  return { labels, rows };
}

/** Every week's Monday from `fromWeek` to `toWeek`, both included. */
function weeksBetween(fromWeek: string, toWeek: string): string[] {
  const labels: string[] = [];
  for (let week = new Date(`${fromWeek}T00:00:00Z`); week.toISOString().slice(0, 10) <= toWeek; week.setUTCDate(week.getUTCDate() + 7)) {
    labels.push(week.toISOString().slice(0, 10));
  }
  return labels;
}

export interface VerificationWeeks {
  /** Checks per week, one row per verdict (VERIFICATION_VERDICTS). */
  series: Series;
  totals: number[];
  /** Per week, the share (whole per cent) of checks answered "no record" or with a warning; undefined: no checks. */
  unknownOrWarningPercent: (number | undefined)[];
  /** The same over the whole window. */
  overallPercent: number | undefined;
}

const percentOf = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 100) : undefined);

/** Verifications per week from the daily counters: how many, and how many found nothing or a warning. */
export function verificationsPerWeek(
  days: readonly { day: string; verdicts: Record<VerificationVerdict, number> }[],
  fromWeek: string,
  toWeek: string,
): VerificationWeeks {
  const labels = weeksBetween(fromWeek, toWeek);
  const rows = VERIFICATION_VERDICTS.map((name) => ({ name: name as string, values: labels.map(() => 0) }));
  for (const { day, verdicts } of days) {
    const column = labels.indexOf(weekOf(day));
    if (column < 0) continue;
    VERIFICATION_VERDICTS.forEach((verdict, r) => (rows[r]!.values[column]! += verdicts[verdict]));
  }
  const totals = labels.map((_, i) => rows.reduce((sum, row) => sum + row.values[i]!, 0));
  const flagged = labels.map((_, i) => rows.filter((row) => row.name === 'unknown' || row.name === 'warning').reduce((sum, row) => sum + row.values[i]!, 0));
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    series: { labels, rows },
    totals,
    unknownOrWarningPercent: labels.map((_, i) => percentOf(flagged[i]!, totals[i]!)),
    overallPercent: percentOf(sum(flagged), sum(totals)),
  };
}

export interface Losses {
  reportsWithAmount: number;
  totalUsd: number;
  medianUsd: number | undefined;
  /** Only what was paid (`paid: yes`); amounts merely asked for are counted apart. */
  askedNotPaidUsd: number;
}

export function losses(reports: readonly Report[]): Losses {
  const paid = reports.filter((r) => r.amount && r.paid === 'yes').map((r) => toUsd(r.amount!));
  const asked = reports.filter((r) => r.amount && r.paid !== 'yes').map((r) => toUsd(r.amount!));
  const round = (n: number) => Math.round(n * 100) / 100;
  const median = percentile(paid, 50);
  return {
    reportsWithAmount: paid.length,
    totalUsd: round(paid.reduce((a, b) => a + b, 0)),
    medianUsd: median === undefined ? undefined : round(median),
    askedNotPaidUsd: round(asked.reduce((a, b) => a + b, 0)),
  };
}

export interface ReportedIdentifierRow {
  identifier: string;
  kind: string;
  reporters: number;
  reports: number;
  lastSeen: string;
  campaign: boolean;
}

/** The identifiers named most, by distinct reporters (keyed hashes, counted, never shown); campaigns at `threshold`+. */
export function topIdentifiers(reports: readonly Report[], threshold: number, limit = 10): ReportedIdentifierRow[] {
  const byId = new Map<string, { kind: string; label: string; reporters: Set<string>; reports: number; lastSeen: string }>();
  for (const report of reports) {
    for (const identifier of report.identifiers) {
      const label = identifier.kind === 'card' ? `****${identifier.last4}` : identifier.kind === 'handle' ? `@${identifier.value}` : identifier.value;
      const id = identifier.kind === 'card' ? `card:${identifier.hash}` : `${identifier.kind}:${identifier.value}`;
      const entry = byId.get(id) ?? { kind: identifier.kind, label, reporters: new Set<string>(), reports: 0, lastSeen: report.createdAt };
      entry.reporters.add(report.reporterKey);
      entry.reports++;
      if (report.createdAt > entry.lastSeen) entry.lastSeen = report.createdAt;
      byId.set(id, entry);
    }
  }
  return [...byId.values()]
    .map((e) => ({ identifier: e.label, kind: e.kind, reporters: e.reporters.size, reports: e.reports, lastSeen: e.lastSeen.slice(0, 10), campaign: e.reporters.size >= threshold }))
    .sort((a, b) => b.reporters - a.reporters || b.reports - a.reports || a.identifier.localeCompare(b.identifier))
    .slice(0, limit);
}

export interface AckTimes {
  /** The level that was paged last before the ACK (`supervisors` when nobody was on duty). */
  level: string;
  count: number;
  medianMinutes: number | undefined;
  p90Minutes: number | undefined;
}

/** Minutes from an urgent report to its acknowledgement, by the level that acknowledged it. */
export function timeToAcknowledge(acks: readonly { level: number | null; minutes: number }[]): AckTimes[] {
  const levels = [...new Set(acks.map((a) => (a.level === null ? 'supervisors' : String(a.level))))].sort();
  return levels.map((level) => {
    const minutes = acks.filter((a) => (a.level === null ? 'supervisors' : String(a.level)) === level).map((a) => a.minutes);
    return { level, count: minutes.length, medianMinutes: percentile(minutes, 50), p90Minutes: percentile(minutes, 90) };
  });
}

export interface ReferralTimes {
  organisation: string;
  referrals: number;
  answered: number;
  medianHours: number | undefined;
  overdue: number;
}

/** How fast each partner answers (accept or reject), and how many referrals went past their deadline unanswered. */
export function referralResponseTimes(referrals: readonly Referral[], nowMs: number): ReferralTimes[] {
  const byOrg = new Map<string, Referral[]>();
  for (const referral of referrals) byOrg.set(referral.organisationName, [...(byOrg.get(referral.organisationName) ?? []), referral]);
  return [...byOrg.entries()]
    .map(([organisation, list]) => {
      const hours = list.filter((r) => r.respondedAt).map((r) => (Date.parse(r.respondedAt!) - Date.parse(r.createdAt)) / 3_600_000);
      const median = percentile(hours, 50);
      return {
        organisation,
        referrals: list.length,
        answered: hours.length,
        medianHours: median === undefined ? undefined : Math.round(median * 10) / 10,
        overdue: list.filter((r) => !r.respondedAt && r.status === 'in_progress' && Date.parse(r.deadline) < nowMs).length,
      };
    })
    .sort((a, b) => a.organisation.localeCompare(b.organisation));
}

/** A CSV of a table (RFC 4180 quoting), for each chart's download. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | undefined)[])[]): string {
  const cell = (value: string | number | undefined) => {
    const text = value === undefined ? '' : String(value);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}
