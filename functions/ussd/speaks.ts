import type { PromptNamespace } from '../../shared/domain/prompts';

/**
 * The prompt namespaces the USSD function speaks: the menus and every screen, and what filing a report sends
 * (the reference SMS, the officers' pages of an urgent report).
 * Its bundle holds these texts only (infra/bundling.ts); test/prompt-namespaces.test.ts fails if its code names a
 * key outside them.
 */
export const SPEAKS: readonly PromptNamespace[] = [
  // The word lists its bundle's parsers read (of shared/domain/keywords.ts KEYWORD_NAMESPACES).
  'sms.keywords', 'outreach.topicWords', 'outreach.destinationWords', 'officer.bodyWords',
  'lang', 'menu', 'common', 'advice', 'check', 'contact', 'kind', 'status', 'verify',
  'report', 'myReports', 'quiz', 'subscribe',
  // Filing a report: the reference by SMS, and the pages of an urgent one.
  'sms.reportReceived', 'escalation', 'officer.relatedReport',
];
