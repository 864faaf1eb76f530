/**
 * The local stand-in for Cognito: an OpenID provider (oidc-provider) started inside `npm start` on its own port,
 * like dynalite, with the fictional sample accounts below. The console signs in to it through the same code as to
 * Cognito (shared/console/sign-in.ts). Nothing here is deployed: on AWS the stack's Cognito user pool is the issuer
 * and these accounts do not exist.
 */
import { generateKeyPairSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';
import type { ConsoleRole } from '../shared/domain/console/access';

/** The password of every sample account: fictional accounts for trying the console on a laptop. */
export const SAMPLE_PASSWORD = 'sample-password';

export interface SampleAccount {
  email: string;
  name: string;
  roles: ConsoleRole[];
}

/**
 * The sample accounts: the officer is the rota's level-1 sample officer and the supervisor its sample supervisor
 * (data/officers.sample.csv); the partner is the focal point of the sample police cybercrime unit
 * (data/partners.sample.csv).
 */
export const SAMPLE_ACCOUNTS: readonly SampleAccount[] = [
  { email: 'officer@sample.test', name: 'Aziz Rahimov (SAMPLE)', roles: ['officer'] },
  { email: 'supervisor@sample.test', name: 'Malika Yusupova (SAMPLE)', roles: ['supervisor'] },
  { email: 'partner@sample.test', name: 'Lt. Sobir Karimov (SAMPLE)', roles: ['partner'] },
  { email: 'analyst@sample.test', name: 'Nigora Azimova (SAMPLE)', roles: ['analyst'] },
  { email: 'admin@sample.test', name: 'Timur Sharipov (SAMPLE)', roles: ['admin'] },
];

export interface LocalOidcProvider {
  issuer: string;
  stop(): Promise<void>;
}

export interface LocalOidcOptions {
  port: number;
  clientId: string;
  /** The console's callback URL, the only one the client may be sent back to. */
  redirectUri: string;
  /** The claim the console reads roles from (Cognito's `cognito:groups` by default). */
  rolesClaim: string;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

function passwordMatches(given: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(SAMPLE_PASSWORD);
  return a.length === b.length && timingSafeEqual(a, b);
}

function loginPage(uid: string, failed: boolean, email = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in — local identity provider</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#111}
label{display:block;margin-top:1rem;font-weight:600}input{font:inherit;width:100%;padding:.5rem;border:1px solid #555;border-radius:4px}
button{margin-top:1.25rem;font:inherit;padding:.5rem 1.25rem;background:#0b4f8a;color:#fff;border:0;border-radius:4px}
.error{color:#a00000;font-weight:600}.note{color:#444;font-size:.9rem}</style></head><body>
<h1>SafeJob sign-in</h1><p class="note">Local identity provider (stands in for Cognito). Sample accounts only.</p>
${failed ? '<p class="error" role="alert">Wrong e-mail or password.</p>' : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label for="email">E-mail / Эл. почта</label><input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(email)}">
<label for="password">Password / Пароль</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in / Войти</button></form></body></html>`;
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 10_000) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startLocalOidcProvider(options: LocalOidcOptions): Promise<LocalOidcProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const issuer = `http://localhost:${(server.address() as AddressInfo).port}`;
  const accounts = new Map(SAMPLE_ACCOUNTS.map((account) => [account.email, account]));
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

  const configuration: Configuration = {
    clients: [
      {
        client_id: options.clientId,
        token_endpoint_auth_method: 'none',
        redirect_uris: [options.redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
    ],
    pkce: { required: () => true },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    jwks: { keys: [{ ...signingKey, kid: 'local', use: 'sig', alg: 'RS256' } as never] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', options.rolesClaim] },
    // Like Cognito: the ID token itself carries the e-mail, name and groups.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: () => ({ sub, email: account.email, email_verified: true, name: account.name, [options.rolesClaim]: account.roles }),
      };
    },
    // The console is first-party: no consent screen, the grant is made at once.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);
  const handleOidc = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, post: boolean): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    if (!post) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(loginPage(uid, false));
      return;
    }
    const form = await formBody(req);
    const email = (form.get('email') ?? '').trim().toLowerCase();
    if (!accounts.has(email) || !passwordMatches(form.get('password') ?? '')) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(loginPage(uid, true, email));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: email } }, { mergeWithLastSubmission: false });
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(new URL(req.url ?? '/', issuer).pathname);
    if (!match) {
      handleOidc(req, res);
      return;
    }
    const post = req.method === 'POST' && match[2] === '/login';
    interaction(req, res, match[1]!, post).catch(() => {
      if (!res.headersSent) res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('This sign-in has expired or is not valid. Start again from the console.');
    });
  });

  return {
    issuer,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
