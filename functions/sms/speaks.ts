import { KEYWORD_NAMESPACES } from '../../shared/domain/keywords';
import type { PromptNamespace } from '../../shared/domain/prompts';

/**
 * The prompt namespaces the SMS function speaks: every reply to a text, officers' commands and CALL bridges, alerts,
 * subscriptions and the quiz by SMS, and what filing a report sends (the officers' pages of an urgent report).
 * Its bundle holds these texts only (infra/bundling.ts); test/prompt-namespaces.test.ts fails if its code names a
 * key outside them.
 */
export const SPEAKS: readonly PromptNamespace[] = [
  ...KEYWORD_NAMESPACES,
  'sms', 'common', 'contact', 'kind', 'status', 'verify', 'report', 'myReports', 'quiz', 'outreach', 'alert',
  // Officers' commands, the pages they answer, and what a CALL bridge says to the officer.
  'officer', 'escalation', 'bridge',
];
