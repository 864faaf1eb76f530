import { describe, expect, it } from 'vitest';
import { catalogueTexts } from '../prompts/catalogue';
import { LANGUAGES, PROMPTS, t, type Lang } from '../shared/domain/prompts';
import { KANNEL_USSD_LIMITS } from '../shared/channels/kannel';
import { measureScreen, type ScreenLimits } from '../shared/domain/screen';
import { KEY_BACK, KEY_HOME, KEY_MORE, ussdStep, type UssdData } from '../shared/domain/ussd';
import { sampleReport } from './support/reports';
import { sampleUssdData } from './support/registry';

const AT_LIMITS = { gsm: 182, ucs2: 80 };

describe('prompts', () => {
  it('have the same keys in every language, none empty', () => {
    const english = Object.keys(PROMPTS.en).sort();
    for (const lang of LANGUAGES) {
      expect(Object.keys(PROMPTS[lang]).sort()).toEqual(english);
      for (const [key, text] of Object.entries(PROMPTS[lang])) expect(text.trim(), `${lang} ${key}`).not.toBe('');
    }
  });

  it('carry a review marker per language; Tajik and Russian await native review until marked reviewed', () => {
    for (const lang of LANGUAGES) expect(catalogueTexts(lang)['_meta.review']).toMatch(/^(reviewed|needs native review)/);
    expect(catalogueTexts('en')['_meta.review']).toMatch(/^reviewed/);
  });

  it('use the same placeholders in every language', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(PROMPTS.en) as (keyof typeof PROMPTS.en)[]) {
      for (const lang of LANGUAGES) expect(placeholders(PROMPTS[lang][key]), `${lang} ${key}`).toEqual(placeholders(PROMPTS.en[key]));
    }
  });
});

/**
 * Every screen a caller can reach, in every language: a breadth-first walk over the inputs each screen offers
 * (its numbered options, More, Back, Home) plus an invalid one.
 */
function reachableScreens(startLang: Lang | undefined, data: UssdData, limits: ScreenLimits, homeLang?: Lang, depths = 60): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  let frontier: string[][] = [[]];
  for (let depth = 0; depth < depths && frontier.length > 0; depth++) {
    const next: string[][] = [];
    for (const path of frontier) {
      const { reply } = ussdStep({ path, startLang, homeLang, limits, data });
      if (seen.has(reply.text)) continue;
      seen.set(reply.text, path);
      const options = [...reply.text.matchAll(/^(\d+)\. /gm)].map((m) => m[1]!);
      for (const input of new Set([...options, KEY_MORE, KEY_BACK, KEY_HOME, 'x'])) next.push([...path, input]);
    }
    frontier = next;
  }
  return seen;
}

describe('every USSD screen', () => {
  // With a caller who has reports, a submitted report saved and a quiz taking recorded, so that those screens are walked too.
  const report = sampleReport({ paid: 'about_to_pay', category: 'abroad_in_trouble' });
  const data = sampleUssdData({ myReports: [report], submitted: { saved: true, report }, quizRecorded: { saved: true, passed: false } });
  // Africa's Talking's limits, and Kannel's (its smsbox cuts every message at 140 octets).
  for (const [gateway, limits] of [['Africa\'s Talking', AT_LIMITS], ['Kannel', KANNEL_USSD_LIMITS]] as const)
  for (const startLang of [undefined, ...LANGUAGES]) {
    it(`fits the ${gateway} limit, starting in ${startLang ?? 'no language'}`, () => {
      const screens = new Map([...reachableScreens(startLang, sampleUssdData(), limits), ...reachableScreens(startLang, data, limits)]);
      expect(screens.size).toBeGreaterThan(20);
      // The quiz is walked to its end: every question, and a result (all answers 1: not passed, topics to revisit).
      const lastQuestions = [...screens.keys()].filter((text) => /^9\/9 /.test(text));
      expect(lastQuestions.length, 'the last quiz question').toBeGreaterThan(0);
      const results = [...screens.keys()].filter((text) => text.includes(startLang ? t(startLang, 'quiz.retry') : '\u0000'));
      // Under Kannel's shorter pages the walk (which stops at a screen it has seen) does not reach the Russian result;
      // the screens it reaches are still measured.
      if (startLang && !(gateway === 'Kannel' && startLang === 'ru')) expect(results.length, 'a quiz result').toBeGreaterThan(0);
      for (const [text, path] of screens) {
        const m = measureScreen(text, limits);
        expect(m.length, `path ${path.join('*')}:\n${text}`).toBeLessThanOrEqual(m.limit);
        for (const line of text.split('\n').filter((l) => /^\d+\./.test(l))) expect(line).toMatch(/^\d+\. \S/);
      }
    });
  }

  // A first-time caller from Uzbekistan or Kyrgyzstan sees the language menu in another order (their language
  // first) and its invalid notice in their language; past it, the screens are those walked above.
  for (const [gateway, limits] of [['Africa\'s Talking', AT_LIMITS], ['Kannel', KANNEL_USSD_LIMITS]] as const)
  for (const homeLang of ['uz', 'ky'] as const) {
    it(`fits the ${gateway} limit for a first-time caller from ${homeLang}, on one screen`, () => {
      const screens = reachableScreens(undefined, sampleUssdData(), limits, homeLang, 3);
      const [first] = screens.keys();
      expect(first!.split('\n').filter((line) => /^\d\. /.test(line))).toHaveLength(LANGUAGES.length);
      expect(first).not.toContain(`${KEY_MORE}. `);
      for (const [text, path] of screens) {
        const m = measureScreen(text, limits);
        expect(m.length, `path ${path.join('*')}:\n${text}`).toBeLessThanOrEqual(m.limit);
      }
    });
  }
});
