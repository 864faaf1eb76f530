import type { PromptNamespace } from '../../shared/domain/prompts';

/**
 * The prompt namespaces the console speaks (its own words are prompts/console/*.json): the case pages' report and
 * page texts, officers' words, and the prompt studio's catalogue of every spoken text.
 * Its bundle holds these texts only (infra/bundling.ts); test/prompt-namespaces.test.ts fails if its code names a
 * key outside them.
 */
export const SPEAKS: readonly PromptNamespace[] = [
  // The word lists its bundle's parsers read (of shared/domain/keywords.ts KEYWORD_NAMESPACES).
  'sms.keywords', 'outreach.topicWords', 'outreach.destinationWords', 'officer.bodyWords',
  'escalation', 'officer', 'lang.name',
  // The studio: every text the voice line speaks.
  'voice', 'advice', 'status', 'quiz',
];
