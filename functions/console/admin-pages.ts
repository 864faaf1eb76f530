/**
 * The administrators' page: the partner directory, the registry's and the rota's sizes, and an upload for each of
 * the three CSV files (a dry run with the difference or every bad line, then apply).
 */
import { html } from 'hono/html';
import { DIRECTORY_KINDS, type DirectoryKind, type PartnerDirectoryView } from '../../shared/console/directory';
import { PARTNERS_CSV_HEADER } from '../../shared/console/partners-csv';
import type { DirectoryDiff } from '../../shared/domain/console/referral';
import { OFFICERS_CSV_HEADER_WITH_EMAIL } from '../../shared/escalation/officers-csv';
import { REGISTRY_CSV_HEADER } from '../../shared/registry/csv';
import { csrfField, layout, tr, trd, type Markup, type PageContext } from './layout';

export interface UploadOutcome {
  kind: DirectoryKind;
  errors?: { line: number; reason: string }[];
  diff?: DirectoryDiff;
  applied?: boolean;
  /** The file's text, carried to the apply form after a dry run. */
  text?: string;
}

export interface AdminView {
  directory: PartnerDirectoryView;
  registryEntries: number;
  rota: { officers: number; onDuty: number };
}

const HEADERS: Record<DirectoryKind, readonly string[]> = {
  partners: PARTNERS_CSV_HEADER,
  registry: REGISTRY_CSV_HEADER,
  rota: OFFICERS_CSV_HEADER_WITH_EMAIL,
};

const list = (items: string[]) => (items.length ? html`<ul>${items.map((item) => html`<li>${item}</li>`)}</ul>` : html`<p class="muted">—</p>`);

function uploadSection(page: PageContext, kind: DirectoryKind, summary: string, upload?: UploadOutcome): Markup {
  const mine = upload?.kind === kind ? upload : undefined;
  const action = `/console/admin/${kind}`;
  return html`<section class="card" aria-labelledby="h-upload-${kind}" id="upload-${kind}"><h2 id="h-upload-${kind}">${tr(page, `admin.upload.${kind}` as const)}</h2>
  <p>${summary}</p>
  <p class="muted">${tr(page, 'admin.header')} <code>${HEADERS[kind].join(',')}</code></p>
  ${mine?.errors ? html`<div class="flash problem" role="alert"><p>${tr(page, 'admin.invalid')}</p><ul>${mine.errors.map((e) => html`<li>${tr(page, 'admin.line', { line: e.line })}: ${e.reason}</li>`)}</ul></div>` : ''}
  ${mine?.diff
    ? html`<div class="diff" role="status"><h3>${tr(page, mine.applied ? 'admin.applied' : 'admin.dryRun')}</h3>
      <h4>${tr(page, 'admin.added')} (${mine.diff.added.length})</h4>${list(mine.diff.added)}
      <h4>${tr(page, 'admin.changed')} (${mine.diff.changed.length})</h4>${list(mine.diff.changed)}
      <h4>${tr(page, 'admin.missing')} (${mine.diff.missing.length})</h4>${list(mine.diff.missing)}
      ${mine.applied ? '' : html`<form method="post" action="${action}">${csrfField(page)}<input type="hidden" name="mode" value="apply">
        <textarea name="csv" hidden aria-hidden="true">${mine.text ?? ''}</textarea><button type="submit">${tr(page, 'admin.apply')}</button></form>`}</div>`
    : ''}
  <form method="post" action="${action}" enctype="multipart/form-data">${csrfField(page)}<input type="hidden" name="mode" value="check">
    <label for="file-${kind}">${tr(page, 'admin.file')}</label><input id="file-${kind}" name="file" type="file" accept=".csv,text/csv" required>
    <button type="submit">${tr(page, 'admin.check')}</button></form></section>`;
}

export function adminPage(page: PageContext, view: AdminView, upload?: UploadOutcome): Markup {
  const { directory } = view;
  const summaries: Record<DirectoryKind, string> = {
    partners: tr(page, 'admin.summary.partners', { organisations: directory.organisations.length, focalPoints: directory.focalPoints.length }),
    registry: tr(page, 'admin.summary.registry', { n: view.registryEntries }),
    rota: tr(page, 'admin.summary.rota', { n: view.rota.officers, onDuty: view.rota.onDuty }),
  };
  const body = html`
  <h2>${tr(page, 'admin.partners')}</h2>
  <table><thead><tr><th scope="col">${tr(page, 'referral.organisation')}</th><th scope="col">${tr(page, 'admin.kind')}</th><th scope="col">${tr(page, 'admin.services')}</th><th scope="col">${tr(page, 'admin.focalPoints')}</th></tr></thead>
  <tbody>${directory.organisations.map(
    (o) => html`<tr><td>${o.name} <span class="muted">(${o.id})</span></td><td>${o.kind}</td><td>${o.services.map((s) => trd(page, `service.${s}`)).join(', ')}</td>
    <td>${directory.focalPoints.filter((p) => p.organisationId === o.id).map((p) => `${p.name} <${p.email}>`).join('; ')}</td></tr>`,
  )}</tbody></table>
  <p class="muted">${tr(page, 'admin.neverDeletes')}</p>
  <div class="uploads">${DIRECTORY_KINDS.map((kind) => uploadSection(page, kind, summaries[kind], upload))}</div>`;
  return layout(page, tr(page, 'admin.title'), body);
}
