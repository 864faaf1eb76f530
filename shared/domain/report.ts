/**
 * Fraud reports as pure functions: the report model, what is read out of a victim's free text (the scammer's
 * identifiers and the amount), triage, references and the next step shown for STATUS. No I/O: the shell supplies
 * the keyed card hash, the counts it looked up and the random source.
 */
import * as z from './zod';
import { normalisePhone, parsePhone } from './phone';
import { lazy } from './lazy';
import { LANGUAGES } from './prompts';
import { normaliseWebsite } from './registry';

export const REPORT_CHANNELS = ['ussd', 'sms', 'voice'] as const;
export const REPORT_CATEGORIES = ['job_offer', 'visa_documents', 'fee_requested', 'abroad_in_trouble', 'other'] as const;
/** `about_to_pay`: "not yet, they are asking me to pay". */
export const PAID_ANSWERS = ['yes', 'about_to_pay', 'no', 'unknown'] as const;
export const CURRENCIES = ['TJS', 'USD', 'RUB', 'GBP'] as const;
export const REPORT_STATUSES = ['received', 'in_review', 'escalated', 'acknowledged', 'referred', 'closed'] as const;
/** Why a report is urgent, stored with it; listed in the order triage reports them. */
export const URGENCY_REASONS = [
  'about_to_pay',
  'abroad_in_trouble',
  'documents_held',
  'threats',
  'trafficking_indicators',
  'large_amount',
  'campaign',
  /** It names an official contact of a licensed agency: someone may be using the agency's name or number. */
  'impersonation',
] as const;

/**
 * How long a story offered as a report by SMS waits for the sender's YES: long enough to read the offer and answer, short
 * enough that a later YES (to something else) does not file a message the sender no longer has in mind.
 */
export const HELD_REPORT_MINUTES = 30;

export type ReportChannel = (typeof REPORT_CHANNELS)[number];
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];
export type PaidAnswer = (typeof PAID_ANSWERS)[number];
export type Currency = (typeof CURRENCIES)[number];
export type ReportStatus = (typeof REPORT_STATUSES)[number];
export type UrgencyReason = (typeof URGENCY_REASONS)[number];

// ---------------------------------------------------------------------------------------------------------------
// The model

/** Identifiers are stored normalised so that two victims naming one scammer meet on one item. */
const valueIdentifierSchema = z.lazy(() => z.object({
  /** phone: E.164; handle: lower case, no `@`; url: lower-case host and path, no scheme, `www.` or trailing slash. */
  kind: z.enum(['phone', 'handle', 'url']),
  value: z.string().check(z.minLength(1)),
}));
/** A card is never stored whole: a keyed hash to match reports on, and the last four digits for people. */
const cardIdentifierSchema = z.lazy(() => z.object({
  kind: z.literal('card'),
  hash: z.string().check(z.minLength(1)),
  last4: z.string().check(z.regex(/^\d{4}$/)),
}));
export const identifierSchema = z.lazy(() => z.union([valueIdentifierSchema, cardIdentifierSchema]));
export type Identifier = z.infer<typeof identifierSchema>;
export type IdentifierKind = Identifier['kind'];

export const moneySchema = z.lazy(() => z.object({ value: z.number().check(z.positive()), currency: z.enum(CURRENCIES) }));
export type Money = z.infer<typeof moneySchema>;

export const urgencySchema = z.lazy(() => z.object({ urgent: z.boolean(), reasons: z.array(z.enum(URGENCY_REASONS)) }));
export type Urgency = z.infer<typeof urgencySchema>;

export const campaignSchema = z.lazy(() => z.object({
  identifier: identifierSchema,
  reporters: z.number().check(z.int(), z.positive()),
  /**
   * The open campaign's report this one is linked to, instead of paging again (absent on the report that paged).
   * A linked report still pages when it is urgent for a reason of its own.
   */
  linkedTo: z.optional(z.string()),
}));
export type Campaign = z.infer<typeof campaignSchema>;

/** Built on first use, as are the schemas below: most requests file no report. */
const reportObject = () => z.object({
  reference: z.string().check(z.refine((value) => normaliseReference(value) === value, 'a reference in canonical form')),
  channel: z.enum(REPORT_CHANNELS),
  lang: z.enum(LANGUAGES),
  category: z.enum(REPORT_CATEGORIES),
  paid: z.enum(PAID_ANSWERS),
  amount: z.optional(moneySchema),
  /** The victim's own words: never logged, never exported. */
  freeText: z.optional(z.string()),
  identifiers: z.array(identifierSchema),
  callbackConsent: z.boolean(),
  /**
   * Whether the reporter agreed, when asked in the channel, that the report may be shared with the police and partner
   * organisations (separate from the call-back). Absent: not asked (an urgent voice message). Intake writes it as
   * the report's sharing consent, the item the console's referrals check.
   */
  sharingConsent: z.optional(z.boolean()),
  /** A voice report's recording: just another field. */
  recordingUrl: z.optional(z.url()),
  recordingDurationSeconds: z.optional(z.number().check(z.int(), z.nonnegative())),
  urgency: urgencySchema,
  /** A campaign: the identifier several reporters named, and how many (this one included) when it was filed. */
  campaign: z.optional(campaignSchema),
  status: z.enum(REPORT_STATUSES),
  /** The officer's note with the latest status change (why acknowledged, referred or closed). */
  statusNote: z.optional(z.string()),
  /** The body a `referred` report was passed to. */
  referredTo: z.optional(z.string()),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** The reporter's keyed phone hash (shared/privacy.ts `phoneKey`), never the number. */
  reporterKey: z.string().check(z.minLength(1)),
  /**
   * An urgent report not paged because its reporter had reached the hourly limit of escalations
   * (domain/escalation/reporter-limit.ts): `case` is the reporter's case it was listed to instead.
   */
  escalationHeld: z.optional(z.object({ reason: z.literal('reporter_limit'), case: z.string().check(z.minLength(1)) })),
});
export const reportSchema = z.lazy(reportObject);
export type Report = z.infer<typeof reportSchema>;

/** A report as intake builds it: the store gives it its reference, its first status and `updatedAt`. */
export const reportDraftSchema = z.lazy(() =>
  z.omit(reportObject(), { reference: true, status: true, statusNote: true, referredTo: true, updatedAt: true }),
);
export type ReportDraft = z.infer<typeof reportDraftSchema>;

/** The store's name for an identifier: a card is found by its hash. */
export function identifierValue(identifier: Identifier): string {
  return identifier.kind === 'card' ? identifier.hash : identifier.value;
}

// ---------------------------------------------------------------------------------------------------------------
// Identifiers in free text

/** Bare domains are taken only with one of these endings, so that `somoni.Dar` (a missing space) is not a site. */
const COMMON_TLDS = new Set(
  // `example` is the reserved documentation domain the sample registry uses.
  ('com net org info biz io me co uk ru tj kz kg uz de eu us pro online site xyz top app work jobs agency store example ' +
    'shop club link live space website tech tv pl lt lv cz')
    .split(' '),
);
/** Profile links that name a handle; other paths on these hosts (posts, invite links) stay links. */
const PROFILE_HOSTS = new Set(['t.me', 'telegram.me', 'instagram.com']);
const NOT_PROFILES = new Set(['joinchat', 'addstickers', 'share', 's', 'c', 'p', 'reel', 'reels', 'stories', 'explore', 'accounts']);
const HANDLE = /^[a-z\d_][a-z\d_.]{2,31}$/;

const WEB_PATTERN = /(?<![\p{L}\p{N}@._-])(https?:\/\/)?(www\.)?(?:[a-z\d-]+\.)+([a-z]{2,})(?:\/[^\s,;!?"'«»()<>]*)?/giu;
const HANDLE_PATTERN = /(?<![\p{L}\p{N}_.@/])@([a-z\d_][a-z\d_.]{2,31})(?![\p{L}\p{N}_@])/giu;
/** 16 digits, in fours with one kind of separator or none. */
const CARD_PATTERN = /(?<![\d+])\d{4}([ -]?)\d{4}\1\d{4}\1\d{4}(?!\d)/g;
/** A run of digit groups that may hold one or more phone numbers (`+992 (92) 700-11-22 3000`). */
const DIGIT_RUN_PATTERN = /(?<![\p{L}\p{N}])\+?\(?\d[\d \t().-]*\d/gu;
/** E.164 allows at most 15 digits. */
const MAX_PHONE_DIGITS = 15;

interface Found {
  at: number;
  identifier: Identifier;
}

/**
 * The scammer's phone numbers, handles, links and cards named in a report's text (any language), normalised,
 * without repeats, in the order they appear. The reporter's own number is never one of them: "call me on …" names
 * the victim. `cardHash` is the keyed hash the shell computes from a card's digits.
 */
export function extractIdentifiers(text: string, cardHash: (digits: string) => string, reporterPhone?: string): Identifier[] {
  let rest = text.normalize('NFC');
  const found: Found[] = [];
  // Each pass blanks what it took (keeping positions), so digits in a link are not read again as a phone number.
  const take = (pattern: RegExp, read: (match: RegExpMatchArray) => Identifier | undefined) => {
    for (const match of rest.matchAll(pattern)) {
      const identifier = read(match);
      if (!identifier) continue;
      found.push({ at: match.index, identifier });
      rest = rest.slice(0, match.index) + ' '.repeat(match[0].length) + rest.slice(match.index + match[0].length);
    }
  };
  take(WEB_PATTERN, readWebAddress);
  take(HANDLE_PATTERN, (match) => handle(match[1]!));
  take(CARD_PATTERN, (match) => {
    const digits = match[0].replace(/\D/g, '');
    return luhnValid(digits) ? { kind: 'card', hash: cardHash(digits), last4: digits.slice(-4) } : undefined;
  });
  for (const run of rest.matchAll(DIGIT_RUN_PATTERN)) found.push(...phonesInRun(run[0], run.index));

  const own = reporterPhone === undefined ? undefined : normalisePhone(reporterPhone);
  const seen = new Set<string>();
  return found
    .sort((a, b) => a.at - b.at)
    .map((f) => f.identifier)
    .filter((identifier) => {
      const id = `${identifier.kind}:${identifierValue(identifier)}`;
      if (seen.has(id) || (identifier.kind === 'phone' && identifier.value === own)) return false;
      seen.add(id);
      return true;
    });
}

function readWebAddress(match: RegExpMatchArray): Identifier | undefined {
  const [whole, scheme, www, tld] = match;
  if (!scheme && !www && !COMMON_TLDS.has(tld!.toLowerCase())) return undefined;
  const value = normaliseWebsite(whole.replace(/[.:]+$/, ''));
  if (!value) return undefined;
  const [host, ...path] = value.split('/');
  const profile = path.length === 1 && PROFILE_HOSTS.has(host!) && !NOT_PROFILES.has(path[0]!) ? handle(path[0]!) : undefined;
  return profile ?? { kind: 'url', value };
}

function handle(raw: string): Identifier | undefined {
  const value = raw.toLowerCase().replace(/\.+$/, '');
  return HANDLE.test(value) ? { kind: 'handle', value } : undefined;
}

/** The Luhn checksum every payment card carries: it keeps 16 digits of phone numbers and amounts from being cards. */
function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Phone numbers in a run of digit groups: from each group, the longest span of groups that is a possible number
 * (so `+992 90 123 4567 3000` is the number and then an amount, not one 16-digit string).
 */
function phonesInRun(run: string, offset: number): Found[] {
  const groups = [...run.matchAll(/\+?\d+/g)];
  const found: Found[] = [];
  let start = 0;
  while (start < groups.length) {
    let digits = '';
    let best: { phone: string; end: number } | undefined;
    for (let end = start; end < groups.length; end++) {
      digits += groups[end]![0];
      if (digits.replace('+', '').length > MAX_PHONE_DIGITS) break;
      // As written, separators included: they tell a number in groups from one typed unbroken.
      const phone = parsePhone(run.slice(groups[start]!.index, groups[end]!.index + groups[end]![0].length));
      if (phone) best = { phone, end };
    }
    if (best) found.push({ at: offset + groups[start]!.index, identifier: { kind: 'phone', value: best.phone } });
    start = best ? best.end + 1 : start + 1;
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Amounts

/**
 * Units of each currency per US dollar, to compare amounts with the urgency threshold. Data, dated: rounded from
 * the official rates of the National Bank of Tajikistan, the Bank of Russia and the Bank of England at `asOf`.
 * Triage needs only the order of magnitude; update the figures and the date when a rate moves by more than ~10%.
 */
export const USD_RATES = {
  asOf: '2025-06-30',
  source: 'rounded official rates: National Bank of Tajikistan (TJS), Bank of Russia (RUB), Bank of England (GBP)',
  unitsPerUsd: { USD: 1, TJS: 9.9, RUB: 78, GBP: 0.73 } satisfies Record<Currency, number>,
} as const;

export function toUsd(money: Money): number {
  return money.value / USD_RATES.unitsPerUsd[money.currency];
}

/** Currency words and signs, Latin Tajik included (`somoni`, `dollar`, `rubl`, `funt`). */
const CURRENCY_WORDS: Record<Currency, string> = {
  TJS: String.raw`сомон\p{L}*|somon\p{L}*|смн|tjs`,
  USD: String.raw`usd|доллар\p{L}*|dollar\p{L}*|долл\.?|бакс\p{L}*|\$`,
  RUB: String.raw`rub\p{L}*|руб\p{L}*\.?|₽`,
  GBP: String.raw`gbp|фунт\p{L}*|funt\p{L}*|pounds?|£`,
};
// Built on the first report text read, not at import: Unicode-aware patterns take a millisecond to construct, and
// most requests (a menu step, a delivery report) read no report text.
const CURRENCY_MATCHERS = lazy(() =>
  Object.entries(CURRENCY_WORDS).map(([currency, words]) => [currency as Currency, new RegExp(`^(?:${words})$`, 'iu')] as const),
);
/** `3 000`, `3,000.50`, `1.500` (Russian thousands), `2,5`: a separator followed by three digits groups thousands. */
const NUMBER = String.raw`\d{1,3}(?:[ \u00a0.,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?`;
const THOUSAND = String.raw`тыс\p{L}*\.?|ҳазор|хазор|hazor|thousand`;
const ANY_CURRENCY = Object.values(CURRENCY_WORDS).join('|');
const AMOUNT_AFTER = lazy(() => new RegExp(
  String.raw`(?<![\p{L}\p{N}.,])(${NUMBER})(?:\s*(${THOUSAND}))?\s*(${ANY_CURRENCY})(?!\p{L})`,
  'giu',
));
const AMOUNT_BEFORE = lazy(() => new RegExp(
  String.raw`(?<![\p{L}\p{N}])(\$|£|₽|usd|gbp|rub|tjs)\s*(${NUMBER})(?:\s*(${THOUSAND}))?(?![\p{L}\p{N}])`,
  'giu',
));

/**
 * The amount named in a report's text, with its currency: `3000 somoni`, `$500`, `20 тысяч рублей`, `£300`.
 * When several are named, the largest (in dollars): triage errs towards urgency. Undefined when none has a currency.
 */
export function extractAmount(text: string): Money | undefined {
  const normalised = text.normalize('NFC');
  const amounts = [
    ...[...normalised.matchAll(AMOUNT_AFTER())].map(([, number, thousand, currency]) => money(number!, thousand, currency!)),
    ...[...normalised.matchAll(AMOUNT_BEFORE())].map(([, currency, number, thousand]) => money(number!, thousand, currency!)),
  ].filter((m): m is Money => m !== undefined);
  return amounts.reduce<Money | undefined>((largest, m) => (!largest || toUsd(m) > toUsd(largest) ? m : largest), undefined);
}

function money(number: string, thousand: string | undefined, currencyWord: string): Money | undefined {
  const currency = CURRENCY_MATCHERS().find(([, matcher]) => matcher.test(currencyWord))?.[0];
  const parts = /^(\d{1,3}(?:[ \u00a0.,]\d{3})+|\d+)(?:[.,](\d{1,2}))?$/.exec(number);
  if (!currency || !parts) return undefined;
  const value = Number(`${parts[1]!.replace(/\D/g, '')}.${parts[2] ?? '0'}`) * (thousand ? 1000 : 1);
  return value > 0 ? { value, currency } : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Triage

type KeywordReason = Extract<
  UrgencyReason,
  'about_to_pay' | 'abroad_in_trouble' | 'documents_held' | 'threats' | 'trafficking_indicators'
>;

const DOCUMENTS = [
  'passport*', 'document*', 'papers',
  'паспорт*', 'документ*',
  'шиноснома*', 'хуччат*', 'shinosnoma*', 'pasport*', 'hujjat*', 'xujjat*',
];
const TAKEN = [
  'took', 'taken', 'keep', 'keeps', 'keeping', 'kept', 'hold', 'holds', 'holding', 'held', 'confiscat*',
  'забра*', 'отобра*', 'отня*', 'изъя*', 'держ*', 'zabra*', 'otobra*', 'derzh*',
  // Tajik `гирифтанд` (they took), not `гирифтам` (I received).
  'гирифтанд*', 'гирифт', 'giriftand*', 'girift', 'нигох*', 'nigoh*', 'намедих*', 'namedih*',
];
/**
 * Money in any form: every amount with a currency stands in the words as `MONEY_WORD` (see `signalWords`), so
 * "wants 3000 somoni" reads as "wants money".
 */
const MONEY_WORD = 'money';
const MONEY = [MONEY_WORD, 'деньг*', 'денег', 'пул', 'пулро', 'pul', 'pulro', 'dengi', 'deneg', 'fee', 'fees'];
/** Someone asks for money: "wants 3000 somoni", "просят 5000 руб", `мехоҳанд` (they want), `талаб` (demand). */
const ASK = [
  'want', 'wants', 'wanted', 'ask', 'asks', 'asking', 'asked', 'demand*', 'requir*', 'charg*',
  'требу*', 'просят', 'просит', 'просил*', 'попросил*', 'хотят', 'хочет',
  'trebu*', 'prosyat', 'prosit', 'prosil*', 'xotyat', 'hotyat', 'khotyat',
  'мехох*', 'mexoh*', 'mekhoh*', 'mehoh*', 'талаб*', 'talab*', 'мепурс*', 'mepurs*',
  // Tajik "(money is) needed".
  'лозим', 'lozim', 'керак', 'kerak',
];
/** Someone must pay: "I have to pay", "нужно оплатить", Tajik `бояд` (must). */
const OBLIGED = [
  ...ASK, 'need', 'needs', 'must', 'have', 'has', 'should', 'told',
  'нужно', 'надо', 'должен', 'должна', 'должны', 'сказали', 'nado', 'nuzhno', 'dolzhen', 'dolzhna', 'dolzhny',
  'бояд', 'boyad', 'гуфтанд', 'guftand',
];
/** Paying, in the present or future (not `paid`: money already gone is not the moment to stop). */
const PAY = [
  'pay', 'paying', 'payment', 'send', 'transfer', 'deposit',
  'заплат*', 'оплат*', 'оплач*', 'плат*', 'перевест*', 'перевед*', 'перевод*', 'отправ*', 'скинуть', 'скинь',
  'zaplat*', 'oplat*', 'perevest*', 'perevod*', 'otprav*',
  'супор*', 'supor*', 'пардохт*', 'pardoxt*', 'pardokht*', 'дихам', 'дихем', 'дихед', 'diham', 'dihem', 'dihed',
  'фиристонам', 'firistonam', 'гузаронам', 'guzaronam',
];
/** A payment due now: today, tomorrow, urgently. */
const DEADLINE = [
  'today', 'tomorrow', 'tonight', 'сегодня', 'завтра', 'срочно', 'segodnya', 'zavtra', 'srochno',
  'имруз', 'imruz', 'imroz', 'фардо', 'fardo', 'пагох', 'pagoh', 'пагохи', 'зуд', 'zud',
];
/** Stranded abroad: stuck, abandoned, unable to go home. */
const STRANDED = [
  'stranded', 'stuck', 'abandoned', 'застрял*', 'застря*', 'бросил*', 'zastryal*', 'brosil*',
  // Tajik `монда` (left behind, stuck) and `партофтанд` (they abandoned).
  'мондем', 'мондам', 'мондаем', 'монданд', 'мондаанд', 'mondem', 'mondam', 'mondand', 'mondaand', 'партофт*', 'partoft*',
];
const RETURN_HOME = ['return', 'home', 'вернуться', 'домой', 'vernutsya', 'domoy', 'баргашт*', 'bargasht*', 'ватан', 'vatan'];
const CANNOT = ['cannot', "can't", 'cant', 'unable', 'не', 'ne', 'наметавон*', 'nametavon*'];

/**
 * Words that signal danger, in Tajik (Cyrillic and Latin), Russian (Cyrillic and Latin) and English, matched after
 * `signalWords`. Each signal is a list of word groups that must all occur within `SIGNAL_WINDOW` words ("забрали у
 * меня паспорт"); `stem*` matches any word starting with `stem`, a plain word only itself.
 */
const KEYWORD_SIGNALS: [KeywordReason, string[][]][] = [
  // Asked to pay, not paid yet: "they want me to pay", "требуют заплатить", "бояд супорам", "wants 3000 somoni".
  ['about_to_pay', [OBLIGED, PAY]],
  ['about_to_pay', [ASK, MONEY]],
  ['about_to_pay', [DEADLINE, PAY]],
  ['about_to_pay', [DEADLINE, MONEY]],
  ['abroad_in_trouble', [STRANDED]],
  ['abroad_in_trouble', [CANNOT, RETURN_HOME]],
  // No money for a ticket, food or the way home.
  ['abroad_in_trouble', [
    ['no', 'нет', 'net', 'без', 'bez', 'надор*', 'nador*'],
    MONEY,
    ['ticket', 'food', 'билет*', 'еду', 'bilet*', 'хурок*', 'xurok*', ...RETURN_HOME],
  ]],
  ['documents_held', [DOCUMENTS, TAKEN]],
  ['documents_held', [['not', "won't", "don't", 'never', 'refuse*', 'не'], ['give', 'return*', 'отда*', 'верн*'], DOCUMENTS]],
  ['threats', [['threat*', 'intimidat*', 'blackmail*', 'угрож*', 'угроз*', 'запуга*', 'шантаж*', 'ugrozh*', 'ugroz*']]],
  ['threats', [['тахдид*', 'tahdid*', 'тарсон*', 'tarson*']]],
  // Not Tajik `мекушанд` (they kill): without ӯ it is spelt like `мекӯшанд` (they try).
  ['threats', [['kill', 'kills', 'killed', 'убь*', 'убить', 'убьем', 'ub\'yut', 'ubyut']]],
  ['threats', [['will', "he'll", "they'll", 'gonna'], ['hurt', 'harm']]],
  ['threats', [['beat', 'beaten', 'beating', 'избил*', 'избива*', 'бьют', 'латукуб*', 'latukub*']]],
  // Tajik `қулф` (lock) folds to `кулф`; `намемонанд`: they do not let (me go).
  ['trafficking_indicators', [['locked', 'traffick*', 'заперл*', 'заперт*', 'взаперти', 'кулф*', 'qulf*', 'kulf*', 'confined', 'zaperl*', 'zapert*']]],
  ['trafficking_indicators', [['lock', 'locks', 'locking'], ['in', 'up', 'us', 'me', 'inside']]],
  ['trafficking_indicators', [['закрыва*', 'закрыл*', 'запира*', 'zakryva*', 'zakryl*'], ['нас', 'меня', 'nas', 'menya']]],
  ['trafficking_indicators', [['намемонанд', 'namemonand']]],
  ['trafficking_indicators', [['cannot', "can't", 'cant', 'unable'], ['leave']]],
  ['trafficking_indicators', [['not'], ['allowed', 'let'], ['leave', 'go', 'out']]],
  ['trafficking_indicators', [['не', 'ne'], ['выпуска*', 'отпуска*', 'vypuska*', 'otpuska*']]],
  ['trafficking_indicators', [['баромад*', 'baromad*'], ['наметавон*', 'nametavon*']]],
  ['trafficking_indicators', [['forced'], ['work*', 'labour', 'labor']]],
  ['trafficking_indicators', [['заставля*', 'принужда*'], ['работ*']]],
  ['trafficking_indicators', [['мачбур*', 'majbur*'], ['кор*', 'kor*']]],
  ['trafficking_indicators', [['торговл*'], ['люд*']]],
];
const SIGNAL_WINDOW = 4;

/** Lower case, with Tajik letters folded to Russian ones: feature phones often lack ҳ қ ғ ҷ ӣ ӯ. */
const TAJIK_FOLD: Record<string, string> = { ҳ: 'х', қ: 'к', ғ: 'г', ҷ: 'ч', ӣ: 'и', ӯ: 'у', ё: 'е', '’': "'" };

/** A text's words, folded (lower case, Tajik letters to Russian ones): how every free-text reader compares words. */
export function foldedWords(text: string): string[] {
  const folded = text.normalize('NFC').toLowerCase().replace(/[ҳқғҷӣӯё’]/g, (ch) => TAJIK_FOLD[ch]!);
  // Apostrophes inside a word stay (`can't`, `oplat'`); quotes around one go (`'processing fee'`).
  return (folded.match(/[\p{L}\p{N}']+/gu) ?? []).map((word) => word.replace(/^'+|'+$/g, '')).filter(Boolean);
}

/** `stem*` matches any word starting with `stem`, a plain word only itself. */
export const wordMatches = (word: string, patterns: readonly string[]) =>
  patterns.some((pattern) => (pattern.endsWith('*') ? word.startsWith(pattern.slice(0, -1)) : word === pattern));

/** The words as the signals read them: every amount with a currency one `MONEY_WORD`. */
function signalWords(text: string): string[] {
  return foldedWords(text.normalize('NFC').replace(AMOUNT_AFTER(), ` ${MONEY_WORD} `).replace(AMOUNT_BEFORE(), ` ${MONEY_WORD} `));
}

/** The urgency reasons a text names itself (any language), in `URGENCY_REASONS` order. */
export function textReasons(text: string): KeywordReason[] {
  const words = signalWords(text);
  const found = new Set<KeywordReason>();
  for (const [reason, groups] of KEYWORD_SIGNALS) {
    if (found.has(reason)) continue;
    const present = words.some((_, start) => {
      const window = words.slice(start, start + SIGNAL_WINDOW + 1);
      return groups.every((group) => window.some((word) => wordMatches(word, group)));
    });
    if (present) found.add(reason);
  }
  return URGENCY_REASONS.filter((reason): reason is KeywordReason => found.has(reason as KeywordReason));
}

export interface TriageContext {
  /** An amount (paid or asked for) at or above this, in US dollars, is urgent. */
  amountThresholdUsd: number;
  /** Distinct reporters other than this one who named any of this report's identifiers (the most for one). */
  otherReportersOfSameIdentifiers: number;
  /** Distinct reporters, this one included, naming one identifier that make a campaign. */
  campaignThreshold: number;
  /**
   * The report names an official contact of a licensed registry entry. Such reports never count towards a campaign
   * (they would brand the agency); an officer looks at each as a possible impersonation.
   */
  namesOfficialContact?: boolean;
}

/** Whether a report needs a person now, and every reason why (in `URGENCY_REASONS` order). */
export function triage(report: Pick<ReportDraft, 'category' | 'paid' | 'amount' | 'freeText'>, context: TriageContext): Urgency {
  const found = new Set<UrgencyReason>(textReasons(report.freeText ?? ''));
  // The cheapest moment to stop a loss is before the money leaves.
  if (report.paid === 'about_to_pay') found.add('about_to_pay');
  if (report.category === 'abroad_in_trouble') found.add('abroad_in_trouble');
  if (report.amount && toUsd(report.amount) >= context.amountThresholdUsd) found.add('large_amount');
  if (context.otherReportersOfSameIdentifiers + 1 >= context.campaignThreshold) found.add('campaign');
  if (context.namesOfficialContact) found.add('impersonation');
  const reasons = URGENCY_REASONS.filter((reason) => found.has(reason));
  return { urgent: reasons.length > 0, reasons };
}

/** Whether a stored report pages the officers: it is urgent, and not only as one more reporter of an open campaign. */
export function pagesOfficers(report: Pick<Report, 'urgency' | 'campaign'>): boolean {
  if (!report.urgency.urgent) return false;
  return !report.campaign?.linkedTo || report.urgency.reasons.some((reason) => reason !== 'campaign');
}

// ---------------------------------------------------------------------------------------------------------------
// References

/**
 * The characters of a reference: digits and capital letters without look-alikes. Left out: 0 O Q (read as one
 * another), 1 I L (likewise), U (taken for V). 29 characters; six of them give 29^6 ≈ 595 million references, so a
 * random one collides rarely and the store's conditional write catches the rest.
 */
export const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPRSTVWXYZ';
export const REFERENCE_LENGTH = 6;

/** Cyrillic letters typed for the Latin ones they look like (a Russian keyboard), and З for 3. */
const TYPED_LOOKALIKES: Record<string, string> = {
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', Р: 'P', С: 'C', Т: 'T', Х: 'X', У: 'Y', З: '3',
};

export function generateReference(random: () => number): string {
  let reference = '';
  for (let i = 0; i < REFERENCE_LENGTH; i++) {
    const index = Math.min(Math.floor(random() * REFERENCE_ALPHABET.length), REFERENCE_ALPHABET.length - 1);
    reference += REFERENCE_ALPHABET[index];
  }
  return reference;
}

/**
 * A reference as a person typed it (`7k3-q9m`, `7K3 Q9M`, Cyrillic look-alikes), in its canonical form; undefined
 * when it cannot be one. A typed 0, O, Q, 1, I, L or U is rejected rather than guessed at: none of them is ever in
 * a reference, and guessing could show someone a report that is not theirs to see.
 */
export function normaliseReference(typed: string): string | undefined {
  return canonicalCode(typed, REFERENCE_LENGTH);
}

/** A code of `length` characters of REFERENCE_ALPHABET as a person typed it, canonical; undefined if it is not one. */
export function canonicalCode(typed: string, length: number): string | undefined {
  const canonical = typed
    .normalize('NFC')
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[АВЕКМНРСТХУЗ]/g, (ch) => TYPED_LOOKALIKES[ch]!);
  const valid = canonical.length === length && [...canonical].every((ch) => REFERENCE_ALPHABET.includes(ch));
  return valid ? canonical : undefined;
}

export function isReference(typed: string): boolean {
  return normaliseReference(typed) !== undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Status

/** The prompt (prompts/*.json) with the next step a reporter sees for each status. */
export const NEXT_STEP_PROMPTS = {
  received: 'report.next.received',
  in_review: 'report.next.inReview',
  escalated: 'report.next.escalated',
  acknowledged: 'report.next.acknowledged',
  referred: 'report.next.referred',
  closed: 'report.next.closed',
} as const satisfies Record<ReportStatus, string>;
export type NextStepPrompt = (typeof NEXT_STEP_PROMPTS)[ReportStatus];

export function nextStep(report: Pick<Report, 'status'>): NextStepPrompt {
  return NEXT_STEP_PROMPTS[report.status];
}
