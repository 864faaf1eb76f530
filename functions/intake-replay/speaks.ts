import type { PromptNamespace } from '../../shared/domain/prompts';

/**
 * The prompt namespaces the intake replay speaks: what filing a journaled report sends (the reference SMS with its
 * advice, the officers' pages of an urgent report, a quiz completion code).
 * Its bundle holds these texts only (infra/bundling.ts); test/prompt-namespaces.test.ts fails if its code names a
 * key outside them.
 */
export const SPEAKS: readonly PromptNamespace[] = [
  // The word lists its bundle's parsers read (of shared/domain/keywords.ts KEYWORD_NAMESPACES).
  'sms.keywords', 'outreach.topicWords', 'outreach.destinationWords', 'officer.bodyWords',
  'sms.reportReceived', 'report.advice', 'quiz.codeSms', 'escalation', 'officer.relatedReport',
];
