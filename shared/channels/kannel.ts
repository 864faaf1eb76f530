/**
 * Kannel (bearerbox + smsbox in front of the operators' SMPP binds): parsing and authenticating what its
 * sms-services and delivery reports send, and rendering USSD replies for it (docs/kannel.md).
 *
 * Kannel URL-encodes the raw bytes of each escape (`%a` is UTF-8 after `mo-recode`, UCS-2 without it; `%D`'s TLV
 * values are bytes), so the query is decoded here byte-wise, not as UTF-8 text. Kannel signs nothing: every URL
 * of the sample kannel.conf carries `token=`, checked in constant time (requireQueryToken).
 */
import * as z from '../domain/zod';
import { isGsmText } from '../domain/screen';
import type { UssdReply, UssdSessionEvent } from '../domain/ussd';
import type { OutboundStatus } from '../ports';

/** Percent-decodes one `application/x-www-form-urlencoded` component into its bytes (`+` is a space). */
function percentBytes(component: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < component.length; i++) {
    const ch = component[i]!;
    if (ch === '+') bytes.push(0x20);
    else if (ch === '%' && /^[0-9a-fA-F]{2}$/.test(component.slice(i + 1, i + 3))) {
      bytes.push(parseInt(component.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(ch, 'utf8'));
  }
  return Buffer.from(bytes);
}

/** `a=1&b=%01` → each parameter's raw bytes (the first of a repeated name). */
export function rawParams(query: string): Map<string, Buffer> {
  const params = new Map<string, Buffer>();
  for (const pair of query.replace(/^\?/, '').split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const name = percentBytes(eq < 0 ? pair : pair.slice(0, eq)).toString('utf8');
    if (!params.has(name)) params.set(name, percentBytes(eq < 0 ? '' : pair.slice(eq + 1)));
  }
  return params;
}

/**
 * The parameters of a Kannel request: its query (`get-url`), with a POST's form fields over them, or a POST's
 * plain body as `text` (`post-url`, whose escapes stay in the query).
 */
export async function kannelParams(request: Request): Promise<Map<string, Buffer>> {
  const params = rawParams(new URL(request.url).search);
  if (request.method !== 'POST') return params;
  const body = Buffer.from(await request.arrayBuffer());
  if ((request.headers.get('content-type') ?? '').startsWith('application/x-www-form-urlencoded')) {
    for (const [name, value] of rawParams(body.toString('latin1'))) params.set(name, value);
  } else if (!params.has('text')) params.set('text', body);
  return params;
}

/** Kannel's `%c`: 0 GSM 7-bit, 1 8-bit data, 2 UCS-2. */
const CODINGS = ['0', '1', '2'] as const;

/** The charsets Kannel's `%C` names, as TextDecoder knows them. */
const CHARSETS: Record<string, string> = {
  'UTF-8': 'utf-8',
  'UTF-16BE': 'utf-16be',
  'UCS-2': 'utf-16be',
  'UCS-2BE': 'utf-16be',
  'ISO-8859-1': 'latin1',
  'WINDOWS-1252': 'windows-1252',
};

const text = (max: number) => z.string().check(z.maxLength(max));

/** What both of Kannel's MO services send (SMS and USSD), the text still in bytes. */
const moFields = z.lazy(() => z.object({
  /** `%p`: `+992…` for an international number (TON 1), digits otherwise. */
  from: z
    .string()
    .check(z.minLength(1, 'required'), z.maxLength(32), z.regex(/^\+?\d{5,15}$/, 'not a phone number (an alphanumeric sender cannot be answered)')),
  to: text(32).check(z.minLength(1, 'required')),
  /** `%I`: Kannel's own id of the message, the same on a retry of the same message. */
  id: text(100).check(z.minLength(1, 'required')),
  smsc: z.optional(text(40)),
  ts: z.optional(z.string().check(z.regex(/^\d{1,12}$/, 'a Unix time'))),
  coding: z.optional(z.enum(CODINGS, { error: 'not a Kannel coding (0, 1 or 2)' })),
  charset: z.optional(
    z
      .pipe(z.string(), z.transform((value) => value.toUpperCase()))
      .check(z.refine((value) => value in CHARSETS, { error: `not a charset Kannel sends (${Object.keys(CHARSETS).join(', ')})` })),
  ),
}));

/** The parameters as text (all but `text` are ASCII), for zod. */
function asStrings(params: Map<string, Buffer>, except: string[]): Record<string, string> {
  return Object.fromEntries([...params].filter(([name]) => !except.includes(name)).map(([name, value]) => [name, value.toString('utf8')]));
}

function badRequest(issues: z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`)
    .join('; ');
}

/**
 * The sender as E.164. Kannel gives `+992…` when the SMSC marked the number international, and the bare digits
 * otherwise: 12 digits from 992 are international, 9 are a Tajik national number.
 */
export function kannelFromNumber(from: string): string {
  if (from.startsWith('+')) return from;
  if (/^\d{9}$/.test(from)) return `+992${from}`;
  return `+${from}`;
}

/** The message text in its charset: UCS-2 when Kannel did not recode it (`mo-recode`), UTF-8 otherwise. */
function decodeText(bytes: Buffer, coding: string | undefined, charset: string | undefined): string | undefined {
  const name = charset ? CHARSETS[charset]! : coding === '2' ? 'utf-16be' : 'utf-8';
  try {
    return new TextDecoder(name, { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export interface KannelMo {
  from: string;
  to: string;
  id: string;
  smsc?: string;
  text: string;
}

type Parsed<T> = { ok: true; data: T } | { ok: false; reason: string };

function parseMo(params: Map<string, Buffer>): Parsed<KannelMo & { fields: Record<string, string> }> {
  const fields = asStrings(params, ['text', 'token']);
  const parsed = moFields.safeParse(fields);
  if (!parsed.success) return { ok: false, reason: badRequest(parsed.error.issues) };
  const { from, to, id, smsc, coding, charset } = parsed.data;
  const decoded = decodeText(params.get('text') ?? Buffer.alloc(0), coding, charset);
  if (decoded === undefined) return { ok: false, reason: `text: not valid ${charset ?? 'UTF-8'}` };
  if (decoded.length > 2000) return { ok: false, reason: 'text: too long' };
  return { ok: true, data: { from: kannelFromNumber(from), to, id, ...(smsc ? { smsc } : {}), text: decoded, fields } };
}

/** An inbound SMS from Kannel's sms-service (`from=%p&to=%P&text=%a&id=%I&smsc=%i&ts=%T&coding=%c&charset=%C`). */
export function parseKannelSms(params: Map<string, Buffer>): Parsed<KannelMo> {
  const parsed = parseMo(params);
  if (!parsed.ok) return parsed;
  const { fields: _fields, ...sms } = parsed.data;
  return { ok: true, data: sms };
}

/** A delivery report: `id` is the outbox message id we put in the dlr-url, `type` Kannel's `%d`. */
export const kannelDeliveryReportSchema = z.lazy(() => z.object({
  id: z.string().check(z.minLength(1), z.maxLength(200)),
  type: z.string().check(z.regex(/^\d{1,3}$/, 'a Kannel DLR type (%d)')),
}));

/**
 * Kannel's DLR types onto the outbox statuses: 1 delivered to the phone; 2 not delivered to the phone and 16 not
 * delivered to the SMSC (rejected) failed; 4 queued on the SMSC and 8 delivered to the SMSC are on their way.
 * Anything else is not a status we track (undefined: accepted and ignored).
 */
export function kannelDeliveryStatus(type: number): OutboundStatus | undefined {
  switch (type) {
    case 1:
      return 'delivered';
    case 2:
    case 16:
      return 'failed';
    case 4:
    case 8:
      return 'sent';
    default:
      return undefined;
  }
}

/**
 * SMPP USSD, as Kannel carries it: the `ussd_service_op` TLV (0x0501) says what the caller did, `its_session_info`
 * (0x1383) names the session and is echoed on every reply (SMPP 3.4 §5.3.2.43–44).
 */
export const USSD_OP = {
  /** PSSR indication: the caller dialled the code. */
  dialled: 1,
  /** USSR request: a menu, the caller may answer. */
  menu: 2,
  /** PSSR response: the last screen, the session ends. */
  final: 17,
  /** USSR confirm: the caller answered a menu. */
  answered: 18,
} as const;

/**
 * Kannel's `%D`: `?smpp?ussd_service_op=%01&its_session_info=*%01&`, groups of `?group?` then `name=value&…`, each
 * value URL-encoded bytes. Undefined when it is not in that form.
 */
export function parseMetaData(meta: string): Map<string, Map<string, Buffer>> | undefined {
  const groups = new Map<string, Map<string, Buffer>>();
  if (meta === '') return groups;
  const pattern = /\?([A-Za-z0-9_-]+)\?([^?]*)/y;
  let match: RegExpExecArray | null;
  let end = 0;
  while ((match = pattern.exec(meta)) !== null) {
    const values = new Map<string, Buffer>();
    for (const pair of match[2]!.split('&')) {
      if (!pair) continue;
      const eq = pair.indexOf('=');
      if (eq <= 0) return undefined;
      values.set(pair.slice(0, eq), percentBytes(pair.slice(eq + 1)));
    }
    groups.set(match[1]!, values);
    end = pattern.lastIndex;
  }
  return end === meta.length ? groups : undefined;
}

/** An integer TLV as Kannel passes it: its big-endian bytes, or (as some configurations write it) decimal text. */
function tlvInteger(bytes: Buffer): number | undefined {
  if (bytes.length === 0 || bytes.length > 4) return undefined;
  if (/^\d+$/.test(bytes.toString('latin1')) && bytes.length > 1) return Number(bytes.toString('latin1'));
  return bytes.reduce((value, byte) => value * 256 + byte, 0);
}

export interface KannelUssd extends KannelMo {
  op: typeof USSD_OP.dialled | typeof USSD_OP.answered;
  /** its_session_info's bytes, echoed on the reply (empty when the operator sent none). */
  sessionInfo: Buffer;
}

/**
 * A USSD message from Kannel's sms-service for the USSD bind (`…&meta=%D`): the caller dialled (op 1, `text` is
 * the code) or answered (op 18, `text` is this one input: SMPP sends no path).
 */
export function parseKannelUssd(params: Map<string, Buffer>): Parsed<KannelUssd> {
  const parsed = parseMo(params);
  if (!parsed.ok) return parsed;
  const meta = parseMetaData(parsed.data.fields.meta ?? '');
  const smpp = meta?.get('smpp');
  if (!smpp) return { ok: false, reason: 'meta: not Kannel SMPP meta-data (?smpp?ussd_service_op=…)' };
  const op = tlvInteger(smpp.get('ussd_service_op') ?? Buffer.alloc(0));
  if (op !== USSD_OP.dialled && op !== USSD_OP.answered) {
    return { ok: false, reason: `meta: ussd_service_op ${op ?? 'missing'} is not a dial (1) or an answer (18)` };
  }
  const sessionInfo = smpp.get('its_session_info') ?? Buffer.alloc(0);
  if (sessionInfo.length > 2) return { ok: false, reason: 'meta: its_session_info is longer than 2 octets' };
  const { fields: _fields, ...mo } = parsed.data;
  return { ok: true, data: { ...mo, text: mo.text.trim(), op, sessionInfo } };
}

/** What the caller did, for the session's path (domain/ussd/input-path.ts). */
export function ussdSessionEvent(message: KannelUssd): UssdSessionEvent {
  return message.op === USSD_OP.dialled
    ? { kind: 'dialled', messageId: message.id }
    : { kind: 'answered', messageId: message.id, input: message.text };
}

/**
 * The session a USSD message belongs to, per caller: its_session_info's first octet is the session number (the
 * second carries a sequence number that changes with every message).
 */
export function ussdSessionNumber(sessionInfo: Buffer): string {
  return sessionInfo.length > 0 ? sessionInfo[0]!.toString(16).padStart(2, '0') : '-';
}

/** its_session_info from a request's URL as far as it can be read (empty otherwise), to echo on an error screen. */
export function ussdSessionInfoOf(url: string): Buffer {
  const meta = rawParams(new URL(url).search).get('meta');
  const info = meta ? parseMetaData(meta.toString('latin1'))?.get('smpp')?.get('its_session_info') : undefined;
  return info && info.length <= 2 ? info : Buffer.alloc(0);
}

/** `?smpp?ussd_service_op=02&its_session_info=%2A%01`: what the reply's SMPP submit_sm carries. */
export function ussdReplyMetaData(reply: UssdReply, sessionInfo: Buffer): string {
  const op = String(reply.end ? USSD_OP.final : USSD_OP.menu).padStart(2, '0');
  const info = [...sessionInfo].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  return `?smpp?ussd_service_op=${op}${sessionInfo.length > 0 ? `&its_session_info=${info}` : ''}`;
}

/**
 * The most one USSD screen may hold through Kannel 1.4.5: smsbox cuts every message it sends to 140 octets (its
 * fixed SMS size; `max-messages = 1` truncates rather than splits), so 70 UCS-2 or 160 GSM characters, below what
 * an operator's USSD gateway accepts (160 octets). Smaller configured limits still apply.
 */
export const KANNEL_USSD_LIMITS = { gsm: 160, ucs2: 70 } as const;

/**
 * The HTTP answer to Kannel's USSD sms-service (`max-messages = 1`, `accept-x-kannel-headers = true`): the body
 * is the screen, the headers set its coding (UCS-2 for Cyrillic, else Kannel sends `?????`), the SMPP
 * service_type and TLVs. Kannel sends it back through the bind the message came from.
 */
export function kannelUssdResponse(reply: UssdReply, sessionInfo: Buffer): { body: string; headers: Record<string, string> } {
  return {
    body: reply.text,
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'X-Kannel-Coding': isGsmText(reply.text) ? '0' : '2',
      'X-Kannel-BInfo': 'USSD',
      'X-Kannel-Meta-Data': ussdReplyMetaData(reply, sessionInfo),
    },
  };
}
