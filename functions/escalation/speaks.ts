import type { PromptNamespace } from '../../shared/domain/prompts';

/**
 * The prompt namespaces the escalation function speaks: the pages and reminders of an open escalation.
 * Its bundle holds these texts only (infra/bundling.ts); test/prompt-namespaces.test.ts fails if its code names a
 * key outside them.
 */
export const SPEAKS: readonly PromptNamespace[] = [
  // The word lists its bundle's parsers read (of shared/domain/keywords.ts KEYWORD_NAMESPACES).
  'outreach.topicWords', 'outreach.destinationWords', 'officer.bodyWords',
  'escalation',
];
