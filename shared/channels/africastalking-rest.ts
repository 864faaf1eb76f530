/**
 * Africa's Talking's REST API as the sender and the CALL bridge use it: a form POST with the `apiKey` header to
 * the messaging or the voice host, the sandbox's when the username is `sandbox` (as the SDK chooses).
 */
import { postForm, type ProviderAnswer } from './provider-http';

export interface AfricasTalkingAccount {
  username: string;
  apiKey: string;
}

const sandboxed = (account: AfricasTalkingAccount) => account.username.toLowerCase() === 'sandbox';

export const africasTalkingUrls = (account: AfricasTalkingAccount) => {
  const domain = sandboxed(account) ? 'sandbox.africastalking.com' : 'africastalking.com';
  return { messaging: `https://api.${domain}/version1/messaging`, call: `https://voice.${domain}/call` };
};

export function postToAfricasTalking(account: AfricasTalkingAccount, url: string, form: Record<string, string>): Promise<ProviderAnswer> {
  return postForm(url, { username: account.username, ...form }, { apiKey: account.apiKey });
}
