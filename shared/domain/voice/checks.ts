/**
 * The voice line's checks: a phone number typed on the keypad, and a licence number.
 */
import type { Lang } from '../prompts';
import { standing } from '../registry';
import { parsePhone } from '../phone';
import type { Identifier } from '../report';
import { identifierKey } from '../conversation';
import type { Segment } from './spoken';
import { type Context, prompt } from './questions';

type PhoneIdentifier = Extract<Identifier, { kind: 'phone' | 'handle' | 'url' }> & { kind: 'phone' };

/** A phone number typed on a keypad, in E.164, read as every channel reads one (shared/domain/phone.ts). */
export function phoneFromKeypad(keys: string): PhoneIdentifier | undefined {
  const value = parsePhone(keys);
  return value ? { kind: 'phone', value } : undefined;
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
