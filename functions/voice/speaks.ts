import type { PromptNamespace } from '../../shared/domain/prompts';

/**
 * The prompt namespaces the voice function speaks: everything the voice line and the studio line say, and what
 * filing a report sends (the reference SMS, the officers' pages of an urgent report, a CALL bridge's whisper).
 * Its bundle holds these texts only (infra/bundling.ts); test/prompt-namespaces.test.ts fails if its code names a
 * key outside them.
 */
export const SPEAKS: readonly PromptNamespace[] = [
  // The word lists its bundle's parsers read (of shared/domain/keywords.ts KEYWORD_NAMESPACES).
  'sms.keywords', 'outreach.topicWords', 'outreach.destinationWords', 'officer.bodyWords',
  'voice', 'advice', 'status', 'quiz', 'report.advice',
  // Filing a report: the reference by SMS, and the pages of an urgent one; an officer's CALL bridge.
  'sms.reportReceived', 'escalation', 'officer.relatedReport', 'bridge',
];
