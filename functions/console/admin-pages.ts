/** The administrators' page: the partner directory, and its CSV upload (dry run with the difference, then apply). */
import { html } from 'hono/html';
import type { PartnerDirectoryView } from '../../shared/console/directory';
import type { DirectoryDiff } from '../../shared/domain/console/referral';
import { PARTNERS_CSV_HEADER } from '../../shared/console/partners-csv';
import { csrfField, layout, tr, trd, type Markup, type PageContext } from './layout';

export interface UploadOutcome {
  errors?: { line: number; reason: string }[];
  diff?: DirectoryDiff;
  applied?: boolean;
  /** The file's text, carried to the apply form after a dry run. */
  text?: string;
}

const list = (items: string[]) => (items.length ? html`<ul>${items.map((item) => html`<li>${item}</li>`)}</ul>` : html`<p class="muted">—</p>`);

export function adminPage(page: PageContext, directory: PartnerDirectoryView, upload?: UploadOutcome): Markup {
  const body = html`
  <h2>${tr(page, 'admin.partners')}</h2>
  <table><thead><tr><th scope="col">${tr(page, 'referral.organisation')}</th><th scope="col">${tr(page, 'admin.kind')}</th><th scope="col">${tr(page, 'admin.services')}</th><th scope="col">${tr(page, 'admin.focalPoints')}</th></tr></thead>
  <tbody>${directory.organisations.map(
    (o) => html`<tr><td>${o.name} <span class="muted">(${o.id})</span></td><td>${o.kind}</td><td>${o.services.map((s) => trd(page, `service.${s}`)).join(', ')}</td>
    <td>${directory.focalPoints.filter((p) => p.organisationId === o.id).map((p) => `${p.name} <${p.email}>`).join('; ')}</td></tr>`,
  )}</tbody></table>
  <h2>${tr(page, 'admin.upload')}</h2>
  <p class="muted">${tr(page, 'admin.header')} <code>${PARTNERS_CSV_HEADER.join(',')}</code></p>
  ${upload?.errors ? html`<div class="flash problem" role="alert"><p>${tr(page, 'admin.invalid')}</p><ul>${upload.errors.map((e) => html`<li>${tr(page, 'admin.line', { line: e.line })}: ${e.reason}</li>`)}</ul></div>` : ''}
  ${upload?.diff
    ? html`<section aria-labelledby="h-diff" class="card"><h3 id="h-diff">${tr(page, upload.applied ? 'admin.applied' : 'admin.dryRun')}</h3>
      <h4>${tr(page, 'admin.added')}</h4>${list(upload.diff.added)}<h4>${tr(page, 'admin.changed')}</h4>${list(upload.diff.changed)}
      <h4>${tr(page, 'admin.missing')}</h4>${list(upload.diff.missing)}
      ${upload.applied ? '' : html`<form method="post" action="/console/admin/partners">${csrfField(page)}<input type="hidden" name="mode" value="apply">
        <textarea name="csv" hidden>${upload.text ?? ''}</textarea><button type="submit">${tr(page, 'admin.apply')}</button></form>`}</section>`
    : ''}
  <form method="post" action="/console/admin/partners" enctype="multipart/form-data">${csrfField(page)}<input type="hidden" name="mode" value="check">
    <label for="partners-file">${tr(page, 'admin.file')}</label><input id="partners-file" name="file" type="file" accept=".csv,text/csv" required>
    <button type="submit">${tr(page, 'admin.check')}</button></form>`;
  return layout(page, tr(page, 'admin.title'), body);
}
