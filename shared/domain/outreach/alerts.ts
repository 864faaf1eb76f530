/**
 * Scam alerts with two people's approval, pure. An officer on the rota confirms that an identifier is a scam
 * (`SCAM <pin> <identifier> <note>`): that drafts an alert in every language. Another officer or a supervisor
 * approves it (`APPROVE <code> <pin>`, the code and their pin being in the draft they were sent); the drafter's own
 * approval is refused. Only an approved alert is sent, and only then does every CHECK of the identifier answer
 * "confirmed scam".
 *
 * A sender number can be forged, so both carry a six-digit pin only the officer's own phone received, as the
 * officers' case commands do (shared/domain/officer.ts, docs/security.md): the officer's code for this action
 * (`scamScope`, `approvalScope`). Without it nothing is drafted or approved, and the command to send back, pin
 * included, goes to the officer's registered number. The pin of SCAM comes before the identifier, which may be
 * typed in groups of digits.
 */
import * as z from '../zod';
import type { RotaOfficer } from '../escalation';
import { LANGUAGES, t, type Lang } from '../prompts';
import { extractIdentifiers, identifierSchema, identifierValue, REFERENCE_ALPHABET, type Identifier } from '../report';
import { shownIdentifier } from '../verify';
import { COMMAND_CODE_LENGTH, MAX_NOTE_LENGTH } from '../officer';

export const ALERT_CODE_LENGTH = 5;

export function generateAlertCode(random: () => number): string {
  let code = '';
  for (let i = 0; i < ALERT_CODE_LENGTH; i++) {
    code += REFERENCE_ALPHABET[Math.min(Math.floor(random() * REFERENCE_ALPHABET.length), REFERENCE_ALPHABET.length - 1)];
  }
  return code;
}

/** An alert code as typed (any case, stray spaces); undefined when it cannot be one. */
export function normaliseAlertCode(typed: string): string | undefined {
  const code = typed.normalize('NFC').toUpperCase().replace(/\s/g, '');
  return code.length === ALERT_CODE_LENGTH && [...code].every((ch) => REFERENCE_ALPHABET.includes(ch)) ? code : undefined;
}

const officerRefSchema = z.lazy(() => z.object({ key: z.string().check(z.minLength(1)), name: z.string().check(z.minLength(1)) }));

export const alertSchema = z.lazy(() => z.object({
  code: z.string().check(z.length(ALERT_CODE_LENGTH)),
  identifier: identifierSchema,
  /** How the identifier is shown (a card by its last four digits only). */
  shown: z.string().check(z.minLength(1)),
  note: z.optional(z.string().check(z.maxLength(MAX_NOTE_LENGTH))),
  texts: z.object(Object.fromEntries(LANGUAGES.map((lang) => [lang, z.string().check(z.minLength(1))])) as Record<Lang, z.ZodMiniString>),
  status: z.enum(['draft', 'approved']),
  draftedBy: officerRefSchema,
  draftedAt: z.iso.datetime(),
  approvedBy: z.optional(officerRefSchema),
  approvedAt: z.optional(z.iso.datetime()),
  /** The broadcast that sends it, once approved. */
  broadcastId: z.optional(z.string()),
}));
export type Alert = z.infer<typeof alertSchema>;

/** The alert's text in every language, from the template (prompts/outreach `alert.template`). */
export function alertTexts(identifier: Identifier, ussdCode: string): Record<Lang, string> {
  const value = shownIdentifier(identifier);
  return Object.fromEntries(LANGUAGES.map((lang) => [lang, t(lang, 'alert.template', { identifier: value, ussdCode })])) as Record<Lang, string>;
}

/** The scope of an officer's code for confirming this identifier a scam (a code per officer and identifier). */
export function scamScope(identifier: Identifier): string {
  return `scam:${identifier.kind}:${identifierValue(identifier)}`;
}

/** The scope of an officer's code for approving this alert. */
export function approvalScope(alertCode: string): string {
  return `alert:${alertCode}`;
}

export type AlertCommand =
  /** `pin`: the officer's code for this identifier; `typed`: what followed it, for the command sent back with it. */
  | { name: 'scam'; identifier: Identifier; note?: string; pin?: string; typed: string }
  /** `pin`: the approver's own code for this alert, texted to them with the draft (a forged sender lacks it). */
  | { name: 'approve'; code: string; pin?: string }
  | { name: 'usage'; command: 'scam' | 'approve' };

const PIN = new RegExp(`^\\d{${COMMAND_CODE_LENGTH}}$`);

/** SCAM [pin] <identifier> <note> and APPROVE <code> [pin], or undefined when the text is neither. */
export function parseAlertCommand(text: string, cardHash: (digits: string) => string): AlertCommand | undefined {
  const match = /^[\p{P}\s]*(SCAM|APPROVE)(?![\p{L}\p{N}])[\s:;,.!-]*(.*)$/iu.exec(text.normalize('NFC').replace(/\s+/g, ' ').trim());
  if (!match) return undefined;
  const name = match[1]!.toLowerCase() as 'scam' | 'approve';
  const rest = match[2]!.trim();
  if (name === 'approve') {
    const [typed = '', pin] = rest.split(' ');
    const code = normaliseAlertCode(typed);
    if (!code) return { name: 'usage', command: name };
    return PIN.test(pin ?? '') ? { name, code, pin } : { name, code };
  }
  const [maybePin = '', ...afterPin] = rest.split(' ');
  const pin = PIN.test(maybePin) ? maybePin : undefined;
  const typed = pin ? afterPin.join(' ') : rest;
  const [first = '', ...more] = typed.split(' ');
  const inFirst = extractIdentifiers(first, cardHash)[0];
  const identifier = inFirst ?? extractIdentifiers(typed, cardHash)[0];
  if (!identifier) return { name: 'usage', command: name };
  // A number typed in groups (`+992 90 000 1234`) or a card in fours spans several words: the note follows them.
  const after = inFirst ? more.join(' ') : typed.replace(/^\+?[\d\s().-]+/, '');
  const note = after.trim().slice(0, MAX_NOTE_LENGTH);
  return { name, identifier, ...(note ? { note } : {}), ...(pin ? { pin } : {}), typed };
}

export type ApprovalDecision =
  | { outcome: 'approve' }
  | { outcome: 'unknown' }
  | { outcome: 'own' }
  | { outcome: 'already'; by: string };

/** The two-person rule: a draft is approved by an officer other than the one who drafted it. */
export function decideApproval(alert: Alert | undefined, approver: Pick<RotaOfficer, 'key'>): ApprovalDecision {
  if (!alert) return { outcome: 'unknown' };
  if (alert.status === 'approved') return { outcome: 'already', by: alert.approvedBy?.name ?? '—' };
  if (alert.draftedBy.key === approver.key) return { outcome: 'own' };
  return { outcome: 'approve' };
}

/** Who is asked to approve a draft: every other officer on duty, and every supervisor but the drafter. */
export function approversOf(rota: readonly RotaOfficer[], drafter: Pick<RotaOfficer, 'key'>): RotaOfficer[] {
  return rota.filter((officer) => officer.key !== drafter.key && (officer.onDuty || officer.role === 'supervisor'));
}
