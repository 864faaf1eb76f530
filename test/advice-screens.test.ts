import { describe, expect, it } from 'vitest';
import { KANNEL_USSD_LIMITS } from '../shared/channels/kannel';
import { LANGUAGES, t, type Lang } from '../shared/domain/prompts';
import type { ScreenLimits } from '../shared/domain/screen';
import { ADVICE_TOPICS, KEY_MORE, ussdStep, type AdviceTopic } from '../shared/domain/ussd';
import { sampleUssdData } from './support/registry';

const AT_LIMITS = { gsm: 182, ucs2: 80 };

/** The number an option carries on a menu screen, found by its label. */
function optionNumber(text: string, label: string): string {
  const line = text.split('\n').find((l) => l.endsWith(`. ${label}`));
  if (!line) throw new Error(`no option "${label}" on:\n${text}`);
  return line.slice(0, line.indexOf('.'));
}

/** The screens a caller reads for one advice topic: the first, then each More, until no More is offered. */
function adviceScreens(lang: Lang, topic: AdviceTopic, limits: ScreenLimits): string[] {
  const data = sampleUssdData();
  const path: string[] = [];
  const at = () => ussdStep({ path, startLang: lang, limits, data }).reply.text;
  // Menus may run over more than one screen: page on until the option is offered, then choose it.
  const choose = (label: string) => {
    while (!at().split('\n').some((line) => line.endsWith(`. ${label}`)) && path.length < 20) path.push(KEY_MORE);
    path.push(optionNumber(at(), label));
  };
  choose(t(lang, 'menu.advice'));
  choose(t(lang, `advice.${topic}.title`));
  const screens = [at()];
  while (screens.length < 20 && new RegExp(`^${KEY_MORE}\\. `, 'm').test(screens.at(-1)!)) {
    path.push(KEY_MORE);
    screens.push(at());
  }
  return screens;
}

// Each topic within three screens at Africa's Talking's limits (issue #16: Tajik and Russian took 6-7); Kannel's
// smsbox cuts at 140 octets (70 UCS-2 characters), so there a topic may take one screen more, and no more.
describe('every advice topic, in every language', () => {
  for (const lang of LANGUAGES)
    for (const topic of ADVICE_TOPICS)
      it(`${lang} ${topic}: at most 3 screens at Africa's Talking's limits, at most 4 at Kannel's`, () => {
        const at = adviceScreens(lang, topic, AT_LIMITS);
        const kannel = adviceScreens(lang, topic, KANNEL_USSD_LIMITS);
        expect(at.length).toBeLessThanOrEqual(3);
        expect(kannel.length).toBeLessThanOrEqual(4);
        // The walk read the topic itself: its first words open the first screen.
        expect(at[0]!.startsWith(t(lang, `advice.${topic}.text`).split(' ').slice(0, 3).join(' '))).toBe(true);
      });
});
