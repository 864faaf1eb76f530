/**
 * The prompt studio in the console (docs/studio.md): the catalogue of one language, the prompts to record first,
 * a record button on each (studio.js: MediaRecorder, resampled to 8 kHz mono WAV in the browser), approval for
 * supervisors and administrators, and the voice artist's script. Takes and approvals are audited by the studio
 * (the table's STUDIO audit), with the signed-in person's name.
 */
import { html } from 'hono/html';
import type { Hono } from 'hono/tiny';
import * as z from '../../shared/domain/zod';
import { audioUrl } from '../../shared/channels/voice-speech';
import { can, type Permission } from '../../shared/domain/console/access';
import { PROMPTS, type Lang } from '../../shared/domain/prompts';
import { STUDIO_LANGUAGES, needsRecording, promptByNumber, type CatalogueEntry } from '../../shared/studio/catalogue';
import { recordingScript } from '../../shared/studio/script';
import { csrfField, dateTime, layout, tr, trd, type ConsoleContext, type ConsoleEnv, type Markup, type PageContext } from './layout';
import { STUDIO_JS } from './studio-script';

const langSchema = z.enum(STUDIO_LANGUAGES as [Lang, ...Lang[]]);

function studioPage(page: PageContext, lang: Lang, entries: readonly CatalogueEntry[], audioBaseUrl: string, approver: boolean): Markup {
  const mine = entries.filter((e) => e.lang === lang);
  const todo = mine.filter(needsRecording);
  const done = mine.filter((e) => !needsRecording(e));
  const row = (e: CatalogueEntry) => {
    const take = e.recording?.take;
    return html`<tr id="p-${e.number}"><td class="num">${e.number}</td><td><code>${e.key}</code></td>
    <td class="status${e.status === 'stale' ? ' urgent' : e.status === 'approved' ? ' ok' : ''}">${trd(page, `studio.status.${e.status}`)}</td>
    <td lang="${lang}">${e.text}</td>
    <td>${e.recording && !e.recording.placeholder ? html`<audio controls preload="none" src="${audioUrl(audioBaseUrl, e.recording.file)}"></audio>` : ''}
      ${take ? html`<br><span class="muted">${tr(page, 'studio.by', { name: take.recordedBy, at: dateTime(take.recordedAt), via: take.via })}</span>` : ''}</td>
    <td><div class="recorder" hidden data-upload="/console/studio/${lang}/${e.number}/take" data-csrf="${page.csrf ?? ''}"
        data-recording="${tr(page, 'studio.recording')}" data-saving="${tr(page, 'studio.saving')}" data-saved="${tr(page, 'studio.saved')}"
        data-failed="${tr(page, 'studio.failed')}" data-no-microphone="${tr(page, 'studio.noMicrophone')}">
        <button type="button" class="record">${tr(page, 'studio.record')}</button><button type="button" class="stop danger" hidden>${tr(page, 'studio.stop')}</button>
        <audio class="preview" controls hidden></audio><button type="button" class="save" hidden>${tr(page, 'studio.save')}</button>
        <span class="state" role="status"></span></div>
      ${approver && take && e.status === 'current'
        ? html`<form method="post" action="/console/studio/${lang}/${e.number}/approve">${csrfField(page)}<button type="submit" class="secondary">${tr(page, 'studio.approve')}</button></form>`
        : ''}</td></tr>`;
  };
  const table = (caption: string, rows: readonly CatalogueEntry[]) =>
    rows.length === 0
      ? ''
      : html`<table><caption>${caption}</caption><thead><tr><th scope="col">${tr(page, 'studio.number')}</th><th scope="col">${tr(page, 'studio.prompt')}</th>
        <th scope="col">${tr(page, 'studio.status')}</th><th scope="col">${tr(page, 'studio.text')}</th><th scope="col">${tr(page, 'studio.take')}</th><th scope="col"></th></tr></thead>
        <tbody>${rows.map(row)}</tbody></table>`;
  const body = html`<p>${tr(page, 'studio.intro')}</p>
  <nav aria-label="${tr(page, 'studio.languages')}"><p>${STUDIO_LANGUAGES.map((l) => (l === lang ? html`<strong>${PROMPTS[l]['lang.name']}</strong> ` : html`<a href="/console/studio?lang=${l}">${PROMPTS[l]['lang.name']}</a> `))}
    — <a href="/console/studio/script.csv?lang=${lang}" download>${tr(page, 'studio.script')}</a></p></nav>
  <p>${tr(page, 'studio.counts', { todo: todo.length, total: mine.length, approved: mine.filter((e) => e.status === 'approved').length })}</p>
  <p class="muted needs-script">${tr(page, 'studio.needsScript')}</p>
  ${table(tr(page, 'studio.todo'), todo)}${table(tr(page, 'studio.done'), done)}
  <script src="/console/assets/studio.js" defer></script>`;
  return layout(page, tr(page, 'studio.title'), body);
}

/** What the console app lends its pages' routes (functions/console/app.ts). */
export interface ConsoleHelpers {
  render(c: ConsoleContext, markup: Markup): Response | Promise<Response>;
  pageContext(c: ConsoleContext, flash?: PageContext['flash']): PageContext;
  flashOf(c: ConsoleContext): PageContext['flash'];
  requirePermission(permission: Permission): (c: ConsoleContext, next: () => Promise<void>) => Promise<Response | void>;
}

/** The studio's routes, on the console app (after its session and CSRF checks). */
export function studioRoutes(app: Hono<ConsoleEnv>, { render, pageContext, flashOf, requirePermission }: ConsoleHelpers): void {
  app.get('/console/assets/studio.js', (c) => c.body(STUDIO_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));

  const audioBase = (c: { get(key: 'deps'): ConsoleEnv['Variables']['deps'] }) => {
    const { config } = c.get('deps');
    return config.voice.audioBaseUrl ?? `${config.publicBaseUrl}/audio`;
  };

  app.get('/console/studio', requirePermission('prompts.record'), async (c) => {
    const lang = z.catch(langSchema, STUDIO_LANGUAGES[0]!).parse(c.req.query('lang'));
    const entries = await c.get('deps').studio.catalogue();
    return render(c, studioPage(pageContext(c, flashOf(c)), lang, entries, audioBase(c), can(c.get('session').user, 'prompts.approve')));
  });

  app.get('/console/studio/script.csv', requirePermission('prompts.record'), async (c) => {
    const lang = z.catch(z.optional(langSchema), undefined).parse(c.req.query('lang'));
    const csv = recordingScript(await c.get('deps').studio.catalogue(), lang);
    return c.body(csv, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="recording-script${lang ? `-${lang}` : ''}.csv"` });
  });

  const target = (c: { req: { param(name: string): string | undefined } }) => {
    const lang = langSchema.safeParse(c.req.param('lang'));
    const key = promptByNumber(Number(c.req.param('number')));
    return lang.success && key ? { lang: lang.data, key } : undefined;
  };

  app.post('/console/studio/:lang/:number/take', requirePermission('prompts.record'), async (c) => {
    const prompt = target(c);
    if (!prompt) return c.json({ ok: false, problem: 'unknown_prompt' }, 404);
    const { audio } = await c.req.parseBody();
    if (!(audio instanceof File)) return c.json({ ok: false, problem: 'no_audio' }, 400);
    const deps = c.get('deps');
    const outcome = await deps.studio.saveTake({ ...prompt, audio: new Uint8Array(await audio.arrayBuffer()), by: c.get('session').user.name, via: 'browser', requireTelephony: true });
    if (!outcome.ok) return c.json({ ok: false, problem: outcome.detail ?? outcome.problem }, outcome.problem === 'no_store' ? 503 : 400);
    return c.json({ ok: true, file: outcome.take.file, statusText: trd({ lang: c.get('lang') }, 'studio.status.current') });
  });

  app.post('/console/studio/:lang/:number/approve', requirePermission('prompts.approve'), async (c) => {
    const prompt = target(c);
    if (!prompt) return c.text('Bad request: no such prompt', 400);
    const approved = await c.get('deps').studio.approve(prompt.lang, prompt.key, c.get('session').user.name);
    return c.redirect(`/console/studio?lang=${prompt.lang}&${approved === 'approved' ? 'done=take_approved' : 'problem=take_not_current'}`, 303);
  });
}
