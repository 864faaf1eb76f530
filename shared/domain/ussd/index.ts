/**
 * The USSD conversation as a pure function. Africa's Talking sends the whole input path of a session in `text`
 * (`""`, `1`, `1*2`, …), so the current screen is derived by replaying that path from the session's first screen:
 * navigating needs no session write. The runner supplies what it looked up (the caller's language at the start of
 * the session) and runs the effects this returns.
 */
export {
  ADVICE_TOPICS,
  KEY_BACK,
  KEY_HOME,
  KEY_MORE,
  type AdviceTopic,
  type ReportAnswers,
  type UssdEffect,
  type UssdNeed,
  type UssdData,
  type UssdRequest,
  type UssdReply,
  type UssdResult,
} from './walk';
export { reportFromAnswers } from './report-flow';
export { unavailableReply } from './pages';
export { ussdStep } from './step';
export { sessionStartLanguage, chosenLanguage, languageChoice, type StoredLanguage } from './language';
export { advanceUssdSession, type UssdSession, type UssdSessionEvent } from './input-path';
