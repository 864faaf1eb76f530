/**
 * One form POST to a provider's REST API with `fetch`, abandoned after PROVIDER_TIMEOUT_MS. The providers' SDKs
 * (twilio 3.2 MB; africastalking with axios, joi, lodash and a second phone library) cost the sms and outbox
 * bundles megabytes and hundreds of milliseconds of cold start for four form POSTs, so the adapters speak HTTP.
 * No keep-alive agent is configured: a socket kept across a frozen Lambda container is often dead on thaw.
 */
import { PROVIDER_TIMEOUT_MS } from '../ports';

export type ProviderAnswer =
  /** The provider answered: its status and its body, parsed as JSON when it is JSON. */
  | { answered: true; status: number; body: unknown }
  /** No answer: the connection failed or the provider did not answer in time. */
  | { answered: false; reason: string };

export async function postForm(url: string, form: Record<string, string>, headers: Record<string, string>): Promise<ProviderAnswer> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), PROVIDER_TIMEOUT_MS);
  const { signal } = abort;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form),
      signal,
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON (a proxy's error page, a plain "down"): kept as text.
    }
    return { answered: true, status: response.status, body };
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    return { answered: false, reason: signal.aborted ? `no answer within ${PROVIDER_TIMEOUT_MS} ms` : (cause ?? (error as Error).message) };
  } finally {
    clearTimeout(timer);
  }
}

/** HTTP Basic credentials, as Twilio's REST API takes its account SID and auth token. */
export const basicAuth = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
