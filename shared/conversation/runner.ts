/**
 * The one conversation runner of every channel (the protocol: shared/domain/conversation.ts). A channel's service
 * (shared/ussd, shared/sms, shared/voice) describes one turn: the caller, what it already read, its pure step, how
 * a report the step submits is filed and how the language chosen is kept; `converse` does the rest, the same way
 * for all: the look-ups in one parallel batch, the step again, the report through intake, the step again with its
 * outcome, then the effects.
 */
import type { CommonEffect, ConversationData, KeypadLicenceIndex, Need, QuizEffect, StepOutcome, VerificationKind } from '../domain/conversation';
import type { QuizChannel, QuizFinish, QuizRecorded } from '../domain/quiz';
import { identifierKey } from '../domain/conversation';
import type { SubscriptionChoice } from '../domain/outreach/subscription';
import type { Lang } from '../domain/prompts';
import type { ReportChannel } from '../domain/report';
import type { RegistryIndex } from '../domain/registry';
import { identifierValue } from '../domain/report';
import type { VerificationVerdict } from '../domain/verify';
import type { OnCallDirectory } from '../domain/voice';
import { submitReport, type IntakeDeps, type IntakeOutcome, type ReportSubmission } from '../intake';
import type { Logger } from '../log';
import { metrics } from '../metrics';
import type { RegistryCache } from '../registry/cache';
import type { ReportRepository } from '../store/reports';

/** What the runner reads and writes through. */
export interface ConversationDeps {
  log: Logger;
  reports: Pick<ReportRepository, 'getIdentifierSummary' | 'listByReporter' | 'getByReference'>;
  intake: IntakeDeps;
  /** Who the urgent line rings (needed only by the voice line). */
  onCall?: OnCallDirectory;
  /** The registry, for the steps that need it (USSD names the need; SMS and voice read it beforehand). */
  registry?: RegistryCache;
  /** The keypad licence index of a registry version (needed only by the voice line). */
  licences?: { get(index: RegistryIndex): Promise<KeypadLicenceIndex> };
  /** Records finished quiz takings (shared/quiz/takings.ts). */
  quizTakings?: QuizRecorder;
  /** Subscriptions and confirmed scams (shared/outreach/service.ts `outreachOf`). */
  outreach: ConversationOutreach;
  /** The analysts' daily verification counters (shared/store/verifications.ts). */
  verifications?: VerificationCounter;
}

/** Counts a verification on the caller's day by what it checked and what the answer told; nothing else. */
export interface VerificationCounter {
  count(day: string, kind: VerificationKind, verdict: VerificationVerdict): Promise<void>;
}

/** A finished quiz taking as the runner hands it on. */
export interface QuizTaking {
  /** The same for a retry of the same request: the taking is recorded once. */
  attemptId: string;
  channel: QuizChannel;
  caller: { phone: string; key: string };
  /** Whether the completion code may be texted to the caller (a withheld number cannot take an SMS). */
  canText: boolean;
  finish: QuizFinish;
}

export interface QuizRecorder {
  record(taking: QuizTaking): Promise<QuizRecorded>;
}

/** What the runner asks of the outreach: look-ups for the answer, and the opt-in and opt-out effects. */
export interface ConversationOutreach {
  subscriptionStatus(callerKey: string): Promise<'active' | 'stopped' | undefined>;
  /** The day officers confirmed this identifier a scam, if they did. */
  confirmedOn(kind: string, value: string): Promise<string | undefined>;
  subscribe(caller: { phone: string; key: string }, choice: SubscriptionChoice | undefined, lang: Lang, channel: ReportChannel): Promise<void>;
  unsubscribe(caller: { phone: string; key: string }, lang: Lang, channel: ReportChannel): Promise<void>;
}

/** How a turn files the report its step submits. */
export interface Filing<Effect> {
  /** The report an effect submits; undefined for any other effect. */
  reportOf(effect: Effect): Omit<ReportSubmission, 'reporterPhone'> | undefined;
  /** The same key for a retry of the same request: the same report. */
  idempotencyKey: string;
  /** Text the reporter the reference; the number can take an SMS (see intake's SubmitOptions). */
  confirmBySms: boolean;
  reachableBySms: boolean;
}

export interface Turn<Effect extends { type: string }, Result extends StepOutcome<Effect>> {
  caller: { phone: string; key: string };
  /** Where the turn happens: the channel a consent is recorded on. */
  channel: ReportChannel;
  /** What the channel read before the step: the registry, the day, the card hash (and nothing looked up yet). */
  data: ConversationData;
  step(data: ConversationData): Result;
  filing: Filing<Effect>;
  /** Keeps the language the caller chose (each channel decides what a failed write costs). */
  rememberLanguage(lang: Lang): Promise<void>;
  /**
   * A look-up that fails fails the turn (the caller's provider retries it, as SMS does) instead of leaving the
   * answer without it.
   */
  strictLookups?: boolean;
  /** How a quiz taking the step finishes is recorded: its attempt id and channel (channels with a quiz). */
  quiz?: Omit<QuizTaking, 'caller' | 'finish'>;
  /**
   * Sends the answer from the channel's side (SMS: through the outbox), after every effect the answer may tell of
   * and beside the verification counter, which tells nothing: neither waits for the other.
   */
  answer?(outcome: TurnOutcome<Effect, Result>): Promise<void>;
}

export interface TurnOutcome<Effect, Result> {
  result: Result;
  /** The report this turn submitted, if it did: the effect that asked for it and how it fared. */
  submitted?: { by: Effect; outcome: IntakeOutcome };
}

/** How many of a caller's reports "My reports" lists, newest first. */
export const MY_REPORTS_SHOWN = 5;

/**
 * One turn: the step; its needs looked up (one batch) and the step again; a report it submits filed through intake
 * (or a quiz it finishes recorded) and the step again with the outcome; then the language and check effects of the
 * last answer.
 */
export async function converse<Effect extends { type: string }, Result extends StepOutcome<Effect>>(
  deps: ConversationDeps,
  turn: Turn<Effect, Result>,
): Promise<TurnOutcome<Effect, Result>> {
  let data = turn.data;
  let result = turn.step(data);
  if (result.needs.length > 0) {
    data = await lookUp(deps, turn, result.needs, data);
    result = turn.step(data);
  }
  let submitted: TurnOutcome<Effect, Result>['submitted'];
  const filed = firstReport(turn.filing, result.effects);
  if (filed) {
    const outcome = await submitReport(
      deps.intake,
      { ...filed.report, reporterPhone: turn.caller.phone },
      turn.filing.idempotencyKey,
      { confirmBySms: turn.filing.confirmBySms, reachableBySms: turn.filing.reachableBySms },
    );
    submitted = { by: filed.effect, outcome };
    data = {
      ...data,
      submitted: outcome.saved
        ? { saved: true, report: outcome.report }
        : { saved: false, journaled: outcome.journaled, referenceBySms: outcome.referenceBySms },
    };
    result = turn.step(data);
  }
  const finished = (result.effects as readonly { type: string }[]).find(isQuizFinish);
  if (finished) {
    data = { ...data, quizRecorded: await recordTaking(deps, turn, finished) };
    result = turn.step(data);
  }
  const counted: Promise<void>[] = [];
  for (const effect of result.effects) {
    if (!isCommon(effect)) continue;
    if (effect.type === 'verified') counted.push(countVerification(deps, data.today, effect));
    else if (effect.type === 'subscribe') await deps.outreach.subscribe(turn.caller, effect.choice, effect.lang, turn.channel);
    else if (effect.type === 'unsubscribe') await deps.outreach.unsubscribe(turn.caller, effect.lang, turn.channel);
    else await turn.rememberLanguage(effect.lang);
  }
  const outcome: TurnOutcome<Effect, Result> = { result, ...(submitted ? { submitted } : {}) };
  await Promise.all([...counted, turn.answer?.(outcome)]);
  return outcome;
}

/** A counter must never cost the caller their answer: a failed count is logged and the turn goes on (never rejects). */
async function countVerification(deps: ConversationDeps, day: string, effect: Extract<CommonEffect, { type: 'verified' }>): Promise<void> {
  metrics.countVerification(effect.kind);
  try {
    await deps.verifications?.count(day, effect.kind, effect.verdict);
  } catch (error) {
    deps.log.warn('verification not counted', { kind: effect.kind, error });
  }
}

const isQuizFinish = (effect: { type: string }): effect is QuizEffect => effect.type === 'finishQuiz';

async function recordTaking(deps: ConversationDeps, turn: Turn<{ type: string }, StepOutcome<{ type: string }>>, effect: QuizEffect): Promise<QuizRecorded> {
  if (!deps.quizTakings || !turn.quiz) return { saved: false };
  return deps.quizTakings.record({ ...turn.quiz, caller: turn.caller, finish: effect.finish });
}

const COMMON_EFFECTS = new Set<string>(['verified', 'rememberLanguage', 'subscribe', 'unsubscribe'] satisfies CommonEffect['type'][]);
const isCommon = (effect: { type: string }): effect is CommonEffect => COMMON_EFFECTS.has(effect.type);

function firstReport<Effect>(filing: Filing<Effect>, effects: readonly Effect[]) {
  for (const effect of effects) {
    const report = filing.reportOf(effect);
    if (report) return { effect, report };
  }
  return undefined;
}

/** Every need in one parallel batch. A look-up that fails is logged and left out (unless the turn is strict). */
async function lookUp(
  deps: ConversationDeps,
  turn: Turn<{ type: string }, StepOutcome<{ type: string }>>,
  needs: readonly Need[],
  data: ConversationData,
): Promise<ConversationData> {
  const found: Partial<ConversationData> = {};
  const reported = new Map(data.reported);
  const reports = new Map(data.reports);
  const soft = <T>(what: string, fallback: T, details: Record<string, unknown> = {}) => (error: unknown): T => {
    if (turn.strictLookups) throw error;
    deps.log.error(what, { ...details, error });
    return fallback;
  };
  await Promise.all(
    needs.map(async (need) => {
      switch (need.type) {
        case 'identifier': {
          const { identifier } = need;
          const value = identifierValue(identifier);
          const [summary, confirmedOn] = await Promise.all([
            deps.reports
              .getIdentifierSummary(identifier.kind, value)
              .catch(soft('reported identifier lookup failed', undefined, { kind: identifier.kind })),
            deps.outreach.confirmedOn(identifier.kind, value).catch(soft('confirmed scam lookup failed', undefined, { kind: identifier.kind })),
          ]);
          reported.set(
            identifierKey(identifier),
            summary || confirmedOn
              ? { reporters: summary?.reporters ?? 0, lastSeen: summary?.lastSeen ?? '', ...(confirmedOn ? { confirmedOn } : {}) }
              : null,
          );
          return;
        }
        case 'subscription': {
          const status = await deps.outreach.subscriptionStatus(turn.caller.key).catch(soft('subscription lookup failed', undefined));
          found.subscription = status ?? null;
          return;
        }
        case 'myReports':
          found.myReports = await deps.reports
            .listByReporter(turn.caller.key, MY_REPORTS_SHOWN)
            .catch(soft('my reports lookup failed', null, { callerKey: turn.caller.key }));
          return;
        case 'report':
          reports.set(need.reference, (await deps.reports.getByReference(need.reference).catch(soft('report lookup failed', undefined))) ?? null);
          return;
        case 'onCall':
          found.onCall = deps.onCall
            ? await deps.onCall.onCallNumbers().catch(soft('on-call officers lookup failed; taking a message instead', []))
            : [];
          return;
        case 'registry':
          found.registry = deps.registry ? await readRegistry({ registry: deps.registry, log: deps.log }) : null;
          return;
        case 'licences':
          found.licences =
            data.registry && deps.licences
              ? await deps.licences.get(data.registry).catch(soft('licence keypad index unavailable', null))
              : null;
          return;
      }
    }),
  );
  return { ...data, ...found, reported, reports };
}

/** The registry index (from memory; a version read at most every 30 s); null when it cannot be had. */
export function readRegistry(deps: { registry: RegistryCache; log: Logger }): Promise<RegistryIndex | null> {
  return deps.registry.get().catch((error: unknown) => {
    deps.log.error('registry unavailable', { error });
    return null;
  });
}
