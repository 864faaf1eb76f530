import type { PromptNamespace } from '../../shared/domain/prompts';

/**
 * The prompt namespaces the outbox speaks: none of its own (it sends texts written by the functions that queue
 * them), only the word lists its message parsing reads.
 * Its bundle holds these texts only (infra/bundling.ts); test/prompt-namespaces.test.ts fails if its code names a
 * key outside them.
 */
export const SPEAKS: readonly PromptNamespace[] = [
  // The word lists its bundle's parsers read (of shared/domain/keywords.ts KEYWORD_NAMESPACES).
  'outreach.topicWords', 'outreach.destinationWords', 'officer.bodyWords',
];
