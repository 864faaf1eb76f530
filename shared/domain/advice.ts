/**
 * The advice topics, in the order every channel lists them (USSD menu entries 1–5, voice keys 1–5); each topic's text
 * is `advice.<topic>.text` in prompts/.
 */
export const ADVICE_TOPICS = ['redflags', 'nofees', 'visa', 'contacts', 'russia'] as const;

export type AdviceTopic = (typeof ADVICE_TOPICS)[number];
