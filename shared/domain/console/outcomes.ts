/** How a case ends, as an officer closes it from the console (the code goes with a note into the audit trail). */
export const CASE_OUTCOMES = [
  'advice_given',
  'payment_prevented',
  'scam_confirmed',
  'referred_resolved',
  'not_fraud',
  'duplicate',
  'unreachable',
] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];
