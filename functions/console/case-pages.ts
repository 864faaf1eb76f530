/** The officers' pages: the queue and a case (report, consents, timeline, audit, related cases, actions). */
import { html } from 'hono/html';
import type { CaseDetail, QueueFilters, QueueRow } from '../../shared/console/cases';
import { can } from '../../shared/domain/console/access';
import { CASE_OUTCOMES } from '../../shared/domain/console/outcomes';
import { REFERRAL_SERVICES, type PartnerOrganisation, type Referral } from '../../shared/domain/console/referral';
import { LANGUAGES } from '../../shared/domain/prompts';
import { REPORT_CATEGORIES, REPORT_CHANNELS, REPORT_STATUSES, type Identifier, type Report } from '../../shared/domain/report';
import { csrfField, dateTime, layout, tr, trd, type Markup, type PageContext } from './layout';

export const identifierLabel = (identifier: Identifier) =>
  identifier.kind === 'card' ? `****${identifier.last4}` : identifier.kind === 'handle' ? `@${identifier.value}` : identifier.value;

/** What the officer and the partner both see of a report (the partner only what was consented to share). */
export function reportFacts(
  page: PageContext,
  report: Pick<Report, 'urgency' | 'createdAt' | 'channel' | 'lang' | 'category' | 'paid' | 'amount' | 'identifiers'>,
): Markup {
  return html`<dt>${tr(page, 'case.urgency')}</dt><dd>${report.urgency.urgent ? html`<span class="urgent">${tr(page, 'case.urgent')}</span>: ${report.urgency.reasons.map((r) => trd(page, `reason.${r}`)).join(', ')}` : tr(page, 'case.normal')}</dd>
    <dt>${tr(page, 'case.received')}</dt><dd>${dateTime(report.createdAt)} · ${trd(page, `channel.${report.channel}`)} · ${trd(page, `language.${report.lang}`)}</dd>
    <dt>${tr(page, 'case.category')}</dt><dd>${trd(page, `category.${report.category}`)}</dd>
    <dt>${tr(page, 'case.paid')}</dt><dd>${trd(page, `paid.${report.paid}`)}</dd>
    <dt>${tr(page, 'case.amount')}</dt><dd>${amountLabel(report)}</dd>
    <dt>${tr(page, 'case.identifiers')}</dt><dd>${report.identifiers.length ? report.identifiers.map(identifierLabel).join(', ') : '—'}</dd>`;
}

export const amountLabel = (report: Pick<Report, 'amount'>) => (report.amount ? `${report.amount.value.toLocaleString('en')} ${report.amount.currency}` : '—');

function ageLabel(page: PageContext, createdAt: string, now: number): string {
  const hours = Math.max(0, Math.floor((now - Date.parse(createdAt)) / 3_600_000));
  return hours < 48 ? tr(page, 'age.hours', { n: hours }) : tr(page, 'age.days', { n: Math.floor(hours / 24) });
}

const select = (page: PageContext, name: string, label: string, values: readonly string[], chosen: string | undefined, prefix: string) => html`
  <div><label for="f-${name}">${label}</label><select id="f-${name}" name="${name}">
    <option value="">${tr(page, 'filter.any')}</option>
    ${values.map((value) => html`<option value="${value}"${chosen === value ? ' selected' : ''}>${trd(page, `${prefix}${value}`)}</option>`)}
  </select></div>`;

export function queuePage(page: PageContext, rows: QueueRow[], filters: QueueFilters, now: number): Markup {
  const body = html`
  <form class="filters" method="get" action="/console/cases" role="search">
    <div><label for="f-q">${tr(page, 'filter.search')}</label><input id="f-q" name="q" value="${filters.q ?? ''}" placeholder="7K3R9M, +992…, @handle"></div>
    ${select(page, 'status', tr(page, 'filter.status'), ['open', 'all', ...REPORT_STATUSES], filters.status === 'open' ? undefined : filters.status, 'status.')}
    ${select(page, 'channel', tr(page, 'filter.channel'), REPORT_CHANNELS, filters.channel, 'channel.')}
    ${select(page, 'category', tr(page, 'filter.category'), REPORT_CATEGORIES, filters.category, 'category.')}
    ${select(page, 'lang', tr(page, 'filter.language'), LANGUAGES, filters.lang, 'language.')}
    ${select(page, 'level', tr(page, 'filter.level'), ['1', '2', '3', '4'], filters.level?.toString(), 'level.')}
    <button type="submit">${tr(page, 'filter.apply')}</button>
  </form>
  <p>${tr(page, 'queue.count', { n: rows.length })}</p>
  <table><caption class="muted">${tr(page, 'queue.caption')}</caption>
  <thead><tr><th scope="col">${tr(page, 'case.reference')}</th><th scope="col">${tr(page, 'case.urgency')}</th><th scope="col">${tr(page, 'case.age')}</th>
  <th scope="col">${tr(page, 'case.category')}</th><th scope="col">${tr(page, 'case.amount')}</th><th scope="col">${tr(page, 'case.channel')}</th>
  <th scope="col">${tr(page, 'case.status')}</th><th scope="col">${tr(page, 'case.handler')}</th></tr></thead>
  <tbody>${rows.map(
    ({ report, state }) => html`<tr>
    <td><a href="/console/cases/${report.reference}">${report.reference}</a></td>
    <td>${report.urgency.urgent ? html`<span class="urgent">${tr(page, 'case.urgent')}</span>` : tr(page, 'case.normal')}</td>
    <td>${ageLabel(page, report.createdAt, now)}</td><td>${trd(page, `category.${report.category}`)}</td>
    <td class="num">${amountLabel(report)}</td><td>${trd(page, `channel.${report.channel}`)}</td>
    <td>${trd(page, `status.${report.status}`)}${state?.status === 'paging' ? html` <span class="urgent">(${tr(page, 'case.paging', { level: state.level ?? '—' })})</span>` : ''}</td>
    <td>${state?.acknowledgedBy?.name ?? '—'}</td></tr>`,
  )}</tbody></table>`;
  return layout(page, tr(page, 'queue.title'), body);
}

function auditLine(page: PageContext, record: CaseDetail['audit'][number]): Markup {
  const detail = Object.entries(record.detail ?? {})
    .filter(([key]) => !['status', 'step', 'officerKey', 'referral'].includes(key))
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') : String(value)}`)
    .join('; ');
  return html`<li><time datetime="${record.at}">${dateTime(record.at)}</time> — <strong>${trd(page, `audit.${record.action}`)}</strong>
    ${record.actor ? html` · ${record.actor.name}` : ''}${detail ? html` · <span class="muted">${detail}</span>` : ''}</li>`;
}

function referralRows(page: PageContext, referrals: Referral[], reference: string): Markup {
  if (referrals.length === 0) return html`<p>${tr(page, 'referral.none')}</p>`;
  return html`<table><thead><tr><th scope="col">${tr(page, 'referral.organisation')}</th><th scope="col">${tr(page, 'referral.service')}</th>
  <th scope="col">${tr(page, 'referral.status')}</th><th scope="col">${tr(page, 'referral.deadline')}</th><th scope="col">${tr(page, 'referral.feedback')}</th><th scope="col"></th></tr></thead>
  <tbody>${referrals.map(
    (r) => html`<tr><td>${r.organisationName}</td><td>${trd(page, `service.${r.service}`)}</td>
    <td>${trd(page, `referralStatus.${r.status}`)}${r.consent.basis === 'override' ? html` <span class="muted">(${tr(page, 'referral.overridden')})</span>` : ''}</td>
    <td>${dateTime(r.deadline)}</td>
    <td>${r.outcomeNote ? html`<span class="ok">${r.outcomeNote}</span>` : r.rejectedReason ? html`<span class="urgent">${r.rejectedReason}</span>` : '—'}</td>
    <td>${r.status === 'in_progress' || r.status === 'accepted'
      ? html`<form method="post" action="/console/cases/${reference}/referrals/${r.id}/revoke">${csrfField(page)}<button class="secondary" type="submit">${tr(page, 'referral.revoke')}</button></form>`
      : ''}</td></tr>`,
  )}</tbody></table>`;
}

export function casePage(page: PageContext, detail: CaseDetail, organisations: PartnerOrganisation[]): Markup {
  const { report, state, sharing } = detail;
  const user = page.user!;
  const ref = report.reference;
  const post = (action: string) => `/console/cases/${ref}/${action}`;
  const closed = report.status === 'closed';
  // Later urgent reports of this reporter held by their hourly limit: listed here (the audit's related_report), unpaged.
  const listed = [...new Set(detail.audit.filter((record) => record.action === 'related_report').map((record) => String(record.detail?.related)))];
  const sharingText = sharing ? (sharing.given ? tr(page, 'consent.sharing.given') : tr(page, 'consent.sharing.refused')) : tr(page, 'consent.sharing.unknown');
  const body = html`
  <p><a href="/console/cases">← ${tr(page, 'queue.title')}</a> · <a href="/console/cases/${ref}/export.json">${tr(page, 'case.export')}</a></p>
  <h2>${tr(page, 'case.report')}</h2>
  <dl>
    <dt>${tr(page, 'case.status')}</dt><dd>${trd(page, `status.${report.status}`)}${state?.acknowledgedBy ? html` — ${tr(page, 'case.heldBy', { name: state.acknowledgedBy.name })}` : ''}</dd>
    ${reportFacts(page, report)}
    ${report.escalationHeld ? html`<dt>${tr(page, 'case.escalation')}</dt><dd><span class="urgent">${tr(page, 'case.held.notPaged')}</span> ${tr(page, 'case.held.listedTo')} <a href="/console/cases/${report.escalationHeld.case}">${report.escalationHeld.case}</a></dd>` : ''}
    <dt>${tr(page, 'case.words')}</dt><dd>${report.freeText ?? '—'}</dd>
    ${report.recordingUrl ? html`<dt>${tr(page, 'case.recording')}</dt><dd><audio controls preload="none" src="${report.recordingUrl}"></audio> <a href="${report.recordingUrl}">${tr(page, 'case.recordingLink')}</a></dd>` : ''}
    <dt>${tr(page, 'consent.callback')}</dt><dd>${report.callbackConsent ? (detail.callbackAvailable ? tr(page, 'consent.callback.yes') : tr(page, 'consent.callback.expired')) : tr(page, 'consent.callback.no')}</dd>
    <dt>${tr(page, 'consent.sharing')}</dt><dd>${sharingText}${sharing?.recordedBy ? html` <span class="muted">(${sharing.recordedBy.name}, ${dateTime(sharing.at)})</span>` : ''}</dd>
  </dl>
  <h2>${tr(page, 'case.actions')}</h2>
  <div class="actions">
    ${!closed && !state?.acknowledgedBy ? html`<form method="post" action="${post('ack')}">${csrfField(page)}<p>${tr(page, 'action.ack.help')}</p><button type="submit">${tr(page, 'action.ack')}</button></form>` : ''}
    ${closed ? '' : html`<form method="post" action="${post('assign')}">${csrfField(page)}<label for="assign-officer">${tr(page, 'action.assign')}</label>
      <select id="assign-officer" name="officer" required>${detail.officers.map((o) => html`<option value="${o.key}"${state?.acknowledgedBy?.key === o.key ? ' selected' : ''}>${o.name} (${tr(page, 'action.assign.level', { level: o.level })}${o.role === 'supervisor' ? `, ${trd(page, 'role.supervisor')}` : ''})</option>`)}</select>
      <p class="muted">${tr(page, 'action.assign.help')}</p><button type="submit">${tr(page, 'action.assign.save')}</button></form>`}
    ${detail.callbackAvailable && !closed ? html`<form method="post" action="${post('call')}">${csrfField(page)}<p>${tr(page, 'action.call.help')}</p><button type="submit">${tr(page, 'action.call')}</button></form>` : ''}
    <form method="post" action="${post('note')}">${csrfField(page)}<label for="note-text">${tr(page, 'action.note')}</label><textarea id="note-text" name="text" required maxlength="500"></textarea><button type="submit">${tr(page, 'action.note.save')}</button></form>
    ${detail.callbackAvailable ? html`<form method="post" action="${post('message')}">${csrfField(page)}<label for="message-text">${tr(page, 'action.message')}</label><textarea id="message-text" name="text" required maxlength="300"></textarea><button type="submit">${tr(page, 'action.message.send')}</button></form>` : ''}
    <form method="post" action="${post('sharing')}">${csrfField(page)}<fieldset><legend>${tr(page, 'action.sharing')}</legend>
      <label><input type="radio" name="given" value="yes" required> ${tr(page, 'action.sharing.yes')}</label>
      <label><input type="radio" name="given" value="no"> ${tr(page, 'action.sharing.no')}</label></fieldset>
      <button type="submit">${tr(page, 'action.sharing.save')}</button></form>
    ${closed
      ? html`<form method="post" action="${post('reopen')}">${csrfField(page)}<button type="submit" class="secondary">${tr(page, 'action.reopen')}</button></form>`
      : html`<form method="post" action="${post('close')}">${csrfField(page)}<label for="close-outcome">${tr(page, 'action.close.outcome')}</label>
      <select id="close-outcome" name="outcome" required>${CASE_OUTCOMES.map((o) => html`<option value="${o}">${trd(page, `outcome.${o}`)}</option>`)}</select>
      <label for="close-note">${tr(page, 'action.close.note')}</label><textarea id="close-note" name="note" maxlength="400"></textarea>
      <button type="submit" class="danger">${tr(page, 'action.close')}</button></form>`}
  </div>
  <h2>${tr(page, 'referral.title')}</h2>
  ${referralRows(page, detail.referrals, ref)}
  ${closed ? '' : html`<form method="post" action="${post('refer')}" class="actions">${csrfField(page)}
    <div><label for="refer-org">${tr(page, 'referral.organisation')}</label><select id="refer-org" name="organisation" required>
      ${organisations.map((o) => html`<option value="${o.id}">${o.name}</option>`)}</select></div>
    <div><label for="refer-service">${tr(page, 'referral.service')}</label><select id="refer-service" name="service" required>
      ${REFERRAL_SERVICES.map((s) => html`<option value="${s}">${trd(page, `service.${s}`)}</option>`)}</select></div>
    <div><label for="refer-urgency">${tr(page, 'referral.urgency')}</label><select id="refer-urgency" name="urgency">
      <option value="${report.urgency.urgent ? 'urgent' : 'normal'}">${tr(page, report.urgency.urgent ? 'case.urgent' : 'case.normal')}</option>
      <option value="${report.urgency.urgent ? 'normal' : 'urgent'}">${tr(page, report.urgency.urgent ? 'case.normal' : 'case.urgent')}</option></select></div>
    <div><label for="refer-deadline">${tr(page, 'referral.deadline')}</label><input id="refer-deadline" name="deadline" type="date" aria-describedby="deadline-help"><p id="deadline-help" class="muted">${tr(page, 'referral.deadline.help')}</p></div>
    <div><label for="refer-notes">${tr(page, 'referral.notes')}</label><textarea id="refer-notes" name="notes" maxlength="1000"></textarea></div>
    ${can(user, 'cases.supervise') && !sharing?.given ? html`<div><label for="refer-override">${tr(page, 'referral.override')}</label><textarea id="refer-override" name="override" maxlength="500"></textarea></div>` : ''}
    <div>${sharing?.given ? '' : html`<p class="muted">${tr(page, 'referral.needsConsent')}</p>`}<button type="submit">${tr(page, 'referral.send')}</button></div>
  </form>`}
  <h2>${tr(page, 'case.related')}</h2>
  ${detail.related.some((r) => r.references.length > 0)
    ? html`<ul>${detail.related.filter((r) => r.references.length > 0).map((r) => html`<li>${identifierLabel(r.identifier)}: ${r.references.map((other) => html`<a href="/console/cases/${other}">${other}</a> `)}</li>`)}</ul>`
    : html`<p>${tr(page, 'case.related.none')}</p>`}
  ${listed.length > 0 ? html`<h2>${tr(page, 'case.listed')}</h2>
  <p class="muted">${tr(page, 'case.listed.help')}</p>
  <ul>${listed.map((other) => html`<li><a href="/console/cases/${other}">${other}</a></li>`)}</ul>` : ''}
  <h2>${tr(page, 'case.timeline')}</h2>
  <ol class="timeline">${detail.audit.map((record) => auditLine(page, record))}</ol>`;
  return layout(page, tr(page, 'case.title', { reference: ref }), body);
}
