/**
 * The analysts' dashboard: each figure as an SVG chart drawn here on the server (no script, no CDN), its numbers as a
 * table beside it, and a CSV download of that table.
 */
import { html } from 'hono/html';
import type { Dashboard } from '../../shared/console/dashboard';
import { toCsv, type Series } from '../../shared/domain/console/analytics';
import { USD_RATES } from '../../shared/domain/report';
import { layout, tr, trd, type Markup, type PageContext } from './layout';

const PALETTE = ['#0b4f8a', '#b35900', '#1d5e20', '#6b2d8f', '#8a1c1c'];

/** Stacked weekly bars, one colour per series, with a text alternative. */
function weeklyChart(page: PageContext, series: Series, prefix: string, title: string): Markup {
  const width = 760;
  const height = 200;
  const barWidth = Math.max(2, Math.floor((width - 40) / Math.max(1, series.labels.length)) - 1);
  const totals = series.labels.map((_, i) => series.rows.reduce((sum, row) => sum + row.values[i]!, 0));
  const max = Math.max(1, ...totals);
  const bars = series.labels.flatMap((label, i) => {
    let y = height - 20;
    return series.rows.map((row, r) => {
      const h = Math.round((row.values[i]! / max) * (height - 40));
      y -= h;
      return h > 0 ? html`<rect x="${30 + i * (barWidth + 1)}" y="${y}" width="${barWidth}" height="${h}" fill="${PALETTE[r % PALETTE.length]}"><title>${label} ${trd(page, `${prefix}${row.name}`)}: ${row.values[i]}</title></rect>` : '';
    });
  });
  const legend = series.rows.map(
    (row, r) => html`<rect x="${30 + r * 150}" y="${height - 12}" width="10" height="10" fill="${PALETTE[r % PALETTE.length]}"></rect><text x="${44 + r * 150}" y="${height - 3}" font-size="11">${trd(page, `${prefix}${row.name}`)}</text>`,
  );
  return html`<svg class="chart" role="img" aria-label="${title}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">
    <text x="2" y="14" font-size="11">${max}</text><line x1="28" y1="20" x2="28" y2="${height - 20}" stroke="#444"></line>${bars}${legend}</svg>`;
}

function seriesTable(page: PageContext, series: Series, prefix: string): Markup {
  const active = series.labels.map((_, i) => i).filter((i) => series.rows.some((row) => row.values[i]! > 0));
  return html`<details><summary>${tr(page, 'dashboard.numbers')}</summary><table><thead><tr><th scope="col">${tr(page, 'dashboard.week')}</th>
    ${series.rows.map((row) => html`<th scope="col" class="num">${trd(page, `${prefix}${row.name}`)}</th>`)}</tr></thead>
    <tbody>${active.map((i) => html`<tr><th scope="row">${series.labels[i]}</th>${series.rows.map((row) => html`<td class="num">${row.values[i]}</td>`)}</tr>`)}</tbody></table>
    <p class="muted">${tr(page, 'dashboard.emptyWeeks')}</p></details>`;
}

const missedPercent = (q: { answered: number; missed: number }) => (q.answered ? Math.round((q.missed / q.answered) * 100) : 0);

const csvLink = (page: PageContext, name: string) => html`<p><a href="/console/dashboard/${name}.csv" download>${tr(page, 'dashboard.csv')}</a></p>`;

/** Every figure's table as CSV, by download name. */
export function dashboardCsv(data: Dashboard): Record<string, string> {
  const weekly = (series: Series) => toCsv(['week', ...series.rows.map((r) => r.name)], series.labels.map((label, i) => [label, ...series.rows.map((r) => r.values[i]!)]));
  return {
    'reports-by-channel': weekly(data.byChannel),
    'reports-by-category': weekly(data.byCategory),
    losses: toCsv(['reports_with_amount_paid', 'total_usd', 'median_usd', 'asked_not_paid_usd', 'rates_as_of'], [
      [data.losses.reportsWithAmount, data.losses.totalUsd, data.losses.medianUsd, data.losses.askedNotPaidUsd, USD_RATES.asOf],
    ]),
    identifiers: toCsv(['identifier', 'kind', 'reporters', 'reports', 'last_seen', 'campaign'], data.identifiers.map((r) => [r.identifier, r.kind, r.reporters, r.reports, r.lastSeen, r.campaign ? 'yes' : 'no'])),
    acknowledge: toCsv(['level', 'acknowledged', 'median_minutes', 'p90_minutes'], data.acknowledge.map((r) => [r.level, r.count, r.medianMinutes, r.p90Minutes])),
    referrals: toCsv(['organisation', 'referrals', 'answered', 'median_hours_to_answer', 'overdue'], data.referrals.map((r) => [r.organisation, r.referrals, r.answered, r.medianHours, r.overdue])),
    quiz: toCsv(['question', 'answered', 'missed', 'missed_percent'], data.quiz.questions.map((q) => [q.id, q.answered, q.missed, missedPercent(q)])),
    verifications: toCsv(
      ['week', 'checks', ...data.verifications.series.rows.map((r) => r.name), 'unknown_or_warning_percent'],
      data.verifications.series.labels.map((label, i) => [label, data.verifications.totals[i], ...data.verifications.series.rows.map((r) => r.values[i]), data.verifications.unknownOrWarningPercent[i]]),
    ),
  };
}

function verificationsCard(page: PageContext, data: Dashboard): Markup {
  const { series, totals, unknownOrWarningPercent, overallPercent } = data.verifications;
  const value = (name: string, i: number) => series.rows.find((row) => row.name === name)!.values[i];
  const active = series.labels.map((_, i) => i).filter((i) => totals[i]! > 0);
  return html`<section class="card" aria-labelledby="h-checks"><h2 id="h-checks">${tr(page, 'dashboard.verifications')}</h2>
    <p id="checks-summary">${overallPercent === undefined ? tr(page, 'dashboard.verifications.none') : tr(page, 'dashboard.verifications.summary', { n: totals.reduce((a, b) => a + b, 0), percent: overallPercent })}</p>
    ${weeklyChart(page, series, 'verdict.', tr(page, 'dashboard.verifications'))}
    <details><summary>${tr(page, 'dashboard.numbers')}</summary><table><thead><tr><th scope="col">${tr(page, 'dashboard.week')}</th><th scope="col" class="num">${tr(page, 'dashboard.verifications.checks')}</th>
    <th scope="col" class="num">${trd(page, 'verdict.warning')}</th><th scope="col" class="num">${trd(page, 'verdict.unknown')}</th><th scope="col" class="num">${tr(page, 'dashboard.verifications.share')}</th></tr></thead>
    <tbody>${active.map((i) => html`<tr><th scope="row">${series.labels[i]}</th><td class="num">${totals[i]}</td><td class="num">${value('warning', i)}</td><td class="num">${value('unknown', i)}</td><td class="num">${unknownOrWarningPercent[i]}%</td></tr>`)}</tbody></table>
    <p class="muted">${tr(page, 'dashboard.emptyWeeks')}</p></details>
    <p class="muted">${tr(page, 'dashboard.verifications.note')}</p>${csvLink(page, 'verifications')}</section>`;
}

export function dashboardPage(page: PageContext, data: Dashboard): Markup {
  const body = html`
  <p>${tr(page, 'dashboard.window', { from: data.from, to: data.to, n: data.reports })}</p>
  <p class="muted">${tr(page, 'dashboard.privacy')}</p>
  <div class="cards">
  <section class="card" aria-labelledby="h-channel"><h2 id="h-channel">${tr(page, 'dashboard.byChannel')}</h2>
    ${weeklyChart(page, data.byChannel, 'channel.', tr(page, 'dashboard.byChannel'))}${seriesTable(page, data.byChannel, 'channel.')}${csvLink(page, 'reports-by-channel')}</section>
  <section class="card" aria-labelledby="h-category"><h2 id="h-category">${tr(page, 'dashboard.byCategory')}</h2>
    ${weeklyChart(page, data.byCategory, 'category.', tr(page, 'dashboard.byCategory'))}${seriesTable(page, data.byCategory, 'category.')}${csvLink(page, 'reports-by-category')}</section>
  ${verificationsCard(page, data)}
  <section class="card" aria-labelledby="h-losses"><h2 id="h-losses">${tr(page, 'dashboard.losses')}</h2>
    <table><tbody>
    <tr><th scope="row">${tr(page, 'dashboard.losses.count')}</th><td class="num" id="losses-count">${data.losses.reportsWithAmount}</td></tr>
    <tr><th scope="row">${tr(page, 'dashboard.losses.total')}</th><td class="num" id="losses-total">${data.losses.totalUsd.toFixed(2)}</td></tr>
    <tr><th scope="row">${tr(page, 'dashboard.losses.median')}</th><td class="num">${data.losses.medianUsd?.toFixed(2) ?? '—'}</td></tr>
    <tr><th scope="row">${tr(page, 'dashboard.losses.asked')}</th><td class="num">${data.losses.askedNotPaidUsd.toFixed(2)}</td></tr></tbody></table>
    <p class="muted">${tr(page, 'dashboard.losses.rates', { date: USD_RATES.asOf })}</p>${csvLink(page, 'losses')}</section>
  <section class="card" aria-labelledby="h-ids"><h2 id="h-ids">${tr(page, 'dashboard.identifiers')}</h2>
    <table><thead><tr><th scope="col">${tr(page, 'dashboard.identifier')}</th><th scope="col" class="num">${tr(page, 'dashboard.reporters')}</th><th scope="col">${tr(page, 'dashboard.lastSeen')}</th></tr></thead>
    <tbody>${data.identifiers.map((r) => html`<tr><td>${r.identifier}${r.campaign ? html` <strong class="urgent">${tr(page, 'dashboard.campaign')}</strong>` : ''}</td><td class="num">${r.reporters}</td><td>${r.lastSeen}</td></tr>`)}</tbody></table>
    ${csvLink(page, 'identifiers')}</section>
  <section class="card" aria-labelledby="h-ack"><h2 id="h-ack">${tr(page, 'dashboard.acknowledge')}</h2>
    <table><thead><tr><th scope="col">${tr(page, 'dashboard.level')}</th><th scope="col" class="num">${tr(page, 'dashboard.count')}</th><th scope="col" class="num">${tr(page, 'dashboard.median')}</th><th scope="col" class="num">p90</th></tr></thead>
    <tbody>${data.acknowledge.map((r) => html`<tr><td>${r.level}</td><td class="num">${r.count}</td><td class="num">${r.medianMinutes ?? '—'}</td><td class="num">${r.p90Minutes ?? '—'}</td></tr>`)}</tbody></table>
    ${csvLink(page, 'acknowledge')}</section>
  <section class="card" aria-labelledby="h-ref"><h2 id="h-ref">${tr(page, 'dashboard.referrals')}</h2>
    <table><thead><tr><th scope="col">${tr(page, 'referral.organisation')}</th><th scope="col" class="num">${tr(page, 'dashboard.count')}</th><th scope="col" class="num">${tr(page, 'dashboard.answered')}</th><th scope="col" class="num">${tr(page, 'dashboard.medianHours')}</th><th scope="col" class="num">${tr(page, 'dashboard.overdue')}</th></tr></thead>
    <tbody>${data.referrals.map((r) => html`<tr><td>${r.organisation}</td><td class="num">${r.referrals}</td><td class="num">${r.answered}</td><td class="num">${r.medianHours ?? '—'}</td><td class="num">${r.overdue}</td></tr>`)}</tbody></table>
    ${csvLink(page, 'referrals')}</section>
  <section class="card" aria-labelledby="h-quiz"><h2 id="h-quiz">${tr(page, 'dashboard.quiz')}</h2>
    <p id="quiz-takings">${tr(page, 'dashboard.quiz.takings', { attempts: data.quiz.attempts, passes: data.quiz.passes })}</p>
    <table><thead><tr><th scope="col">${tr(page, 'dashboard.quiz.question')}</th><th scope="col" class="num">${tr(page, 'dashboard.answered')}</th><th scope="col" class="num">${tr(page, 'dashboard.quiz.missed')}</th></tr></thead>
    <tbody>${[...data.quiz.questions].sort((a, b) => missedPercent(b) - missedPercent(a)).map((q) => html`<tr><td>${q.id}</td><td class="num">${q.answered}</td><td class="num">${missedPercent(q)}%</td></tr>`)}</tbody></table>
    ${csvLink(page, 'quiz')}</section>
  </div>`;
  return layout(page, tr(page, 'dashboard.title'), body);
}
