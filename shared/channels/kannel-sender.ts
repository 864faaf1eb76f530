/**
 * Sending SMS through Kannel's sendsms CGI: one plain GET per message (Kannel has no SDK). Kannel answers
 * `202 0: Accepted for delivery` or `202 3: Queued for later delivery`; a 4xx is a refusal (bad credentials, a
 * number it will not route), 503 and other 5xx are worth another attempt. Delivery reports come back to
 * `/sms/kannel/delivery` with the outbox's message id, the only id Kannel's answer gives us (docs/kannel.md).
 */
import { mobileOperatorOf, type MobileOperator } from './mobile-operators';
import { isGsmText } from '../domain/screen';
import { PROVIDER_TIMEOUT_MS, type SendResult, type SmsSender } from '../ports';

export interface KannelSending {
  sendsmsUrl: string;
  username: string;
  password: string;
  from?: string;
  /** The Kannel smsc-id per operator, `*` for any other number; empty: Kannel's own routing. */
  smscRoutes: Partial<Record<MobileOperator | '*', string>>;
}

/**
 * Kannel's dlr-mask bits: 1 delivered to the phone, 2 not delivered to the phone, 4 queued on the SMSC,
 * 8 delivered to the SMSC, 16 not delivered to the SMSC.
 */
export const KANNEL_DLR_MASK = 1 | 2 | 4 | 8 | 16;

/** The smsc-id that reaches this number: its operator's bind, else the catch-all, else none (Kannel decides). */
export function kannelSmscFor(to: string, routes: KannelSending['smscRoutes']): string | undefined {
  const operator = mobileOperatorOf(to);
  return (operator && routes[operator]) ?? routes['*'];
}

/** The sendsms query for one message: Cyrillic as UTF-8 into UCS-2 (else Kannel sends `?????`), long texts concatenated. */
export function kannelSendsmsQuery(
  sending: KannelSending,
  to: string,
  text: string,
  delivery?: { url: string },
): URLSearchParams {
  const query = new URLSearchParams({ username: sending.username, password: sending.password, to, text, charset: 'UTF-8' });
  if (sending.from) query.set('from', sending.from);
  if (!isGsmText(text)) query.set('coding', '2');
  // Kannel splits a text longer than one SMS into a concatenated message when the sendsms-user allows it.
  const smsc = kannelSmscFor(to, sending.smscRoutes);
  if (smsc) query.set('smsc', smsc);
  if (delivery) {
    query.set('dlr-mask', String(KANNEL_DLR_MASK));
    query.set('dlr-url', delivery.url);
  }
  return query;
}

export function kannelSender(sending: KannelSending, webhooks: { publicBaseUrl: string; webhookToken?: string }): SmsSender {
  const deliveryUrl = (messageId: string) => {
    // %d is Kannel's own escape: the report's type, filled in when the report comes.
    const token = webhooks.webhookToken ? `&token=${encodeURIComponent(webhooks.webhookToken)}` : '';
    return `${webhooks.publicBaseUrl}/sms/kannel/delivery?id=${encodeURIComponent(messageId)}&type=%d${token}`;
  };
  return {
    provider: 'kannel',
    async send(to: string, text: string, messageId?: string): Promise<SendResult> {
      const query = kannelSendsmsQuery(sending, to, text, messageId ? { url: deliveryUrl(messageId) } : undefined);
      // Abandoned after PROVIDER_TIMEOUT_MS, like the other senders: a hanging Kannel must not hold the outbox.
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), PROVIDER_TIMEOUT_MS);
      let response: Response;
      let body: string;
      try {
        response = await fetch(`${sending.sendsmsUrl}?${query}`, { signal: abort.signal });
        body = (await response.text()).trim().slice(0, 200);
      } catch (error) {
        const reason = abort.signal.aborted ? `no answer within ${PROVIDER_TIMEOUT_MS} ms` : String((error as Error)?.message ?? error);
        return { ok: false, retryable: true, reason };
      } finally {
        clearTimeout(timer);
      }
      // 202 is Kannel's only acceptance (`0: Accepted for delivery`, `3: Queued for later delivery`); its answer
      // carries no id of its own, so the delivery reports find the message by ours.
      if (response.status === 202) return { ok: true, providerMessageId: messageId ?? `kannel-${Date.now().toString(36)}` };
      return { ok: false, retryable: response.status >= 500 || response.status === 429, reason: `HTTP ${response.status}: ${body}` };
    },
  };
}
