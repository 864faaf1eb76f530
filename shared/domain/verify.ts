/**
 * Verification answers, pure: is this agency, employer or contact in the registry, and has it been reported?
 * Never "safe": an answer is "licensed", a warning, "reported N times", or "no record: be careful, here is why"
 * (docs/domain-facts.md). The same texts serve USSD (paged) and SMS (at most three parts).
 */
import { t, type Lang, type PromptKey } from './prompts';
import { standing, type RegistryEntry, type RegistryIndex, type Standing } from './registry';
import type { Identifier } from './report';

/** What the store knows of an identifier from reports (see ReportRepository.getIdentifier). */
export interface ReportedSummary {
  reporters: number;
  lastSeen: string;
  /** The day (`YYYY-MM-DD`) officers confirmed it a scam (an approved alert), if they did. */
  confirmedOn?: string;
}

/** Today in Dushanbe (UTC+5, no daylight saving), the calendar most callers live by. */
export function dushanbeToday(nowMs: number): string {
  return new Date(nowMs + 5 * 3600_000).toISOString().slice(0, 10);
}

function contactsOf(entry: RegistryEntry): string {
  return [...entry.phones, ...entry.websites].join(', ');
}

/**
 * The answer about one registry entry on `today` (YYYY-MM-DD). `withContacts: false` leaves out the official
 * contacts, for an SMS that would not fit otherwise.
 */
export function entryAnswer(lang: Lang, entry: RegistryEntry, today: string, withContacts = true): string {
  const state: Standing = standing(entry, today);
  const vars = {
    name: entry.name,
    kind: t(lang, `kind.${entry.kind}` as PromptKey),
    country: entry.country,
    validity: entry.validUntil
      ? t(lang, 'verify.validUntil', { date: entry.validUntil })
      : t(lang, 'verify.checkedOn', { date: entry.checkedOn }),
  };
  if (state === 'licensed') {
    const contacts = contactsOf(entry);
    return t(lang, 'verify.licensed', {
      ...vars,
      contacts: !withContacts ? '' : contacts ? t(lang, 'verify.officialContacts', { contacts }) : t(lang, 'verify.noContacts'),
    });
  }
  if (state === 'expired') {
    const since = entry.validUntil ? t(lang, 'verify.expiredSince', { date: entry.validUntil }) : '';
    return t(lang, 'verify.expired', { ...vars, since });
  }
  return t(lang, `verify.${state}` as PromptKey, vars);
}

/**
 * The answer to a name or licence number the caller typed, matched to one entry with `score` (1: the same name,
 * folded; less: a name that only resembles it). Scammers borrow licensed names ("Pro Force Jobs"), so a near match
 * of a licensed entry is never read as a licence: it names the entry it resembles and that entry's only contacts.
 */
export function nameAnswer(
  lang: Lang,
  query: string,
  match: { entry: RegistryEntry; score: number },
  today: string,
  withContacts = true,
): string {
  const { entry } = match;
  if (match.score >= 1 || standing(entry, today) !== 'licensed') return entryAnswer(lang, entry, today, withContacts);
  const contacts = contactsOf(entry);
  return t(lang, 'verify.nearMatch', {
    query: query.trim().slice(0, 40),
    name: entry.name,
    kind: t(lang, `kind.${entry.kind}` as PromptKey),
    country: entry.country,
    contacts: !withContacts
      ? ''
      : contacts
        ? t(lang, 'verify.nearContacts', { contacts, name: entry.name })
        : t(lang, 'verify.noContacts'),
  });
}

export function noRecordAnswer(lang: Lang, query: string): string {
  return t(lang, 'verify.none', { query: query.trim().slice(0, 40) });
}

/** How an identifier is shown back to a caller: a card only by its last four digits. */
export function shownIdentifier(identifier: Identifier): string {
  if (identifier.kind === 'card') return `**** ${identifier.last4}`;
  return identifier.kind === 'handle' ? `@${identifier.value}` : identifier.value;
}

/**
 * The answer about a phone number, account, link or card: whose official contact it is, how often it was reported,
 * or no record. The official contact of a licensed entry says how to tell an impostor instead of its reports (a
 * scammer may spoof a real number, and reports must not brand a licensed agency); any other says both.
 */
export function contactAnswer(
  lang: Lang,
  identifier: Identifier,
  officialOf: readonly RegistryEntry[],
  reported: ReportedSummary | undefined,
  today: string,
): string {
  const value = shownIdentifier(identifier);
  // A contact of a body that may no longer recruit is a warning, and a warning comes first (the first screen).
  const parts: string[] = officialOf
    .map((entry) => ({ entry, state: standing(entry, today) }))
    .sort((a, b) => Number(a.state === 'licensed') - Number(b.state === 'licensed'))
    .map(({ entry, state }) =>
      t(lang, state === 'licensed' ? 'contact.official' : 'contact.officialWarning', {
        value,
        name: entry.name,
        status: t(lang, `status.${state}` as PromptKey),
      }),
    );
  if (reported?.confirmedOn) {
    // Two officers confirmed it: that outweighs any count of reports.
    parts.push(t(lang, 'contact.confirmedScam', { value, date: reported.confirmedOn }));
  } else if (officialOf.some((entry) => standing(entry, today) === 'licensed')) {
    // A licensed agency's own number is never branded by reports: they can only be about impostors using it
    // (two officers' confirmation above is a person's judgement, not a count).
    parts.push(t(lang, 'contact.impostor'));
  } else if (reported && reported.reporters > 0) {
    // One report alone does not brand a number a scam (docs/domain-facts.md).
    const key = reported.reporters === 1 ? 'contact.reportedOnce' : 'contact.reported';
    parts.push(t(lang, key, { value, count: reported.reporters, date: reported.lastSeen.slice(0, 10) }));
  }
  return parts.length > 0 ? parts.join(' ') : t(lang, 'contact.none', { value });
}

/** The registry entries whose official contact a phone number or link is (an account or card is never one). */
export function officialContactsOf(registry: RegistryIndex, identifier: Identifier): RegistryEntry[] {
  if (identifier.kind !== 'phone' && identifier.kind !== 'url') return [];
  return registry.findContact(identifier.kind === 'phone' ? 'phone' : 'website', identifier.value);
}

export const VERIFICATION_VERDICTS = ['licensed', 'warning', 'unknown', 'unclear'] as const;
export type VerificationVerdict = (typeof VERIFICATION_VERDICTS)[number];

/** What a caller asked to check: a contact found in what they typed, or a name or licence number. */
export type CheckTarget = { identifier: Identifier } | { name: string };

/**
 * What a check told the caller, in one word for the analysts' counts (never the query): `licensed` (a body in good
 * standing by its exact name, or its official contact), `warning` (revoked, suspended or expired, a name that only
 * resembles a licensed one, a contact reported or confirmed a scam), `unknown` (no record at all), `unclear`
 * (several names to pick from, nothing recognisable typed, or no registry to answer from). It follows the same
 * rules as the answers above.
 */
export function checkVerdict(
  target: CheckTarget | undefined,
  registry: RegistryIndex | null | undefined,
  reported: ReportedSummary | null | undefined,
  today: string,
): VerificationVerdict {
  if (!target) return 'unclear';
  if ('name' in target) {
    if (!registry) return 'unclear';
    const match = registry.findByNameOrLicence(target.name);
    if (match.kind === 'none') return 'unknown';
    if (match.kind === 'several') return 'unclear';
    return match.score >= 1 && standing(match.entry, today) === 'licensed' ? 'licensed' : 'warning';
  }
  const { identifier } = target;
  const needsRegistry = identifier.kind === 'phone' || identifier.kind === 'url';
  if (needsRegistry && !registry) return 'unclear';
  const official = registry ? officialContactsOf(registry, identifier) : [];
  if (official.some((entry) => standing(entry, today) !== 'licensed') || reported?.confirmedOn) return 'warning';
  if (official.length > 0) return 'licensed';
  return reported && reported.reporters > 0 ? 'warning' : 'unknown';
}
