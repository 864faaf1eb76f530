/**
 * SMS keywords as pure functions: parse what a migrant or officer texted, and answer it. `smsStep` is the step the
 * conversation runner (shared/conversation/runner.ts) runs: it names what a command needs looked up (a CHECK's
 * identifier, a STATUS's report) and what it does (a REPORT is submitted, a LANG remembered); the SMS service
 * (shared/sms/service.ts) sends its reply through the outbox.
 */
import { foldWord, promptWords, UZBEK_APOSTROPHES } from './keywords';
import { lazy } from './lazy';
import { LANGUAGES, isLang, t, type Lang } from './prompts';
import { identifierKey, referenceFollowsBySms, type CommonEffect, type ConversationData, type Need, type StepOutcome, type Submitted } from './conversation';
import { checkQuery, guessLanguage, messageIntent } from './free-text';
import type { RegistryIndex } from './registry';
import { extractAmount, extractIdentifiers, HELD_REPORT_MINUTES, normaliseReference, textReasons, type Identifier, type Report, type ReportDraft } from './report';
import { reportAdvice, reportStatusText } from './report-texts';
import { smsParts } from './screen';
import { exceedsBytes, INPUT_LIMITS, lettersWithin } from './input-limits';
import { normaliseCompletionCode } from './quiz';
import { checkVerdict, contactAnswer, nameAnswer, noRecordAnswer, officialContactsOf, type CheckTarget, type ReportedSummary } from './verify';
import { joinChoice, topicsText, type SubscriptionEffect } from './outreach/subscription';

export type SmsCommandName = 'help' | 'language' | 'check' | 'report' | 'status' | 'confirm' | 'quiz' | 'verify' | 'cohort' | 'join' | 'stop' | 'start' | 'share';

export type SmsCommand = (
  | { name: SmsCommandName; keywordLang: Lang; argument: string }
  /** Free text that reads like a report: offered as one, filed on the sender's YES (`confirm`). */
  | { name: 'offer'; keywordLang: Lang; argument: string }
  | { name: 'unknown'; keywordLang: undefined; argument: string }
) & {
  /** The language of the sender's country (homeLanguage): a text whose words say nothing is answered in it. */
  homeLang?: Lang;
};

const COMMANDS = ['help', 'language', 'check', 'report', 'status', 'confirm', 'quiz', 'verify', 'cohort', 'join', 'stop', 'start', 'share'] as const satisfies readonly SmsCommandName[];

/** Keywords in every language (prompts/*.json `sms.keywords.*`), folded; each says the language it is written in. */
const KEYWORDS = lazy(
  (): Record<string, { name: SmsCommandName; lang: Lang }> =>
    Object.fromEntries(COMMANDS.flatMap((name) => promptWords(`sms.keywords.${name}`).map(({ word, lang }) => [word, { name, lang }]))),
);

/** Language names a caller may put after LANG / ЯЗЫК / ЗАБОН (prompts/*.json `sms.languageWords.*`). */
const LANGUAGE_WORDS = lazy(
  (): Record<string, Lang> => Object.fromEntries(LANGUAGES.flatMap((named) => promptWords(`sms.languageWords.${named}`).map(({ word }) => [word, named]))),
);

const KEYWORD_AND_ARGUMENT = new RegExp(
  `^[\\p{P}\\p{S}\\s]*((?:[\\p{L}\\p{M}]|(?<=\\p{L})[${UZBEK_APOSTROPHES}](?=\\p{L}))+|\\?)[\\s:;,.!?-]*(.*)$`,
  'u',
);

/** Reads the keyword (any case, Latin or Cyrillic, with stray punctuation and spaces) and what follows it. */
export function parseSmsCommand(text: string): SmsCommand {
  const cleaned = text.normalize('NFC').replace(/\s+/g, ' ').trim();
  // After the keyword, separators go (`CHECK: x`, `check, x`) but not what starts an argument (`@handle`, `+992…`).
  // A keyword may hold an Uzbek apostrophe between its letters (`TO'XTAT`), typed as any of UZBEK_APOSTROPHES.
  const match = KEYWORD_AND_ARGUMENT.exec(cleaned);
  const keyword = match ? KEYWORDS()[foldWord(match[1]!)] : undefined;
  // "Да, у меня забрали паспорт" is a story, not a YES.
  const confirmsAlone = keyword?.name !== 'confirm' || !match![2]!.trim();
  if (!match || !keyword || !confirmsAlone) return { name: 'unknown', keywordLang: undefined, argument: cleaned };
  const argument = match[2]!.trim();
  // VERIFY of anything but a completion code is the check it always was (`VERIFY Konkordia`).
  if (keyword.name === 'verify' && argument && !normaliseCompletionCode(argument)) return { name: 'check', keywordLang: keyword.lang, argument };
  return { name: keyword.name, keywordLang: keyword.lang, argument };
}

/**
 * What an SMS asks, free text included: a keyword's command; else a CHECK of what a question names ("is Konkordia
 * real?"), an offer to file a story as a report, or unknown (answered with help). Read from free text, the
 * command carries the language the text is written in.
 */
export function readSms(text: string, homeLang?: Lang): SmsCommand {
  const home = homeLang ? { homeLang } : {};
  const command = parseSmsCommand(text);
  if (command.name !== 'unknown') return { ...command, ...home };
  const intent = messageIntent(command.argument);
  if (intent === 'other') return { ...command, ...home };
  const keywordLang = guessLanguage(command.argument, homeLang);
  if (intent === 'check') return { name: 'check', keywordLang, argument: checkQuery(command.argument), ...home };
  return { name: 'offer', keywordLang, argument: command.argument, ...home };
}

/**
 * A report's words as compared for "the same text sent twice": case, spacing and Unicode forms aside. The shell
 * hashes it, with the sender's key, into the report's idempotency key: the text itself is never a key.
 */
export function reportTextForKey(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The language named in a LANG command's argument, if any. */
export function languageArgument(argument: string): Lang | undefined {
  const word = foldWord(argument.replace(new RegExp(`[${UZBEK_APOSTROPHES}]`, 'gu'), '').split(/[\s\p{P}]+/u).filter(Boolean)[0] ?? '');
  const lang = LANGUAGE_WORDS()[word] ?? word.toLowerCase();
  return isLang(lang) ? lang : undefined;
}

/**
 * The language to answer in: the remembered one, else the keyword's, else a guess from the words (the language of
 * the sender's country when they say nothing).
 */
export function replyLanguage(command: SmsCommand, storedLang: Lang | undefined): Lang {
  return storedLang ?? command.keywordLang ?? guessLanguage(command.argument, command.homeLang);
}

export type SmsEffect =
  | { type: 'rememberLanguage'; lang: Lang }
  /** Keep a story offered as a report until the sender's YES (or its expiry). */
  | { type: 'holdReport'; text: string; lang: Lang }
  /** The reporter agreed (SHARE) that this report may be shared with the police and partner organisations. */
  | { type: 'shareReport'; reference: string }
  | SubscriptionEffect;

/** A story offered as a report, awaiting the sender's YES (shared/store/pending-reports.ts keeps it). */
export interface HeldReport {
  text: string;
  lang: Lang;
}

export interface SmsReply {
  text: string;
  lang: Lang;
  effects: SmsEffect[];
}

export interface SmsContext {
  storedLang: Lang | undefined;
  ussdServiceCode: string;
  /** The registry index in memory (null or undefined when it could not be loaded) and the caller's calendar day. */
  registry?: RegistryIndex | null;
  today: string;
  cardHash: (digits: string) => string;
  /** The report summary of the identifier a CHECK names, when `checkTarget` found one (null: never reported). */
  reported?: ReportedSummary | null;
  /** The sender's keyed phone hash: STATUS shows a report only to the number that made it. */
  callerKey?: string;
  /** How the report a REPORT (or a YES to a held story) made fared. */
  submitted?: Submitted;
  /** For a YES or a further story: the story held for the sender, once looked up (null: none, or expired). */
  heldReport?: HeldReport | null;
  /** The report a SHARE is about, once looked up: the one it names, else the sender's latest (null: none). */
  shareReport?: Report | null;
  /** The report a STATUS names, once looked up (null: no such reference). */
  statusReport?: Report | null;
  /** The sender's subscription, for STOP, START and JOIN (null: never subscribed). */
  subscription?: 'active' | 'stopped' | null;
}

/**
 * JOIN (topics, destination, month), START (resume the earlier choice) and STOP (every broadcast ends; confirmed
 * once: a STOP with nothing to stop gets no answer, an empty text). None of them touches checking or reporting.
 */
function subscriptionReply(command: SmsCommand & { name: 'join' | 'stop' | 'start' }, lang: Lang, context: SmsContext): SmsReply {
  if (command.name === 'stop') {
    return context.subscription === 'active'
      ? { text: t(lang, 'outreach.stopped'), lang, effects: [{ type: 'unsubscribe', lang }] }
      : { text: '', lang, effects: [] };
  }
  if (command.name === 'start' && context.subscription) {
    return { text: t(lang, 'outreach.resumed'), lang, effects: [{ type: 'subscribe', lang }] };
  }
  const choice = joinChoice(command.argument);
  return { text: fitSms([t(lang, 'outreach.joined', { topics: topicsText(lang, choice.topics) })]), lang, effects: [{ type: 'subscribe', choice, lang }] };
}

/** Replies are held to three SMS parts (201 characters of Tajik or Russian). */
export const MAX_SMS_PARTS = 3;

/** The first candidate that fits in three parts; the last one cut to fit if none does. */
function fitSms(candidates: string[]): string {
  const fitting = candidates.find((text) => smsParts(text) <= MAX_SMS_PARTS);
  if (fitting) return fitting;
  let text = candidates.at(-1)!;
  while (smsParts(`${text}…`) > MAX_SMS_PARTS) text = text.slice(0, -1);
  return `${text.trimEnd()}…`;
}

/** What a CHECK asks about: a phone number, account, link or card, else a name or licence number. */
export function checkTarget(argument: string, cardHash: (digits: string) => string): CheckTarget | undefined {
  if (!argument.trim()) return undefined;
  const identifier = extractIdentifiers(argument, cardHash)[0];
  return identifier ? { identifier } : { name: argument.trim() };
}

function checkReply(argument: string, lang: Lang, context: SmsContext): string {
  const target = checkTarget(argument, context.cardHash);
  if (!target) return t(lang, 'sms.checkUsage');
  if (!context.registry) return t(lang, 'common.unavailable');
  if ('identifier' in target) {
    const { identifier } = target;
    return fitSms([contactAnswer(lang, identifier, officialContactsOf(context.registry, identifier), context.reported ?? undefined, context.today)]);
  }
  const match = context.registry.findByNameOrLicence(target.name);
  if (match.kind === 'none') return fitSms([noRecordAnswer(lang, target.name)]);
  if (match.kind === 'one') {
    return fitSms([nameAnswer(lang, target.name, match, context.today), nameAnswer(lang, target.name, match, context.today, false)]);
  }
  const names = (count: number) => match.entries.slice(0, count).map((entry) => entry.name).join('; ');
  return fitSms([5, 4, 3, 2].map((count) => t(lang, 'sms.checkPick', { query: target.name.slice(0, 30), names: names(count) })));
}

/**
 * The report an SMS makes: its text is kept as the victim's own words, and read for the scammer's identifiers
 * (never the sender's own number), an amount, and what the USSD menu would have asked: whether they are being asked
 * to pay, and whether they are stranded abroad (the advice the reply gives follows from these).
 */
export function reportFromSms(
  text: string,
  lang: Lang,
  senderPhone: string,
  cardHash: (digits: string) => string,
): Omit<ReportDraft, 'urgency' | 'createdAt' | 'reporterKey'> {
  const amount = extractAmount(text);
  const reasons = textReasons(text);
  return {
    channel: 'sms',
    lang,
    category: reasons.includes('abroad_in_trouble') ? 'abroad_in_trouble' : 'other',
    paid: reasons.includes('about_to_pay') ? 'about_to_pay' : 'unknown',
    ...(amount ? { amount } : {}),
    freeText: text,
    identifiers: extractIdentifiers(text, cardHash, senderPhone),
    callbackConsent: false,
  };
}

function reportReply(argument: string, lang: Lang, context: SmsContext): string {
  if (!argument.trim()) return t(lang, 'sms.reportUsage');
  return submittedReply(lang, context);
}

function submittedReply(lang: Lang, context: SmsContext): string {
  if (!context.submitted?.saved) return t(lang, referenceFollowsBySms(context.submitted) ? 'sms.reportKept' : 'sms.reportFailed');
  const { report } = context.submitted;
  const received = t(lang, 'sms.reportReceived', { ref: report.reference, advice: t(lang, reportAdvice(report)) });
  // Sharing is asked apart from the call-back; without an answer nothing is shared.
  return fitSms([`${received} ${t(lang, 'sms.shareAsk', { ref: report.reference })}`, received]);
}

/** SHARE: the reporter agrees that their report may be shared with the police and partner organisations. */
function shareReply(lang: Lang, context: SmsContext): SmsReply {
  const report = context.shareReport;
  // Only the number that made a report may consent for it.
  if (!report || report.reporterKey !== context.callerKey) return { text: t(lang, 'sms.shareNothing'), lang, effects: [] };
  return { text: t(lang, 'sms.shared', { ref: report.reference }), lang, effects: [{ type: 'shareReport', reference: report.reference }] };
}

function statusReply(argument: string, lang: Lang, context: SmsContext): string {
  if (!normaliseReference(argument)) return t(lang, 'sms.statusUsage');
  const report = context.statusReport;
  // Another number learns nothing about the report, not even that it exists.
  if (!report || report.reporterKey !== context.callerKey) return t(lang, 'sms.statusNotFound');
  return fitSms([reportStatusText(lang, report)]);
}

/**
 * The story to hold after a further message: people tell what happened over several SMS, so a message before the
 * YES adds to the story held (unless it repeats it: a resend adds nothing).
 */
function heldStory(held: HeldReport | null | undefined, message: string): string {
  if (!held || reportTextForKey(held.text).includes(reportTextForKey(message))) return held?.text ?? message;
  return `${held.text}\n${message}`;
}

/** The answer to a keyword: help, language, check, report, status, and anything not understood. */
export function smsReply(command: SmsCommand, context: SmsContext): SmsReply {
  const vars = { ussdCode: context.ussdServiceCode };
  const chosen = command.name === 'language' ? languageArgument(command.argument) : undefined;
  if (chosen) return { text: t(chosen, 'sms.languageSet', vars), lang: chosen, effects: [{ type: 'rememberLanguage', lang: chosen }] };
  const lang = replyLanguage(command, context.storedLang);
  const minutes = { minutes: HELD_REPORT_MINUTES };
  if (command.name === 'offer') {
    const text = heldStory(context.heldReport, command.argument);
    return { text: t(lang, 'sms.offerReport', minutes), lang, effects: [{ type: 'holdReport', text, lang }] };
  }
  if (command.name === 'confirm') {
    const held = context.heldReport;
    // Answered in the language of the story it files.
    if (held) return { text: submittedReply(held.lang, context), lang: held.lang, effects: [] };
    return { text: t(lang, 'sms.confirmNothing', minutes), lang, effects: [] };
  }
  if (command.name === 'check') return { text: checkReply(command.argument, lang, context), lang, effects: [] };
  if (command.name === 'report') return { text: reportReply(command.argument, lang, context), lang, effects: [] };
  if (command.name === 'status') return { text: statusReply(command.argument, lang, context), lang, effects: [] };
  if (command.name === 'share') return shareReply(lang, context);
  if (command.name === 'join' || command.name === 'stop' || command.name === 'start') {
    return subscriptionReply({ ...command, name: command.name }, lang, context);
  }
  return { text: t(lang, command.name === 'language' ? 'sms.languageAsk' : 'sms.help', vars), lang, effects: [] };
}

/** What to do with the n-th inbound SMS of the hour: answer, send the one flood notice, or stay silent. */
export function floodDecision(countThisHour: number, limitPerHour: number): 'answer' | 'notice' | 'silence' {
  if (countThisHour <= limitPerHour) return 'answer';
  return countThisHour === limitPerHour + 1 ? 'notice' : 'silence';
}

export type SmsStepEffect =
  | CommonEffect
  /**
   * A REPORT with words after it, or the story a YES confirms: the runner submits it (`reportFromSms`), then asks
   * again with `data.submitted`.
   */
  | { type: 'submitReport'; text: string; lang: Lang }
  /** The SMS service keeps a story offered as a report until the sender's YES; records a SHARE. */
  | Extract<SmsEffect, { type: 'holdReport' | 'shareReport' }>;

export interface SmsRequest {
  command: SmsCommand;
  /** The sender's remembered language, if any. */
  storedLang: Lang | undefined;
  /** The sender's keyed phone hash: STATUS shows a report only to the number that made it. */
  callerKey: string;
  ussdServiceCode: string;
  /** For a YES or a further story: the story held for the sender, read by the SMS service (null: none, or expired). */
  heldReport?: HeldReport | null;
  data: ConversationData;
}

export interface SmsStep extends StepOutcome<SmsStepEffect> {
  reply: SmsReply;
}

/** One inbound SMS of the migrant flow, as a conversation step. */
export function smsStep(request: SmsRequest): SmsStep {
  const { command, data } = request;
  const lang = replyLanguage(command, request.storedLang);
  if (exceedsBytes(command.argument, INPUT_LIMITS.smsTextBytes)) {
    // Before anything else: the text never becomes a key, a held story or a report.
    return { reply: { text: t(lang, 'common.tooLong', { max: lettersWithin(INPUT_LIMITS.smsTextBytes) }), lang, effects: [] }, effects: [], needs: [] };
  }
  const needs: Need[] = [];
  const effects: SmsStepEffect[] = [];
  const target = command.name === 'check' ? checkTarget(command.argument, data.cardHash) : undefined;
  const identifier = target && 'identifier' in target ? target.identifier : undefined;
  if (target) {
    // SMS answers no check without the registry (checkReply), so none is counted as answered without it.
    const reported = identifier ? data.reported.get(identifierKey(identifier)) : undefined;
    const verdict = data.registry ? checkVerdict(target, data.registry, reported, data.today) : 'unclear';
    effects.push({ type: 'verified', kind: identifier ? identifier.kind : 'name', verdict });
  }
  if (identifier && !data.reported.has(identifierKey(identifier))) needs.push({ type: 'identifier', identifier });
  const reference = command.name === 'status' || command.name === 'share' ? normaliseReference(command.argument) : undefined;
  if (reference && !data.reports?.has(reference)) needs.push({ type: 'report', reference });
  if (command.name === 'share' && !reference && data.myReports === undefined) needs.push({ type: 'myReports' });
  if ((command.name === 'stop' || command.name === 'start') && data.subscription === undefined) needs.push({ type: 'subscription' });
  if (command.name === 'report' && command.argument.trim() && !data.submitted) {
    effects.push({ type: 'submitReport', text: command.argument, lang });
  }
  const held = command.name === 'confirm' ? request.heldReport : undefined;
  if (held && !data.submitted) effects.push({ type: 'submitReport', text: held.text, lang: held.lang });
  const reply = smsReply(command, {
    storedLang: request.storedLang,
    ussdServiceCode: request.ussdServiceCode,
    registry: data.registry,
    today: data.today,
    cardHash: data.cardHash,
    reported: identifier ? (data.reported.get(identifierKey(identifier)) ?? null) : null,
    callerKey: request.callerKey,
    ...(data.submitted ? { submitted: data.submitted } : {}),
    ...(reference && command.name === 'status' ? { statusReport: data.reports?.get(reference) ?? null } : {}),
    ...(command.name === 'share' ? { shareReport: (reference ? data.reports?.get(reference) : data.myReports?.[0]) ?? null } : {}),
    ...(command.name === 'confirm' || command.name === 'offer' ? { heldReport: request.heldReport ?? null } : {}),
    ...(data.subscription !== undefined ? { subscription: data.subscription } : {}),
  });
  return { reply, effects: [...effects, ...reply.effects], needs };
}
