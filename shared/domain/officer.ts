/**
 * Officers' SMS commands as pure functions: parse what an officer texted, decide with the escalation rules
 * (domain/escalation/), and word the reply in the officer's first language. The shell
 * (shared/escalation/service.ts) looks up the officer, the report and the state, and runs the effects.
 *
 * Commands (any case, stray punctuation and spaces are fine; a reference may be typed with Cyrillic look-alikes or
 * split in two, as `7K3 Q9M`): ACK ref code, DONE ref code [note], REFER ref code BODY [note], NOTE ref code text,
 * INFO ref, CALL ref code, ON code, OFF code, WHO. Only a registered officer's number may use them; anyone else gets
 * the ordinary migrant help.
 *
 * A sender number can be forged, so every command that changes a case, a duty or the audit trail carries a code
 * that only the officer's own phone received (docs/security.md): the page carries the case's code; a command
 * without it (or with a wrong one) changes nothing and is answered, on the officer's registered number, with the
 * command to send back. An officer acts only on the cases of their level or paged or assigned to them, unless a
 * supervisor.
 */
import { foldWord, promptWords } from './keywords';
import { lazy } from './lazy';
import { t, type Lang } from './prompts';
import { normaliseReference, type Report } from './report';
import { smsParts } from './screen';
import {
  campaignText,
  chainOf,
  formatAmount,
  identifierLabel,
  officerLanguage,
  onAck,
  onCall,
  onDone,
  onDutyByLevel,
  onRefer,
  reasonsText,
  recordingText,
  type EscalationEffect,
  type EscalationState,
  type RotaOfficer,
  type TakeOutcome,
  type Transition,
} from './escalation';

export const OFFICER_COMMANDS = ['ack', 'done', 'refer', 'note', 'info', 'call', 'on', 'off', 'who'] as const;
export type OfficerCommandName = (typeof OFFICER_COMMANDS)[number];

/** Bodies a case may be referred to; the words officers may type for them are prompts/*.json `officer.bodyWords.*`. */
export const REFERRAL_BODIES = ['police', 'ministry', 'iom', 'embassy'] as const;
export type ReferralBody = (typeof REFERRAL_BODIES)[number];

/** Officers' notes are kept whole in the audit trail up to this length. */
export const MAX_NOTE_LENGTH = 500;
/** An officer's reply may run longer than a caller's: INFO and WHO up to this many SMS parts. */
export const OFFICER_SMS_MAX_PARTS = 5;

/** A command's code: six digits (docs/security.md). */
export const COMMAND_CODE_LENGTH = 6;
const CODE = new RegExp(`^\\d{${COMMAND_CODE_LENGTH}}$`);

export type OfficerCommand =
  | { name: 'info'; reference: string }
  | { name: 'ack' | 'call'; reference: string; code?: string }
  | { name: 'done'; reference: string; code?: string; note?: string }
  | { name: 'refer'; reference: string; code?: string; body: ReferralBody; note?: string }
  | { name: 'note'; reference: string; code?: string; text: string }
  | { name: 'on'; code?: string }
  | { name: 'off'; code?: string }
  | { name: 'who' }
  /** The command word, but not what must follow it (a missing reference, an unknown body, an empty note). */
  | { name: 'usage'; command: Exclude<OfficerCommandName, 'on' | 'off' | 'who'>; typed: string }
  /** Something that is not a reference where one must be: answered "unknown reference". */
  | { name: 'badReference'; typed: string };

const BODY_WORDS = lazy(
  () => new Map<string, ReferralBody>(REFERRAL_BODIES.flatMap((body) => promptWords(`officer.bodyWords.${body}`).map(({ word }) => [word, body] as const))),
);

/** The command word and the rest, or undefined when the text does not start with an officer command. */
function split(text: string): { name: OfficerCommandName; rest: string } | undefined {
  const cleaned = text.normalize('NFC').replace(/\s+/g, ' ').trim();
  const match = /^[\p{P}\p{S}\s]*([A-Za-z]+)(?![\p{L}\p{N}])[\p{P}\s]*(.*)$/u.exec(cleaned);
  if (!match) return undefined;
  const name = match[1]!.toLowerCase() as OfficerCommandName;
  const rest = match[2]!.trim();
  if (!OFFICER_COMMANDS.includes(name)) return undefined;
  // ON, OFF and WHO stand alone (ON and OFF with their code): "on my way" is a message, not a duty change.
  const standsAlone = name === 'who' ? rest : rest.replace(/[\p{P}\s]+$/u, '').replace(CODE, '');
  if ((name === 'on' || name === 'off' || name === 'who') && /[\p{L}\p{N}]/u.test(standsAlone)) return undefined;
  return { name, rest };
}

/** True when the text starts with an officer command word (ACK, DONE, REFER, NOTE, INFO, CALL, ON, OFF, WHO). */
export function isOfficerCommand(text: string): boolean {
  return split(text) !== undefined;
}

/** The reference at the start of `rest` (one word, or two halves `7K3 Q9M`) and what follows it. */
function takeReference(rest: string): { reference: string; rest: string } | { typed: string } | undefined {
  const words = rest.split(' ').filter(Boolean);
  if (words.length === 0) return undefined;
  const one = normaliseReference(words[0]!.replace(/[\p{P}]+$/u, ''));
  if (one) return { reference: one, rest: words.slice(1).join(' ') };
  const two = words.length > 1 ? normaliseReference(`${words[0]}${words[1]!.replace(/[\p{P}]+$/u, '')}`) : undefined;
  if (two) return { reference: two, rest: words.slice(2).join(' ') };
  return { typed: words[0]!.slice(0, 20) };
}

const note = (text: string) => {
  const trimmed = text.trim().slice(0, MAX_NOTE_LENGTH);
  return trimmed === '' ? undefined : trimmed;
};

/** The code at the start of `rest`, if there is one, and what follows it. */
function takeCode(rest: string): { code?: string; rest: string } {
  const [first = '', ...more] = rest.split(' ');
  const word = first.replace(/[\p{P}]+$/u, '');
  return CODE.test(word) ? { code: word, rest: more.join(' ') } : { rest };
}

const withCode = <T extends object>(command: T, code: string | undefined): T & { code?: string } =>
  code === undefined ? command : { ...command, code };

export function parseOfficerCommand(text: string): OfficerCommand | undefined {
  const command = split(text);
  if (!command) return undefined;
  const { name, rest } = command;
  if (name === 'who') return { name };
  if (name === 'on' || name === 'off') return withCode({ name }, takeCode(rest.replace(/[\p{P}\s]+$/u, '')).code);
  const ref = takeReference(rest);
  if (!ref) return { name: 'usage', command: name, typed: '' };
  if ('typed' in ref) return { name: 'badReference', typed: ref.typed };
  const { reference } = ref;
  if (name === 'info') return { name, reference };
  const { code, rest: after } = takeCode(ref.rest);
  switch (name) {
    case 'ack':
    case 'call':
      return withCode({ name, reference }, code);
    case 'done':
      return withCode({ name, reference, note: note(after) }, code);
    case 'note': {
      const body = note(after);
      return body ? withCode({ name, reference, text: body }, code) : { name: 'usage', command: name, typed: reference };
    }
    case 'refer': {
      const [word = '', ...more] = after.split(' ');
      const body = BODY_WORDS().get(foldWord(word.replace(/[\p{P}]+$/u, '')));
      return body ? withCode({ name, reference, body, note: note(more.join(' ')) }, code) : { name: 'usage', command: name, typed: word };
    }
  }
}

/** A command that changes a case, a duty or the audit trail, and so must carry the officer's code. */
export type CodedCommand = Extract<OfficerCommand, { code?: string }>;

export function needsCode(command: OfficerCommand): command is CodedCommand {
  return ['ack', 'done', 'refer', 'note', 'call', 'on', 'off'].includes(command.name);
}

/** The command as the officer should send it, with the code: what a confirmation asks them to send back. */
export function commandWithCode(command: CodedCommand, code: string): string {
  const name = command.name.toUpperCase();
  if (command.name === 'on' || command.name === 'off') return `${name} ${code}`;
  const words = [name, command.reference, code];
  if (command.name === 'refer') words.push(command.body.toUpperCase());
  if (command.name === 'note') words.push(command.text);
  else if ('note' in command && command.note) words.push(command.note);
  return words.join(' ');
}

/**
 * The code check: undefined when the command carries one of the accepted codes; otherwise the answer, which asks
 * for the command back with the code (it goes to the officer's registered number, which a forger does not hold)
 * and is recorded in the audit trail.
 */
export function codeCheck(command: CodedCommand, officer: RotaOfficer, codes: { accepted: readonly string[]; offered: string }): OfficerReply | undefined {
  if (command.code !== undefined && codes.accepted.includes(command.code)) return undefined;
  const lang = officerLanguage(officer);
  const wrong = command.code !== undefined;
  return {
    text: t(lang, wrong ? 'officer.codeWrong' : 'officer.confirm', { command: commandWithCode(command, codes.offered) }),
    refused: true,
    effects: [
      {
        type: 'audit',
        action: wrong ? 'code_rejected' : 'code_requested',
        actor: { key: officer.key, name: officer.name },
        detail: { command: command.name },
      },
    ],
  };
}

/**
 * Whether the officer may act on (or read) this case: a supervisor always; otherwise the case's current level is
 * theirs, or they were paged for it or hold it. A report never escalated, or paged to the supervisors because
 * nobody was on duty, is level 1's: the first line takes it when they come back.
 */
export function mayActOn(officer: RotaOfficer, state: EscalationState | undefined): boolean {
  if (officer.role === 'supervisor') return true;
  return (
    (state?.level ?? 1) === officer.level ||
    state?.notified.some((p) => p.key === officer.key) === true ||
    state?.acknowledgedBy?.key === officer.key
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Replies

export interface OfficerReply {
  text: string;
  /** The command was not carried out (unknown case, not theirs, missing or wrong code): the text says why. */
  refused?: true;
  /** The escalation's next state to write (conditionally), when the command changed it. */
  transition?: Transition;
  /** Effects beyond the transition's: audit records, duty changes. */
  effects: OfficerEffect[];
}

export type OfficerEffect =
  | EscalationEffect
  | { type: 'setDuty'; onDuty: boolean };

/** What the shell looked up for a command about a report. */
export interface ReportContext {
  report: Report | undefined;
  state: EscalationState | undefined;
  /** A consented call-back number is still kept for this report. */
  callbackAvailable: boolean;
  /** A short-lived signed link to the report's recording, if it has one (shared/recording-links.ts). */
  recordingLink?: string;
  /** This officer's code for this case (for the replies that show the next command). */
  code: string;
}

/** What the shell looked up for ON, OFF and WHO. */
export interface RotaContext {
  rota: RotaOfficer[];
  /** The officer's duty codes: those accepted now, and the one a confirmation offers. */
  codes: { accepted: readonly string[]; offered: string };
  /** Escalations nobody has acknowledged (paging or exhausted), oldest first: ON lists those the officer may take. */
  open: { reference: string; state: EscalationState | undefined }[];
}

/** The first candidate that fits `maxParts` SMS parts; the last one cut to fit if none does. */
export function fitParts(candidates: string[], maxParts: number): string {
  const fitting = candidates.find((text) => smsParts(text) <= maxParts);
  if (fitting) return fitting;
  let text = candidates.at(-1)!;
  while (text.length > 1 && smsParts(`${text}…`) > maxParts) text = text.slice(0, -1);
  return `${text.trimEnd()}…`;
}

function takeReply(lang: Lang, reference: string, outcome: Exclude<TakeOutcome, { outcome: 'taken' }>): string {
  if (outcome.outcome === 'closed') return t(lang, 'officer.alreadyClosed', { reference, name: outcome.by?.name ?? '—' });
  return t(lang, 'officer.alreadyAcknowledged', { reference, name: outcome.by.name });
}

/** Long digit runs (phone and card numbers) in a reporter's words, hidden: INFO never shows a number. */
export function maskNumbers(text: string): string {
  return text.replace(/\+?\d[\d\s().-]{5,}\d/g, (run) => (run.replace(/\D/g, '').length >= 7 ? '***' : run));
}

function identifiersText(report: Report): string {
  return report.identifiers.map(identifierLabel).join(', ');
}

/** INFO: a summary of the report for an officer, without the reporter's number. */
export function infoText(
  lang: Lang,
  report: Report,
  state: EscalationState | undefined,
  callbackAvailable: boolean,
  recordingLink?: string,
): string {
  const amount = formatAmount(report);
  const head = t(lang, 'officer.info', {
    reference: report.reference,
    status: t(lang, `officer.status.${report.status}`),
    handler: state?.acknowledgedBy ? t(lang, 'officer.info.handler', { name: state.acknowledgedBy.name }) : '',
    category: t(lang, `escalation.category.${report.category}`),
    amount: amount ? `, ${amount}` : '',
    paid: t(lang, `officer.paid.${report.paid}`),
    reasons: reasonsText(lang, report),
    language: t(lang, `escalation.language.${report.lang}`),
    callback: t(lang, report.callbackConsent && callbackAvailable ? 'escalation.callback.yes' : 'escalation.callback.no'),
    channel: t(lang, `officer.channel.${report.channel}`),
    date: report.createdAt.slice(0, 16).replace('T', ' '),
  });
  const named = `${report.identifiers.length > 0 ? ` ${t(lang, 'officer.info.named', { identifiers: identifiersText(report) })}` : ''}${campaignText(lang, report)}${recordingText(lang, report, recordingLink)}`;
  const words = report.freeText ? maskNumbers(report.freeText.replace(/\s+/g, ' ').trim()) : '';
  const candidates: string[] = [];
  // The reporter's words, shortened until the whole reply fits; without them if even a short excerpt does not.
  for (let length = words.length; length > 0; length = length > 20 ? Math.floor(length * 0.8) : 0) {
    const said = length < words.length ? `${words.slice(0, length).trimEnd()}…` : words;
    candidates.push(`${head}${named} ${t(lang, 'officer.info.said', { text: said })}`);
  }
  candidates.push(`${head}${named}`);
  return fitParts(candidates, OFFICER_SMS_MAX_PARTS);
}

/** WHO: who is on duty at each level. */
export function whoText(lang: Lang, rota: readonly RotaOfficer[]): string {
  const levels = onDutyByLevel(rota);
  if (levels.length === 0) {
    const supervisors = rota.filter((officer) => officer.role === 'supervisor').map((officer) => officer.name);
    return fitParts([t(lang, 'officer.who.nobody', { names: supervisors.join(', ') || '—' })], OFFICER_SMS_MAX_PARTS);
  }
  const list = levels.map(({ level, names }) => t(lang, 'officer.who.level', { level, names: names.join(', ') })).join('; ');
  return fitParts([t(lang, 'officer.who', { list })], OFFICER_SMS_MAX_PARTS);
}

function openText(lang: Lang, openReferences: readonly string[]): string {
  if (openReferences.length === 0) return '';
  const shown = openReferences.slice(0, 5).join(', ') + (openReferences.length > 5 ? ', …' : '');
  return ` ${t(lang, 'officer.open', { references: shown })}`;
}

/** ON, OFF and WHO. */
export function dutyReply(command: Extract<OfficerCommand, { name: 'on' | 'off' | 'who' }>, officer: RotaOfficer, context: RotaContext): OfficerReply {
  const lang = officerLanguage(officer);
  if (command.name !== 'who') {
    const refused = codeCheck(command, officer, context.codes);
    if (refused) return refused;
  }
  if (command.name === 'who') {
    return { text: whoText(lang, context.rota), effects: [{ type: 'audit', action: 'who', actor: { key: officer.key, name: officer.name } }] };
  }
  const onDuty = command.name === 'on';
  const rotaAfter = context.rota.map((o) => (o.key === officer.key ? { ...o, onDuty } : o));
  let text: string;
  if (onDuty) {
    const theirs = context.open.filter(({ state }) => mayActOn(officer, state)).map(({ reference }) => reference);
    text = t(lang, 'officer.on', { name: officer.name, level: officer.level }) + openText(lang, theirs);
  } else {
    const nobodyLeft = chainOf(rotaAfter).every((step) => step.level === null);
    text = t(lang, 'officer.off') + (nobodyLeft ? ` ${t(lang, 'officer.off.nobodyLeft')}` : '');
  }
  return {
    text: fitParts([text], OFFICER_SMS_MAX_PARTS),
    effects: [
      { type: 'setDuty', onDuty },
      { type: 'audit', action: onDuty ? 'duty_on' : 'duty_off', actor: { key: officer.key, name: officer.name } },
    ],
  };
}

export const USAGE_PROMPTS = {
  ack: 'officer.usage.ack',
  done: 'officer.usage.done',
  refer: 'officer.usage.refer',
  note: 'officer.usage.note',
  info: 'officer.usage.info',
  call: 'officer.usage.call',
} as const;

/** Commands about a report: ACK, DONE, REFER, NOTE, INFO, CALL, and the answers to what was not understood. */
export function reportCommandReply(
  command: Exclude<OfficerCommand, { name: 'on' | 'off' | 'who' }>,
  officer: RotaOfficer,
  rota: readonly RotaOfficer[],
  context: ReportContext,
  now: number,
): OfficerReply {
  const lang = officerLanguage(officer);
  if (command.name === 'usage') {
    // INFO alone (also a migrant's HELP word) gets the list of officer commands.
    if (command.command === 'info' && command.typed === '') return { text: t(lang, 'officer.help'), effects: [] };
    return { text: t(lang, USAGE_PROMPTS[command.command]), effects: [] };
  }
  if (command.name === 'badReference') {
    return { text: t(lang, 'officer.unknownReference', { reference: command.typed }), effects: [] };
  }
  const { reference } = command;
  const { report, state } = context;
  if (!report) return { text: t(lang, 'officer.unknownReference', { reference }), refused: true, effects: [] };
  const actor = { key: officer.key, name: officer.name };
  if (!mayActOn(officer, state)) {
    return {
      text: t(lang, 'officer.notYourCase', { reference }),
      refused: true,
      effects: [{ type: 'audit', action: 'denied', actor, detail: { command: command.name } }],
    };
  }
  if (needsCode(command)) {
    const refused = codeCheck(command, officer, { accepted: [context.code], offered: context.code });
    if (refused) return refused;
  }

  const fromTake = (outcome: TakeOutcome, ok: () => string): OfficerReply =>
    outcome.outcome === 'taken'
      ? { text: ok(), transition: outcome.transition, effects: [] }
      : { text: takeReply(lang, reference, outcome), effects: [] };

  switch (command.name) {
    case 'ack':
      return fromTake(onAck(state, report, officer, rota, now), () => t(lang, 'officer.ack', { reference, code: context.code }));
    case 'done':
      return fromTake(onDone(state, report, officer, rota, command.note, now), () => t(lang, 'officer.done', { reference }));
    case 'refer':
      return fromTake(onRefer(state, report, officer, rota, command.body, command.note, now), () =>
        t(lang, 'officer.refer', { reference, body: t(lang, `officer.body.${command.body}`) }),
      );
    case 'note':
      return {
        text: t(lang, 'officer.note', { reference }),
        effects: [{ type: 'audit', action: 'note', actor, detail: { note: command.text } }],
      };
    case 'info':
      return {
        text: infoText(lang, report, state, context.callbackAvailable, context.recordingLink),
        effects: [{ type: 'audit', action: 'info', actor }],
      };
    case 'call': {
      const outcome = onCall(state, report, officer, rota, context.callbackAvailable, now);
      if (outcome.outcome === 'no_consent') return { text: t(lang, 'officer.call.noConsent', { reference }), effects: [] };
      if (outcome.outcome === 'taken_by_other') {
        return { text: t(lang, 'officer.call.notYours', { reference, name: outcome.by.name }), effects: [] };
      }
      return fromTake(outcome, () => t(lang, 'officer.call', { reference }));
    }
  }
}
