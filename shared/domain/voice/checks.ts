/**
 * The voice line's checks: a phone number typed on the keypad, and a licence number.
 */
import type { Lang } from '../prompts';
import { standing, type Standing } from '../registry';
import { parsePhone } from '../phone';
import type { Identifier } from '../report';
import { identifierKey } from '../conversation';
import { checkVerdict } from '../verify';
import type { Segment } from './spoken';
import { type Context, prompt } from './questions';

type PhoneIdentifier = Extract<Identifier, { kind: 'phone' | 'handle' | 'url' }> & { kind: 'phone' };

/** A phone number typed on a keypad, in E.164, read as every channel reads one (shared/domain/phone.ts). */
export function phoneFromKeypad(keys: string): PhoneIdentifier | undefined {
  const value = parsePhone(keys);
  return value ? { kind: 'phone', value } : undefined;
}

/**
 * What the line says of a phone number typed on the keypad. A warning comes first, as on USSD and SMS
 * (shared/domain/verify.ts `contactAnswer`): a contact of a body that may no longer recruit (licence revoked,
 * suspended or expired), a number officers confirmed a scam, a number reported; only then whose official contact
 * of a licensed body it is.
 */
export function phoneAnswer(ctx: Context, lang: Lang, phone: PhoneIdentifier): Segment[] {
  const { data } = ctx.request;
  const key = identifierKey(phone);
  if (!data.reported.has(key)) ctx.needs.push({ type: 'identifier', identifier: phone });
  const reported = data.reported.get(key) ?? undefined;
  const official = (data.registry?.findContact('phone', phone.value) ?? []).map((entry) => ({ entry, state: standing(entry, data.today) }));
  const described = (state: Standing, name: string): Segment[] => [{ kind: 'text', text: name, lang }, prompt(lang, 'voice.status'), prompt(lang, `status.${state}`)];
  const segments: Segment[] = [prompt(lang, 'voice.phone.typed'), { kind: 'chars', chars: phone.value.replace('+', ''), lang }];
  for (const { entry, state } of official.filter(({ state }) => state !== 'licensed')) {
    segments.push(prompt(lang, 'voice.phone.officialWarning'), ...described(state, entry.name), prompt(lang, 'voice.licence.warning'));
  }
  if (reported?.confirmedOn) {
    // Two officers confirmed it (an approved alert): that outweighs any count of reports.
    segments.push(prompt(lang, 'voice.phone.confirmed'), { kind: 'text', text: spokenDate(reported.confirmedOn), lang }, prompt(lang, 'voice.phone.reportedAdvice'));
  } else if (reported && reported.reporters > 1) {
    segments.push(prompt(lang, 'voice.phone.reported'), { kind: 'number', value: reported.reporters, lang }, prompt(lang, 'voice.phone.reportedAdvice'));
  } else if (reported && reported.reporters === 1) {
    // One report alone does not brand a number a scam (docs/domain-facts.md).
    segments.push(prompt(lang, 'voice.phone.reportedOnce'));
  }
  for (const { entry, state } of official.filter(({ state }) => state === 'licensed')) {
    segments.push(prompt(lang, 'voice.phone.official'), ...described(state, entry.name));
  }
  const nothingKnown = segments.length === 2;
  if (nothingKnown) segments.push(prompt(lang, 'voice.phone.none'));
  if (ctx.needs.length === 0) {
    ctx.effects.push({ type: 'verified', kind: 'phone', verdict: checkVerdict({ identifier: phone }, data.registry, reported, data.today) });
  }
  return segments;
}

/** `2026-12-01` as callers write a date (`01.12.2026`), for speech. */
function spokenDate(isoDay: string): string {
  const [year, month, day] = isoDay.split('-');
  return year && month && day ? `${day}.${month}.${year}` : isoDay;
}

/** How many of several matching licences are read out. */
const LICENCES_READ = 3;

export function licenceAnswer(ctx: Context, lang: Lang, typed: string): Segment[] {
  const { data } = ctx.request;
  if (data.licences === undefined) {
    ctx.needs.push({ type: 'licences' });
    return [];
  }
  if (data.licences === null) {
    ctx.effects.push({ type: 'verified', kind: 'name', verdict: 'unclear' });
    return [prompt(lang, 'voice.unavailable')];
  }
  const found = data.licences.find(typed).slice(0, LICENCES_READ);
  if (found.length === 0) {
    ctx.effects.push({ type: 'verified', kind: 'name', verdict: 'unknown' });
    return [prompt(lang, 'voice.licence.none')];
  }
  const standings = found.map((entry) => standing(entry, data.today));
  // As a name check counts it (shared/domain/verify.ts checkVerdict): licensed only when every match may recruit.
  ctx.effects.push({ type: 'verified', kind: 'name', verdict: standings.every((s) => s === 'licensed') ? 'licensed' : 'warning' });
  return [
    prompt(lang, found.length === 1 ? 'voice.licence.found' : 'voice.licence.several'),
    ...found.flatMap((entry, i): Segment[] => [
      { kind: 'text', text: entry.name, lang },
      prompt(lang, 'voice.status'),
      prompt(lang, `status.${standings[i]!}`),
    ]),
    prompt(lang, standings.every((s) => s === 'licensed') ? 'voice.licence.licensedAdvice' : 'voice.licence.warning'),
  ];
}
