/**
 * The protocol between a channel's pure conversation step (USSD, SMS, voice) and the one runner that serves them all
 * (shared/conversation/runner.ts). A step answers from `ConversationData`; what it lacks it names in `needs`, what it
 * wants done it names in `effects`. The runner then:
 *
 * 1. looks up every need in one parallel batch and runs the step again with the results (a look-up that fails is
 *    left out: the step answers without it);
 * 2. if the step submits a report, files it through intake and runs the step again with `submitted` (the outcome,
 *    whose reference the last answer reads out); if it finishes a quiz, records the taking and runs the step again
 *    with `quizRecorded` (its completion code): the only second round, and always the last;
 * 3. runs the remaining effects (the language chosen, the checks counted).
 */
import type { Lang } from './prompts';
import type { QuizFinish, QuizRecorded } from './quiz';
import type { RegistryEntry, RegistryIndex } from './registry';
import { identifierValue, type Identifier, type Report } from './report';
import type { ReportedSummary, VerificationVerdict } from './verify';
import type { SubscriptionEffect } from './outreach/subscription';

/** What a step asks the runner to look up before it can answer. */
export type Need =
  /** What reports say of a phone number, account, link or card. */
  | { type: 'identifier'; identifier: Identifier }
  /** The caller's own reports, newest first. */
  | { type: 'myReports' }
  /** One report by its reference (SMS STATUS). */
  | { type: 'report'; reference: string }
  /** The on-call officers' numbers, level by level (the voice line's urgent help). */
  | { type: 'onCall' }
  /** Licence numbers as typed on a keypad (the voice line's licence check). */
  | { type: 'licences' }
  /** Whether the caller is subscribed to the outreach (STOP is confirmed once, JOIN after STOP resumes). */
  | { type: 'subscription' }
  /** The registry index, for a step that checks a name, licence or contact (USSD reads it only then). */
  | { type: 'registry' };

/** How a submitted report fared, for the answer that follows it. */
export type Submitted = { saved: true; report: Report } | NotSaved;
/**
 * Not stored now. `journaled`: kept, to be stored by a replay (the caller must not send it again);
 * `referenceBySms`: the replay texts the reporter the reference.
 */
export type NotSaved = { saved: false; journaled: boolean; referenceBySms: boolean };

/** Whether the reply may say "received, your reference will arrive by SMS" (else: please send it again). */
export const referenceFollowsBySms = (submitted: NotSaved | undefined) => submitted?.journaled === true && submitted.referenceBySms;

/** Licence numbers as typed on a phone keypad (built by shared/domain/voice `buildKeypadLicenceIndex`). */
export interface KeypadLicenceIndex {
  find(digits: string): RegistryEntry[];
}

/** What a step answers from: what the channel knows of the request's moment, and what the runner looked up. */
export interface ConversationData {
  /** The registry index held in memory; null when it could not be loaded, undefined when not read (a need). */
  registry?: RegistryIndex | null;
  /** The caller's calendar day, `YYYY-MM-DD`: a licence valid until yesterday has expired. */
  today: string;
  /** The keyed hash of a card number (cards are never stored or compared whole). */
  cardHash: (digits: string) => string;
  /**
   * Reported identifiers looked up so far, by `identifierKey`; null: looked up, never reported nor confirmed. A
   * summary carries `confirmedOn` when officers confirmed the identifier a scam (an approved alert).
   */
  reported: ReadonlyMap<string, ReportedSummary | null>;
  /** The caller's own reports, newest first, once looked up. */
  /** null: they could not be read (the caller is told the service is unavailable, never shown a blank screen). */
  myReports?: readonly Report[] | null;
  /** Reports looked up by reference; null: no such reference. */
  reports?: ReadonlyMap<string, Report | null>;
  /** The on-call numbers, level by level, once looked up (empty when nobody can be rung). */
  onCall?: readonly (readonly string[])[];
  /** The keypad licence index once looked up; null when it could not be. */
  licences?: KeypadLicenceIndex | null;
  /** The outcome of the report this request submitted. */
  submitted?: Submitted;
  /** How recording the quiz taking this request finished fared. */
  quizRecorded?: QuizRecorded;
  /** The caller's subscription once looked up: null when they never subscribed. */
  subscription?: 'active' | 'stopped' | null;
}

/** A finished quiz taking: the runner records it (once per request), then asks again with `quizRecorded`. */
export type QuizEffect = { type: 'finishQuiz'; finish: QuizFinish };

/** The effects every channel's step may ask for, beside its own report submission. */
export type CommonEffect =
  | { type: 'rememberLanguage'; lang: Lang }
  /** An opt-in (choice undefined: resume the earlier one) or an opt-out of every broadcast. */
  | SubscriptionEffect
  /**
   * A check was answered (the operators' metrics and the analysts' weekly counts): a name or licence, or the kind of
   * contact, and what the answer told (never what was typed).
   */
  | { type: 'verified'; kind: VerificationKind; verdict: VerificationVerdict };

export type VerificationKind = 'name' | Identifier['kind'] | 'unrecognised';

/** What every step returns to the runner, beside its channel's reply. */
export interface StepOutcome<Effect extends { type: string }> {
  effects: Effect[];
  /** Look-ups the answer needs and the data lacks (reads only for the answer that needs them). */
  needs: Need[];
}

/** The key under which a reported identifier's summary is passed in `ConversationData.reported`. */
export function identifierKey(identifier: Identifier): string {
  return `${identifier.kind}:${identifierValue(identifier)}`;
}
