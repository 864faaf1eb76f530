/**
 * The back-office console at /console: sign-in (OpenID Connect, shared/console/sign-in.ts), sessions in the table
 * behind a signed, HttpOnly, SameSite=Lax cookie (Secure on HTTPS), a CSRF token on every form, an idle timeout;
 * then the officers' cases, the partners' referrals, the analysts' dashboard and the administrators' directory.
 * Every request is authorised here, on the server, by role and by case; pages only leave out what a role cannot use.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
// The preset with PatternRouter: 6 KB less to load, and no router to compile at a container's first request (docs/decisions.md).
import { Hono } from 'hono/tiny';
import { bodyLimit } from 'hono/body-limit';
import { html } from 'hono/html';
import { deleteCookie, getCookie, getSignedCookie, setCookie, setSignedCookie } from 'hono/cookie';
import * as z from '../../shared/domain/zod';
import { actOnCase, caseQueue, openCase, type ActionResult, type CaseAction, type QueueFilters } from '../../shared/console/cases';
import { createReferral, partnerReferral, partnerReferrals, respondToReferral, type ReferralOutcome } from '../../shared/console/referrals';
import { SignInError } from '../../shared/console/sign-in';
import { isConsoleLang, type ConsoleLang } from '../../shared/console/texts';
import { can, homePath, type ConsoleUser, type Permission } from '../../shared/domain/console/access';
import { CASE_OUTCOMES } from '../../shared/domain/console/outcomes';
import { primeroCase } from '../../shared/domain/console/primero';
import { REFERRAL_SERVICES } from '../../shared/domain/console/referral';
import type { ConsoleSession } from '../../shared/domain/console/session';
import { LANGUAGES } from '../../shared/domain/prompts';
import { REPORT_CATEGORIES, REPORT_CHANNELS, REPORT_STATUSES, normaliseReference } from '../../shared/domain/report';
import type { ConsoleServices, Provider } from '../../shared/runtime';
import { casePage, queuePage } from './case-pages';
import { layout, tr, type ConsoleContext, type ConsoleEnv, type PageContext } from './layout';
import { partnerListPage, partnerReferralPage } from './referral-pages';
import { CONSOLE_CSS } from './styles';
import { dashboard } from '../../shared/console/dashboard';
import { dashboardCsv, dashboardPage } from './dashboard-pages';
import { DIRECTORY_KINDS, uploadDirectory, type DirectoryKind } from '../../shared/console/directory';
import { adminPage, type AdminView, type UploadOutcome } from './admin-pages';
import { studioRoutes } from './studio-pages';

export type { ConsoleContext } from './layout';
export type Env = ConsoleEnv;

const SIGN_IN_SECONDS = 600;
const LANG_COOKIE = 'safejob-console-lang';

const secure = (deps: ConsoleServices) => deps.consoleBaseUrl.startsWith('https:');
/** `__Host-` pins the cookie to this host and path `/`, only possible over HTTPS. */
const cookieName = (deps: ConsoleServices, name: string) => (secure(deps) ? `__Host-${name}` : name);
const cookieOptions = (deps: ConsoleServices, maxAge: number) =>
  ({ httpOnly: true, secure: secure(deps), sameSite: 'Lax', path: '/', maxAge }) as const;

/** The language chosen with the switch, else the browser's first that the console has, else English. */
function pickLang(c: Context): ConsoleLang {
  const chosen = getCookie(c, LANG_COOKIE);
  if (isConsoleLang(chosen)) return chosen;
  const asked = (c.req.header('Accept-Language') ?? '').split(',').map((part) => part.trim().split(/[-;]/)[0]!.toLowerCase());
  return asked.find(isConsoleLang) ?? 'en';
}

export function pageContext(c: ConsoleContext, flash?: PageContext['flash']): PageContext {
  const session = c.get('session');
  return { lang: c.get('lang'), user: session?.user, csrf: session?.csrf, path: new URL(c.req.url).pathname, flash };
}

/** A page with its status and the headers every console page carries (no caching, no framing, nothing external). */
export function render(c: ConsoleContext, markup: Parameters<ConsoleContext['html']>[0], status: 200 | 400 | 403 | 404 | 409 = 200) {
  return c.html(markup, status);
}

const param = (c: ConsoleContext, name: string): string => c.req.param(name) ?? '';

const sameToken = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Flash messages travel in the query of the redirect after a POST (post/redirect/get), as a text key. */
function redirectWith(c: ConsoleContext, path: string, flash: string, problem = false) {
  return c.redirect(`${path}?${problem ? 'problem' : 'done'}=${encodeURIComponent(flash)}`, 303);
}

export function flashOf(c: ConsoleContext): PageContext['flash'] {
  const done = c.req.query('done');
  const problem = c.req.query('problem');
  const key = problem ?? done;
  if (!key || !/^[\w.]+$/.test(key)) return undefined;
  return { text: tr({ lang: c.get('lang') }, `flash.${key}` as never), problem: problem !== undefined };
}

/** 403 with a page that says so. */
function forbidden(c: ConsoleContext) {
  return render(c, layout(pageContext(c), tr({ lang: c.get('lang') }, 'error.forbidden'), ''), 403);
}

export function requirePermission(permission: Permission) {
  return async (c: ConsoleContext, next: () => Promise<void>) => {
    if (!can(c.get('session').user, permission)) return forbidden(c);
    await next();
  };
}

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.pipe(z.transform((v) => (v === '' ? undefined : v)), z.optional(z.enum(values)));

const filtersSchema = z.object({
  q: z.pipe(z.transform((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, 100) : undefined)), z.optional(z.string())),
  status: optionalEnum(['open', 'all', ...REPORT_STATUSES] as const),
  channel: optionalEnum(REPORT_CHANNELS),
  category: optionalEnum(REPORT_CATEGORIES),
  lang: optionalEnum(LANGUAGES),
  level: z.pipe(
    z.transform((v) => (v === '' || v === undefined ? undefined : Number(v))),
    z.optional(z.number().check(z.int(), z.gte(1), z.lte(20))),
  ),
});

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const actionSchemas = {
  ack: z.pipe(z.object({}), z.transform((): CaseAction => ({ name: 'ack' }))),
  note: z.pipe(z.object({ text: text(500) }), z.transform(({ text }): CaseAction => ({ name: 'note', text }))),
  message: z.pipe(z.object({ text: text(300) }), z.transform(({ text }): CaseAction => ({ name: 'message', text }))),
  close: z.pipe(
    z.object({ outcome: z.enum(CASE_OUTCOMES), note: z.optional(z.string().check(z.trim(), z.maxLength(400))) }),
    z.transform(({ outcome, note }): CaseAction => ({ name: 'close', outcome, ...(note ? { note } : {}) })),
  ),
  reopen: z.pipe(z.object({}), z.transform((): CaseAction => ({ name: 'reopen' }))),
  sharing: z.pipe(z.object({ given: z.enum(['yes', 'no']) }), z.transform(({ given }): CaseAction => ({ name: 'sharing', given: given === 'yes' }))),
  assign: z.pipe(
    z.object({ officer: z.string().check(z.minLength(1), z.maxLength(100)) }),
    z.transform(({ officer }): CaseAction => ({ name: 'assign', officerKey: officer })),
  ),
  call: z.pipe(z.object({}), z.transform((): CaseAction => ({ name: 'call' }))),
} as const;

const referSchema = z.object({
  organisation: z.string().check(z.minLength(1), z.maxLength(60)),
  service: z.enum(REFERRAL_SERVICES),
  urgency: z.enum(['urgent', 'normal']),
  deadline: z.pipe(z.transform((v) => (v === '' ? undefined : v)), z.optional(z.iso.date())),
  notes: z.optional(z.string().check(z.trim(), z.maxLength(1000))),
  override: z.optional(z.string().check(z.trim(), z.maxLength(500))),
});

const partnerActionSchemas = {
  accept: z.pipe(z.object({}), z.transform(() => ({ name: 'accept' as const }))),
  reject: z.pipe(z.object({ reason: text(500) }), z.transform(({ reason }) => ({ name: 'reject' as const, reason }))),
  done: z.pipe(z.object({ note: text(1000) }), z.transform(({ note }) => ({ name: 'done' as const, note }))),
} as const;

/** The form's fields (the CSRF token already checked), as a plain object of strings. */
export async function formOf(c: ConsoleContext): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  return Object.fromEntries(Object.entries(body).filter(([key, value]) => key !== '_csrf' && typeof value === 'string')) as Record<string, string>;
}

export function createConsoleApp(getDeps: Provider<ConsoleServices>): Hono<Env> {
  const app = new Hono<Env>();

  app.use('/console/*', async (c, next) => {
    c.set('deps', await getDeps());
    c.set('lang', pickLang(c));
    await next();
    c.header('Cache-Control', 'no-store');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'same-origin');
    c.header(
      'Content-Security-Policy',
      // Scripts from the console itself only: the prompt studio's recorder (studio.js); takes play from blob: URLs.
      "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' https: blob:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    );
  });
  app.use('/console/*', bodyLimit({ maxSize: 2 * 1024 * 1024 }));

  app.get('/console/assets/console.css', (c) => c.body(CONSOLE_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' }));

  app.get('/console/language', (c) => {
    const lang = c.req.query('lang');
    const back = c.req.query('back') ?? '/console';
    if (isConsoleLang(lang)) setCookie(c, LANG_COOKIE, lang, { path: '/', sameSite: 'Lax', maxAge: 365 * 86_400, secure: secure(c.get('deps')) });
    return c.redirect(back.startsWith('/console') && !back.startsWith('//') ? back : '/console', 303);
  });

  // --- Sign-in -------------------------------------------------------------------------------------------------

  app.get('/console/login', async (c) => {
    const deps = c.get('deps');
    const returnTo = c.req.query('returnTo');
    const start = await deps.signIn.start();
    const id = randomBytes(32).toString('base64url');
    await deps.sessions.putSignIn({
      id,
      state: start.state,
      nonce: start.nonce,
      codeVerifier: start.codeVerifier,
      returnTo: returnTo?.startsWith('/console/') && !returnTo.startsWith('//') ? returnTo : '/console',
      expiresAt: Math.floor(deps.now() / 1000) + SIGN_IN_SECONDS,
    });
    await setSignedCookie(c, cookieName(deps, 'safejob-sign-in'), id, deps.config.console.sessionSecret!, cookieOptions(deps, SIGN_IN_SECONDS));
    return c.redirect(start.url.href, 302);
  });

  app.get('/console/callback', async (c) => {
    const deps = c.get('deps');
    const page: PageContext = { lang: c.get('lang'), path: '/console/callback' };
    const name = cookieName(deps, 'safejob-sign-in');
    const id = await getSignedCookie(c, deps.config.console.sessionSecret!, name);
    deleteCookie(c, name, { path: '/', secure: secure(deps) });
    const pending = typeof id === 'string' ? await deps.sessions.takeSignIn(id, deps.now()) : undefined;
    if (!pending) return c.html(layout(page, tr(page, 'signIn.expired'), signInAgain(page)), 400);
    let user: ConsoleUser;
    try {
      // The URL the issuer redirected to, on the console's own base (behind API Gateway the request URL may differ).
      const callback = new URL(`${deps.consoleBaseUrl}/console/callback${new URL(c.req.url).search}`);
      user = await deps.signIn.finish(callback, pending);
    } catch (error) {
      if (!(error instanceof SignInError)) throw error;
      deps.log.warn('console sign-in refused', { reason: error.message });
      return c.html(layout(page, tr(page, 'signIn.failed'), signInAgain(page)), 400);
    }
    const at = new Date(deps.now()).toISOString();
    if (user.roles.length === 0) {
      await deps.sessions.recordEvent({ at, action: 'sign_in_refused', actor: { key: `console:${user.email}`, name: user.name }, detail: { why: 'no_role' } });
      return c.html(layout(page, tr(page, 'signIn.noRole'), ''), 403);
    }
    const session: ConsoleSession = {
      id: randomBytes(32).toString('base64url'),
      user,
      csrf: randomBytes(32).toString('base64url'),
      createdAt: at,
      lastSeenAt: at,
      expiresAt: Math.floor(deps.now() / 1000) + deps.config.console.maxSessionSeconds,
    };
    await deps.sessions.create(session);
    await deps.sessions.recordEvent({ at, action: 'signed_in', actor: { key: `console:${user.email}`, name: user.name }, detail: { roles: user.roles } });
    await setSignedCookie(c, cookieName(deps, 'safejob-session'), session.id, deps.config.console.sessionSecret!, cookieOptions(deps, deps.config.console.maxSessionSeconds));
    return c.redirect(pending.returnTo === '/console' ? homePath(user) : pending.returnTo, 303);
  });

  // --- Every other console route needs a live session; every POST its CSRF token -------------------------------

  app.use('/console/*', async (c, next) => {
    const deps = c.get('deps');
    const id = await getSignedCookie(c, deps.config.console.sessionSecret!, cookieName(deps, 'safejob-session'));
    const session = typeof id === 'string' ? await deps.sessions.resume(id, deps.now(), deps.config.console.idleTimeoutSeconds) : undefined;
    if (!session) {
      if (c.req.method !== 'GET') return c.text(tr({ lang: c.get('lang') }, 'signIn.expired'), 401);
      const path = new URL(c.req.url).pathname;
      return c.redirect(`/console/login?returnTo=${encodeURIComponent(path)}`, 303);
    }
    c.set('session', session);
    if (c.req.method === 'POST') {
      const body = await c.req.parseBody();
      const token = typeof body._csrf === 'string' ? body._csrf : '';
      if (!sameToken(token, session.csrf)) return c.text('Forbidden: the form has expired; reload the page and try again', 403);
    }
    await next();
  });

  app.get('/console', (c) => c.redirect(homePath(c.get('session').user), 303));
  app.get('/console/no-access', (c) => render(c, layout(pageContext(c), tr({ lang: c.get('lang') }, 'signIn.noRole'), '')));

  app.post('/console/logout', async (c) => {
    const deps = c.get('deps');
    const session = c.get('session');
    await deps.sessions.remove(session.id);
    await deps.sessions.recordEvent({ at: new Date(deps.now()).toISOString(), action: 'signed_out', actor: { key: `console:${session.user.email}`, name: session.user.name } });
    deleteCookie(c, cookieName(deps, 'safejob-session'), { path: '/', secure: secure(deps) });
    const page: PageContext = { lang: c.get('lang'), path: '/console' };
    return c.html(layout(page, tr(page, 'signOut.done'), signInAgain(page)));
  });

  // --- Cases ---------------------------------------------------------------------------------------------------

  app.get('/console/cases', requirePermission('cases.work'), async (c) => {
    const parsed = filtersSchema.safeParse(c.req.query());
    const filters: QueueFilters = parsed.success ? parsed.data : {};
    const deps = c.get('deps');
    return render(c, queuePage(pageContext(c, flashOf(c)), await caseQueue(deps, filters), filters, deps.now()));
  });

  app.get('/console/cases/:reference', requirePermission('cases.work'), async (c) => {
    const deps = c.get('deps');
    const reference = normaliseReference(param(c, 'reference'));
    const detail = reference ? await openCase(deps, c.get('session').user, reference) : undefined;
    if (!detail) return render(c, layout(pageContext(c), tr({ lang: c.get('lang') }, 'error.unknownCase'), ''), 404);
    const { organisations } = await deps.partners.directory();
    return render(c, casePage(pageContext(c, flashOf(c)), detail, organisations));
  });

  app.get('/console/cases/:reference/export.json', requirePermission('cases.work'), async (c) => {
    const deps = c.get('deps');
    const reference = normaliseReference(param(c, 'reference'));
    const report = reference ? await deps.reports.getByReference(reference) : undefined;
    if (!report) return c.json({ error: 'unknown case' }, 404);
    const user = c.get('session').user;
    const officer = await deps.escalation.officers.findByEmail(user.email);
    await deps.escalation.escalations.audit(report.reference, new Date(deps.now()).toISOString(), 'exported', officer ? { key: officer.key, name: officer.name } : { key: `console:${user.email}`, name: user.name }, { format: 'primero' });
    c.header('Content-Disposition', `attachment; filename="case-${report.reference}.primero.json"`);
    return c.json(primeroCase(report, await deps.referrals.ofCase(report.reference)));
  });

  const ACTION_FLASH: Record<keyof typeof actionSchemas, string> = {
    ack: 'acknowledged',
    note: 'noted',
    message: 'messaged',
    close: 'closed',
    reopen: 'reopened',
    sharing: 'sharingRecorded',
    assign: 'assigned',
    call: 'called',
  };

  for (const name of Object.keys(actionSchemas) as (keyof typeof actionSchemas)[]) {
    app.post(`/console/cases/:reference/${name}`, requirePermission('cases.work'), async (c) => {
      const reference = normaliseReference(param(c, 'reference'));
      if (!reference) return c.text('Bad request: not a reference', 400);
      const parsed = actionSchemas[name].safeParse(await formOf(c));
      const back = `/console/cases/${reference}`;
      if (!parsed.success) return redirectWith(c, back, 'invalid', true);
      const result: ActionResult = await actOnCase(c.get('deps'), c.get('session').user, reference, parsed.data);
      return result.ok ? redirectWith(c, back, ACTION_FLASH[name]) : redirectWith(c, back, result.problem, true);
    });
  }

  app.post('/console/cases/:reference/refer', requirePermission('cases.work'), async (c) => {
    const reference = normaliseReference(param(c, 'reference'));
    if (!reference) return c.text('Bad request: not a reference', 400);
    const back = `/console/cases/${reference}`;
    const parsed = referSchema.safeParse(await formOf(c));
    if (!parsed.success) return redirectWith(c, back, 'invalid', true);
    const { organisation, service, urgency, deadline, notes, override } = parsed.data;
    const outcome: ReferralOutcome = await createReferral(c.get('deps'), c.get('session').user, reference, {
      organisationId: organisation,
      service,
      urgency,
      ...(deadline ? { deadline: `${deadline}T23:59:00.000Z` } : {}),
      ...(notes ? { notes } : {}),
      ...(override ? { overrideReason: override } : {}),
    });
    return outcome.ok ? redirectWith(c, back, 'referred') : redirectWith(c, back, outcome.problem, true);
  });

  app.post('/console/cases/:reference/referrals/:id/revoke', requirePermission('cases.work'), async (c) => {
    const reference = normaliseReference(param(c, 'reference'));
    if (!reference) return c.text('Bad request: not a reference', 400);
    const outcome = await respondToReferral(c.get('deps'), c.get('session').user, reference, param(c, 'id'), { name: 'revoke' });
    return outcome.ok ? redirectWith(c, `/console/cases/${reference}`, 'revoked') : redirectWith(c, `/console/cases/${reference}`, outcome.problem, true);
  });

  // --- Partners ------------------------------------------------------------------------------------------------

  app.get('/console/referrals', requirePermission('referrals.respond'), async (c) =>
    render(c, partnerListPage(pageContext(c, flashOf(c)), await partnerReferrals(c.get('deps'), c.get('session').user))),
  );

  app.get('/console/referrals/:reference/:id', requirePermission('referrals.respond'), async (c) => {
    const reference = normaliseReference(param(c, 'reference'));
    const found = reference ? await partnerReferral(c.get('deps'), c.get('session').user, reference, param(c, 'id')) : undefined;
    // Another organisation's referral is answered like one that does not exist.
    if (!found) return render(c, layout(pageContext(c), tr({ lang: c.get('lang') }, 'error.unknownReferral'), ''), 404);
    return render(c, partnerReferralPage(pageContext(c, flashOf(c)), found.referral, found.report));
  });

  for (const name of Object.keys(partnerActionSchemas) as (keyof typeof partnerActionSchemas)[]) {
    app.post(`/console/referrals/:reference/:id/${name}`, requirePermission('referrals.respond'), async (c) => {
      const reference = normaliseReference(param(c, 'reference'));
      if (!reference) return c.text('Bad request: not a reference', 400);
      const back = `/console/referrals/${reference}/${param(c, 'id')}`;
      const parsed = partnerActionSchemas[name].safeParse(await formOf(c));
      if (!parsed.success) return redirectWith(c, back, 'invalid', true);
      const outcome = await respondToReferral(c.get('deps'), c.get('session').user, reference, param(c, 'id'), parsed.data);
      if (!outcome.ok) return outcome.problem === 'forbidden' ? forbidden(c) : redirectWith(c, back, outcome.problem, true);
      return redirectWith(c, back, `referral_${name}`);
    });
  }

  // --- Analysts ------------------------------------------------------------------------------------------------

  const record = async (c: ConsoleContext, action: 'dashboard_viewed' | 'dashboard_exported', detail?: Record<string, string>) => {
    const { user } = c.get('session');
    const deps = c.get('deps');
    await deps.sessions.recordEvent({ at: new Date(deps.now()).toISOString(), action, actor: { key: `console:${user.email}`, name: user.name }, ...(detail ? { detail } : {}) });
  };

  app.get('/console/dashboard', requirePermission('analytics.read'), async (c) => {
    await record(c, 'dashboard_viewed');
    return render(c, dashboardPage(pageContext(c), await dashboard(c.get('deps'))));
  });

  app.get('/console/dashboard/:name{[a-z-]+\\.csv}', requirePermission('analytics.read'), async (c) => {
    const name = param(c, 'name').replace(/\.csv$/, '');
    const csv = dashboardCsv(await dashboard(c.get('deps')))[name];
    if (csv === undefined) return c.text('Not found', 404);
    await record(c, 'dashboard_exported', { table: name });
    return c.body(csv, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}.csv"` });
  });

  // --- Administrators ------------------------------------------------------------------------------------------

  const adminView = async (deps: ConsoleServices): Promise<AdminView> => {
    const [directory, entries, rota] = await Promise.all([deps.partners.directory(), deps.registryEntries.loadAll(), deps.escalation.officers.list()]);
    return { directory, registryEntries: entries.length, rota: { officers: rota.length, onDuty: rota.filter((o) => o.onDuty).length } };
  };

  app.get('/console/admin', requirePermission('directory.manage'), async (c) => render(c, adminPage(pageContext(c), await adminView(c.get('deps')))));

  app.post(`/console/admin/:kind{${DIRECTORY_KINDS.join('|')}}`, requirePermission('directory.manage'), async (c) => {
    const kind = param(c, 'kind') as DirectoryKind;
    const body = await c.req.parseBody();
    const file = body.file;
    const text = file instanceof File ? await file.text() : typeof body.csv === 'string' ? body.csv : '';
    const apply = body.mode === 'apply';
    const deps = c.get('deps');
    const result = await uploadDirectory(deps, c.get('session').user, kind, text, apply);
    const upload: UploadOutcome = result.ok ? { kind, diff: result.diff, applied: apply, text } : { kind, errors: result.errors };
    return render(c, adminPage(pageContext(c), await adminView(deps), upload), result.ok ? 200 : 400);
  });

  studioRoutes(app, { render, pageContext, flashOf, requirePermission });

  return app;
}

const signInAgain = (page: PageContext) => html`<p><a href="/console/login">${tr(page, 'signIn.again')}</a></p>`;
