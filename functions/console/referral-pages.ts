/** The partners' pages: their organisation's referrals, and one referral with the minimum of its case. */
import { html } from 'hono/html';
import type { PartnerCaseView } from '../../shared/console/referrals';
import type { Referral } from '../../shared/domain/console/referral';
import { reportFacts } from './case-pages';
import { csrfField, dateTime, layout, tr, trd, type Markup, type PageContext } from './layout';

export function partnerListPage(page: PageContext, referrals: Referral[]): Markup {
  const body = referrals.length === 0
    ? html`<p>${tr(page, 'partner.none')}</p>`
    : html`<table><thead><tr><th scope="col">${tr(page, 'case.reference')}</th><th scope="col">${tr(page, 'referral.service')}</th>
      <th scope="col">${tr(page, 'referral.urgency')}</th><th scope="col">${tr(page, 'referral.status')}</th><th scope="col">${tr(page, 'referral.deadline')}</th></tr></thead>
      <tbody>${referrals.map(
        (r) => html`<tr><td><a href="/console/referrals/${r.reference}/${r.id}">${r.reference}</a></td><td>${trd(page, `service.${r.service}`)}</td>
        <td>${r.urgency === 'urgent' ? html`<span class="urgent">${tr(page, 'case.urgent')}</span>` : tr(page, 'case.normal')}</td>
        <td>${trd(page, `referralStatus.${r.status}`)}</td><td>${dateTime(r.deadline)}</td></tr>`,
      )}</tbody></table>`;
  return layout(page, tr(page, 'partner.title'), body);
}

export function partnerReferralPage(page: PageContext, referral: Referral, report: PartnerCaseView): Markup {
  const post = (action: string) => `/console/referrals/${referral.reference}/${referral.id}/${action}`;
  const body = html`
  <p><a href="/console/referrals">← ${tr(page, 'partner.title')}</a></p>
  <dl>
    <dt>${tr(page, 'referral.status')}</dt><dd>${trd(page, `referralStatus.${referral.status}`)}</dd>
    <dt>${tr(page, 'referral.service')}</dt><dd>${trd(page, `service.${referral.service}`)}</dd>
    <dt>${tr(page, 'referral.deadline')}</dt><dd>${dateTime(referral.deadline)}</dd>
    <dt>${tr(page, 'referral.from')}</dt><dd>${referral.referredBy.name}, ${dateTime(referral.createdAt)}</dd>
    <dt>${tr(page, 'referral.notes')}</dt><dd>${referral.notes ?? '—'}</dd>
    ${reportFacts(page, report)}
    ${referral.rejectedReason ? html`<dt>${tr(page, 'partner.rejectedReason')}</dt><dd>${referral.rejectedReason}</dd>` : ''}
    ${referral.outcomeNote ? html`<dt>${tr(page, 'partner.outcome')}</dt><dd>${referral.outcomeNote}</dd>` : ''}
  </dl>
  <p class="muted">${tr(page, 'partner.minimum')}</p>
  <div class="actions">
  ${referral.status === 'in_progress'
    ? html`<form method="post" action="${post('accept')}">${csrfField(page)}<button type="submit">${tr(page, 'partner.accept')}</button></form>
      <form method="post" action="${post('reject')}">${csrfField(page)}<label for="reject-reason">${tr(page, 'partner.rejectReason')}</label>
      <textarea id="reject-reason" name="reason" required maxlength="500"></textarea><button type="submit" class="danger">${tr(page, 'partner.reject')}</button></form>`
    : ''}
  ${referral.status === 'accepted'
    ? html`<form method="post" action="${post('done')}">${csrfField(page)}<label for="done-note">${tr(page, 'partner.outcomeNote')}</label>
      <textarea id="done-note" name="note" required maxlength="1000"></textarea><button type="submit">${tr(page, 'partner.done')}</button></form>`
    : ''}
  </div>`;
  return layout(page, tr(page, 'partner.referralTitle', { reference: referral.reference }), body);
}
