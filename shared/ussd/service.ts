/**
 * One USSD request, provider-neutral: the caller's language, then the session's step through the conversation
 * runner (which reads the registry only for a step that checks something). The session's navigation lives in its
 * input path: sent whole by the gateway (Africa's Talking), so nothing is written but a language choice, a submitted
 * report and a finished quiz, and the caller's language is read once per session and container
 * (start-languages.ts); or one input at
 * a time (SMPP through Kannel), so the path is kept in the store, one read and one write per step.
 */
import { randomUUID } from 'node:crypto';
import { converse } from '../conversation/runner';
import type { Lang } from '../domain/prompts';
import { homeLanguage } from '../domain/language-choice';
import type { ScreenLimits } from '../domain/screen';
import {
  advanceUssdSession,
  languageChoice,
  reportFromAnswers,
  sessionStartLanguage,
  unavailableReply,
  ussdStep,
  type UssdEffect,
  type UssdReply,
  type UssdSessionEvent,
} from '../domain/ussd';
import { dushanbeToday } from '../domain/verify';
import { ussdReportKey } from '../privacy';
import type { UssdServices } from '../runtime';

export interface UssdSessionRequest {
  sessionId: string;
  /** The caller's number as the gateway gives it. */
  phone: string;
  /** The inputs of this session so far, oldest first. */
  path: string[];
}

export async function answerUssd(deps: UssdServices, request: UssdSessionRequest): Promise<UssdReply> {
  const callerKey = deps.callerKey(request.phone);
  // The session's start language, read from the store on the session's first step in this container only.
  const known = deps.ussdStartLanguages.get(callerKey, request.sessionId);
  const startLang =
    known ??
    (await deps.languages.get(callerKey).then(
      (stored) => {
        const lang = sessionStartLanguage(stored, request.sessionId);
        deps.ussdStartLanguages.remember(callerKey, request.sessionId, lang);
        return { lang };
      },
      (error: unknown) => {
        deps.log.error('language lookup failed', { callerKey, error });
        return null;
      },
    ));
  const turn = {
    ...request,
    callerKey,
    // A gateway's retry of the final step carries the same session and path: the same report.
    idempotencyKey: ussdReportKey(callerKey, request.sessionId, request.path),
    limits: deps.config.ussdLimits,
  };
  if (startLang === null) return answerWhileStoreDown(deps, turn);
  return ussdTurn(deps, { ...turn, startLang: startLang.lang });
}

/**
 * The store is down, so the caller's language (and with it where the path starts) is unknown. A step that sends a
 * report is still filed, so intake journals it: the path is read from the language menu and from the main menu
 * (the menus are the same in every language, and the language menu's order is the number's), and the one reading
 * that sends a report is taken; a caller who chose the language in an earlier session gets their country's language,
 * the likeliest (Tajik for a number from elsewhere). Any other step gets the polite last screen rather than a menu
 * that would fail further on.
 */
async function answerWhileStoreDown(deps: UssdServices, turn: Omit<UssdTurnRequest, 'startLang'>): Promise<UssdReply> {
  const data = { today: dushanbeToday(deps.now()), cardHash: deps.cardHash, reported: new Map() };
  const homeLang = homeLanguage(turn.phone);
  const readings = [undefined, homeLang ?? 'tg'].filter((startLang) =>
    ussdStep({ path: turn.path, startLang, homeLang, limits: turn.limits, data }).effects.some((e) => e.type === 'submitReport'),
  );
  if (readings.length !== 1) return unavailableReply(undefined);
  return ussdTurn(deps, { ...turn, startLang: readings[0] });
}

/** A USSD message from a gateway that sends one input at a time (SMPP USSD through Kannel). */
export interface UssdInputRequest {
  phone: string;
  /** The gateway's session, per caller (SMPP: its_session_info's session number). */
  session: string;
  event: UssdSessionEvent;
  /** What one screen may hold on this gateway, when less than the configured limits. */
  maxLimits: ScreenLimits;
}

/**
 * One step of a session whose path is kept in the store: one read (the path with the caller's language), the
 * same step as above, one write (the path for the next input, or the session gone with its last screen). The
 * path is written only once the step has its screen, and a next screen shown only if the write succeeded: a
 * failure of either gets the polite last screen and leaves no half-stored session. When the store cannot be
 * read, the container's own copy of the path serves (UssdSessionRepository), so that a report's last answer
 * is still journaled while the store is down.
 */
export async function answerUssdInput(deps: UssdServices, request: UssdInputRequest): Promise<UssdReply> {
  const callerKey = deps.callerKey(request.phone);
  const state = await deps.ussdSessions.read(callerKey, request.session).catch((error: unknown) => {
    deps.log.error('ussd session lookup failed', { callerKey, error });
    return null;
  });
  if (state === null) return unavailableReply(undefined);
  const session = advanceUssdSession(state.session, request.event, randomUUID);
  // An answer to a session the store no longer holds (expired, or never seen): a polite last screen.
  if (!session) return unavailableReply(state.language?.lang);
  const { gsm, ucs2 } = deps.config.ussdLimits;
  const reply = await ussdTurn(deps, {
    phone: request.phone,
    sessionId: session.uid,
    path: session.path,
    callerKey,
    startLang: sessionStartLanguage(state.language, session.uid),
    idempotencyKey: ussdReportKey(callerKey, session.uid, session.path),
    limits: { gsm: Math.min(gsm, request.maxLimits.gsm), ucs2: Math.min(ucs2, request.maxLimits.ucs2) },
  });
  const saved = await (reply.end ? deps.ussdSessions.end(callerKey, request.session) : deps.ussdSessions.save(callerKey, request.session, session)).then(
    () => true,
    (error: unknown) => {
      deps.log.error('ussd session write failed', { callerKey, error });
      return false;
    },
  );
  // A last screen is shown even when the session could not be deleted (it expires; a repeat of the answer finds
  // the same report): it may say that a report was journaled. A next screen needs its path stored.
  return saved || reply.end ? reply : unavailableReply(state.language?.lang);
}

type UssdTurnRequest = UssdSessionRequest & {
  callerKey: string;
  /** The language the session began with (sessionStartLanguage). */
  startLang: Lang | undefined;
  idempotencyKey: string;
  limits: ScreenLimits;
};

/** One step of a session whose path and caller are known: the pure step through the conversation runner. */
async function ussdTurn(deps: UssdServices, turn: UssdTurnRequest): Promise<UssdReply> {
  const { callerKey, startLang } = turn;
  const homeLang = homeLanguage(turn.phone);
  const { result } = await converse(deps, {
    caller: { phone: turn.phone, key: callerKey },
    channel: 'ussd',
    // The registry is read only by a step that checks something (its need), not by navigation.
    data: { today: dushanbeToday(deps.now()), cardHash: deps.cardHash, reported: new Map() },
    step: (data) => ussdStep({ path: turn.path, startLang, homeLang, limits: turn.limits, data }),
    filing: {
      reportOf: (effect: UssdEffect) =>
        effect.type === 'submitReport' ? reportFromAnswers(effect.answers, effect.lang, turn.phone, deps.cardHash) : undefined,
      idempotencyKey: turn.idempotencyKey,
      confirmBySms: true,
      reachableBySms: true,
    },
    // The same for a gateway's retry of the last screen: the taking is recorded (and its code texted) once.
    quiz: { attemptId: turn.idempotencyKey, channel: 'ussd', canText: true },
    // A lost language choice costs the caller nothing in this session (the path still holds it), so the reply
    // goes out even when the write fails.
    rememberLanguage: (lang) =>
      deps.languages
        .put(callerKey, languageChoice(startLang, turn.sessionId, lang))
        .catch((error: unknown) => deps.log.error('language write failed', { callerKey, error })),
  });
  return result.reply;
}
