/**
 * The voice line's checks: a phone number typed on the keypad, and a licence number.
 */
import type { Lang } from '../prompts';
import { standing } from '../registry';
import { extractIdentifiers, type Identifier } from '../report';
import { identifierKey } from '../conversation';
import type { Segment } from './spoken';
import { type Context, prompt } from './questions';

type PhoneIdentifier = Extract<Identifier, { kind: 'phone' | 'handle' | 'url' }> & { kind: 'phone' };

/**
 * A phone number typed on a keypad, in E.164: `00` or a country code for international numbers (`992…`, `44…`),
 * a Tajik local number (9 digits, or 10 with the trunk 8), a Russian one with its trunk 8 (11 digits).
 */
export function phoneFromKeypad(keys: string, cardHash: (digits: string) => string): PhoneIdentifier | undefined {
  const digits = keys.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 17) return undefined;
  const written = digits.startsWith('00')
    ? `+${digits.slice(2)}`
    : /^8\d{10}$/.test(digits)
      ? `+7${digits.slice(1)}`
      : digits.length >= 11
        ? `+${digits}`
        : digits;
  const found = extractIdentifiers(written, cardHash)[0];
  return found?.kind === 'phone' ? { kind: 'phone', value: found.value } : undefined;
}

export function phoneAnswer(ctx: Context, lang: Lang, phone: PhoneIdentifier): Segment[] {
  const { data } = ctx.request;
  const key = identifierKey(phone);
  if (!data.reported.has(key)) ctx.needs.push({ type: 'identifier', identifier: phone });
  const reported = data.reported.get(key) ?? undefined;
  const official = data.registry?.findContact('phone', phone.value) ?? [];
  const segments: Segment[] = [prompt(lang, 'voice.phone.typed'), { kind: 'chars', chars: phone.value.replace('+', ''), lang }];
  for (const entry of official) {
    segments.push(
      prompt(lang, 'voice.phone.official'),
      { kind: 'text', text: entry.name, lang },
      prompt(lang, 'voice.status'),
      prompt(lang, `status.${standing(entry, data.today)}`),
    );
  }
  // One report alone does not brand a number a scam (docs/domain-facts.md).
  if (reported && reported.reporters > 1) {
    segments.push(prompt(lang, 'voice.phone.reported'), { kind: 'number', value: reported.reporters, lang }, prompt(lang, 'voice.phone.reportedAdvice'));
  } else if (reported && reported.reporters === 1) {
    segments.push(prompt(lang, 'voice.phone.reportedOnce'));
  } else if (official.length === 0) {
    segments.push(prompt(lang, 'voice.phone.none'));
  }
  return segments;
}

/** How many of several matching licences are read out. */
const LICENCES_READ = 3;

export function licenceAnswer(ctx: Context, lang: Lang, typed: string): Segment[] {
  const { data } = ctx.request;
  if (data.licences === undefined) {
    ctx.needs.push({ type: 'licences' });
    return [];
  }
  if (data.licences === null) return [prompt(lang, 'voice.unavailable')];
  const found = data.licences.find(typed).slice(0, LICENCES_READ);
  if (found.length === 0) return [prompt(lang, 'voice.licence.none')];
  const standings = found.map((entry) => standing(entry, data.today));
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
