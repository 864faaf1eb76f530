import { KEYWORD_NAMESPACES } from '../../shared/domain/keywords';
import type { PromptNamespace } from '../../shared/domain/prompts';

/**
 * The prompt namespaces the broadcast schedule speaks: the timed tips (an alert's text is written when it is
 * drafted).
 * Its bundle holds these texts only (infra/bundling.ts); test/prompt-namespaces.test.ts fails if its code names a
 * key outside them.
 */
export const SPEAKS: readonly PromptNamespace[] = [
  ...KEYWORD_NAMESPACES,
  'tips',
];
