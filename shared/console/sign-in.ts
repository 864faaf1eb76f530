/**
 * Signing in to the console: OpenID Connect, authorization code with PKCE, through openid-client. The same code
 * runs against Cognito on AWS and the embedded provider of `npm start` (infra/local-oidc.ts); only the issuer
 * differs. The console is a public client (no client secret to keep): PKCE, state and nonce bind the answer to the
 * browser that asked, and the ID token's signature, issuer, audience and nonce are checked by the library.
 */
import * as oidc from 'openid-client';
import { rolesFromGroups, type ConsoleUser } from '../domain/console/access';

export interface SignInSettings {
  issuer: string;
  clientId: string;
  /** The console's callback, exactly as registered at the issuer. */
  redirectUri: string;
  rolesClaim: string;
}

export interface SignInStart {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export class SignInError extends Error {}

export class OidcSignIn {
  private configuration?: Promise<oidc.Configuration>;

  constructor(private readonly settings: SignInSettings) {}

  /** The issuer's metadata, discovered once per container (retried after a failure). */
  private discover(): Promise<oidc.Configuration> {
    const insecure = new URL(this.settings.issuer).protocol === 'http:';
    this.configuration ??= oidc
      .discovery(new URL(this.settings.issuer), this.settings.clientId, undefined, oidc.None(), {
        // Only the embedded local provider speaks plain HTTP (on localhost); a deployed issuer is HTTPS.
        ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
      })
      .catch((error: unknown) => {
        this.configuration = undefined;
        throw error;
      });
    return this.configuration;
  }

  async start(): Promise<SignInStart> {
    const configuration = await this.discover();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.settings.redirectUri,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      // Every console session starts with the password (and MFA): an idle or signed-out session is not silently
      // renewed by the identity provider's own session.
      prompt: 'login',
    });
    return { url, state, nonce, codeVerifier };
  }

  /** The person the issuer vouches for, from the callback's URL and the checks kept since `start`. */
  async finish(callbackUrl: URL, checks: Pick<SignInStart, 'state' | 'nonce' | 'codeVerifier'>): Promise<ConsoleUser> {
    const configuration = await this.discover();
    let claims: oidc.IDToken | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (error) {
      throw new SignInError(error instanceof Error ? error.message : String(error));
    }
    if (!claims || typeof claims.email !== 'string') throw new SignInError('the ID token names no e-mail address');
    const email = claims.email.toLowerCase();
    const name = typeof claims.name === 'string' && claims.name.trim() !== '' ? claims.name : email;
    return { sub: claims.sub, email, name, roles: rolesFromGroups(claims[this.settings.rolesClaim]) };
  }
}
