/**
 * One USSD request, provider-neutral: the caller's language and the registry side by side, then the session's
 * step through the conversation runner. The session's navigation lives in its input path; nothing is written but
 * a language choice and a submitted report.
 */
import { converse, readRegistry } from '../conversation/runner';
import {
  chosenLanguage,
  reportFromAnswers,
  sessionStartLanguage,
  unavailableReply,
  ussdStep,
  type UssdEffect,
  type UssdReply,
} from '../domain/ussd';
import { dushanbeToday } from '../domain/verify';
import type { ChannelServices } from '../runtime';

export interface UssdSessionRequest {
  sessionId: string;
  /** The caller's number as the gateway gives it. */
  phone: string;
  /** The inputs of this session so far, oldest first. */
  path: string[];
}

export async function answerUssd(deps: ChannelServices, request: UssdSessionRequest): Promise<UssdReply> {
  const callerKey = deps.callerKey(request.phone);
  const [stored, registry] = await Promise.all([
    deps.languages.get(callerKey).catch((error: unknown) => {
      deps.log.error('language lookup failed', { callerKey, error });
      return null;
    }),
    readRegistry(deps),
  ]);
  // The store is down: the caller gets a polite last screen rather than a menu that would fail further on.
  if (stored === null) return unavailableReply(undefined);
  const startLang = sessionStartLanguage(stored, request.sessionId);
  const { result } = await converse(deps, {
    caller: { phone: request.phone, key: callerKey },
    data: { registry, today: dushanbeToday(deps.now()), cardHash: deps.cardHash, reported: new Map() },
    step: (data) => ussdStep({ path: request.path, startLang, limits: deps.config.ussdLimits, data }),
    filing: {
      reportOf: (effect: UssdEffect) =>
        effect.type === 'submitReport' ? reportFromAnswers(effect.answers, effect.lang, request.phone, deps.cardHash) : undefined,
      // A gateway's retry of the final step carries the same session and path: the same report.
      idempotencyKey: `ussd:${request.sessionId}:${request.path.join('*')}`,
      confirmBySms: true,
    },
    // A lost language choice costs the caller nothing in this session (the path still holds it), so the reply
    // goes out even when the write fails.
    rememberLanguage: (lang) =>
      deps.languages
        .put(callerKey, chosenLanguage(stored, request.sessionId, lang))
        .catch((error: unknown) => deps.log.error('language write failed', { callerKey, error })),
  });
  return result.reply;
}
