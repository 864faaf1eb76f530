import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/**
 * Function and access logs hold no raw phone numbers or report text (shared/log.ts), but they do hold keyed phone
 * hashes and session ids, i.e. pseudonymous data. Six months covers investigating a gateway incident or an abuse
 * pattern reported weeks after the fact; reports themselves live in the table, not in logs, so keeping logs longer
 * would only accumulate pseudonymous data without a use.
 */
export const LOG_RETENTION = RetentionDays.SIX_MONTHS;
