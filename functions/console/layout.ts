/**
 * The page frame every console page shares: language, skip link, navigation by role, sign-out, the flash message.
 * Rendered on the server with hono/html (every interpolation escaped); no script but the prompt studio's recorder:
 * the console works without JavaScript.
 */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { can, type ConsoleUser } from '../../shared/domain/console/access';
import { CONSOLE_LANGS, ct, ctDynamic, type ConsoleLang, type ConsoleTextKey } from '../../shared/console/texts';
import type { Context } from 'hono';
import type { ConsoleSession } from '../../shared/domain/console/session';
import type { ConsoleServices } from '../../shared/runtime';

/** What every console request carries once past the session check (functions/console/app.ts). */
export type ConsoleEnv = { Variables: { deps: ConsoleServices; session: ConsoleSession; lang: ConsoleLang } };
export type ConsoleContext = Context<ConsoleEnv>;

export type Markup = HtmlEscapedString | Promise<HtmlEscapedString> | '';

export interface PageContext {
  lang: ConsoleLang;
  user?: ConsoleUser;
  csrf?: string;
  /** The current path, for the language switch. */
  path: string;
  flash?: { text: string; problem?: boolean };
}

export const tr = (page: Pick<PageContext, 'lang'>, key: ConsoleTextKey, vars?: Record<string, string | number>) => ct(page.lang, key, vars);
export const trd = (page: Pick<PageContext, 'lang'>, key: string, vars?: Record<string, string | number>) => ctDynamic(page.lang, key, vars);

/** The hidden field every form posts back: the session's CSRF token. */
export const csrfField = (page: PageContext) => html`<input type="hidden" name="_csrf" value="${page.csrf ?? ''}">`;

export function layout(page: PageContext, title: string, body: Markup): Markup {
  const { user } = page;
  const nav = user
    ? html`<nav aria-label="${tr(page, 'nav.label')}">
        ${can(user, 'cases.work') ? html`<a href="/console/cases">${tr(page, 'nav.cases')}</a>` : ''}
        ${can(user, 'referrals.respond') ? html`<a href="/console/referrals">${tr(page, 'nav.referrals')}</a>` : ''}
        ${can(user, 'analytics.read') ? html`<a href="/console/dashboard">${tr(page, 'nav.dashboard')}</a>` : ''}
        ${can(user, 'directory.manage') ? html`<a href="/console/admin">${tr(page, 'nav.admin')}</a>` : ''}
        ${can(user, 'prompts.record') ? html`<a href="/console/studio">${tr(page, 'nav.studio')}</a>` : ''}
      </nav>
      <div class="who">
        <span>${user.name} (${user.roles.map((role) => trd(page, `role.${role}`)).join(', ')})</span>
        <form method="post" action="/console/logout">${csrfField(page)}<button type="submit">${tr(page, 'nav.signOut')}</button></form>
      </div>`
    : '';
  return html`<!doctype html>
<html lang="${page.lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — ${tr(page, 'app.name')}</title><link rel="stylesheet" href="/console/assets/console.css"></head>
<body><a class="skip" href="#main">${tr(page, 'nav.skip')}</a>
<header><strong>${tr(page, 'app.name')}</strong>${nav}
<nav class="languages" aria-label="${tr(page, 'nav.languages')}">${CONSOLE_LANGS.filter((other) => other !== page.lang).map(
  (other) => html`<a href="/console/language?lang=${other}&amp;back=${encodeURIComponent(page.path)}" lang="${other}" hreflang="${other}">${ct(other, 'nav.languageName')}</a>`,
)}</nav></header>
<main id="main"><h1>${title}</h1>
${page.flash ? html`<p class="flash${page.flash.problem ? ' problem' : ''}" role="status">${page.flash.text}</p>` : ''}
${body}
</main></body></html>`;
}

export function dateTime(iso: string | undefined): string {
  return iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '—';
}
