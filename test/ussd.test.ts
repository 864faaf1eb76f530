import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROMPTS } from '../shared/domain/prompts';
import { fitsScreen } from '../shared/domain/screen';
import { chosenLanguage, sessionStartLanguage, ussdStep } from '../shared/domain/ussd';
import { sampleUssdData } from './support/registry';

const limits = { gsm: 182, ucs2: 80 };
const data = sampleUssdData();
const step = (path: string[], startLang?: 'tg' | 'ru' | 'en') => ussdStep({ path, startLang, limits, data });

describe('USSD conversation', () => {
  it('asks a first-time caller for a language, in all three', () => {
    expect(step([])).toEqual({
      reply: { end: false, text: 'Забон / Язык / Language\n1. Тоҷикӣ\n2. Русский\n3. English' },
      lang: undefined,
      effects: [],
      needs: [],
    });
  });

  it('remembers the chosen language and shows the main menu in it', () => {
    expect(step(['2'])).toEqual({
      // The title gives way: it does not fit in 80 Cyrillic characters with the options.
      reply: { end: false, text: '1. Проверка фирмы/номера\n2. Безопасная миграция\n3. Язык (Language)' },
      lang: 'ru',
      effects: [{ type: 'rememberLanguage', lang: 'ru' }],
      needs: [],
    });
  });

  it('greets a returning caller in their language with no write', () => {
    expect(step([], 'en')).toEqual({
      reply: {
        end: false,
        text: 'SafeJob: free help for migrants\n1. Check an agency or number\n2. Safe migration advice\n3. Language',
      },
      lang: 'en',
      effects: [],
      needs: [],
    });
  });

  it('produces the language effect only on the step that chose it', () => {
    expect(step(['3', '1']).effects).toEqual([]);
    expect(step(['3', '1']).lang).toBe('en');
  });

  it('lets a caller change language from the main menu', () => {
    expect(step(['3'], 'en').reply.text).toBe('Choose your language\n1. Тоҷикӣ\n2. Русский\n3. English\n0. Back');
    const changed = step(['3', '1'], 'en');
    expect(changed.effects).toEqual([{ type: 'rememberLanguage', lang: 'tg' }]);
    expect(changed.reply.text).toBe('1. Санҷиши ширкат/рақам\n2. Муҳоҷирати бехатар\n3. Забон (Language)');
  });

  it('shows the advice topics and goes back with 0 and home with 00', () => {
    const topics = 'Safe migration advice\n1. Signs of fraud\n2. UK jobs: no fees\n3. How the real visa works\n4. Official contacts\n0. Back';
    expect(step(['2'], 'en').reply.text).toBe(topics);
    expect(step(['2', '1', '0'], 'en').reply.text).toBe(topics);
    expect(step(['2', '0'], 'en').reply.text).toBe(step([], 'en').reply.text);
    expect(step(['2', '2', '98', '00'], 'en').reply.text).toBe(step([], 'en').reply.text);
  });

  it('pages a long advice text with 98 and loses no word of it', () => {
    for (const lang of ['tg', 'ru', 'en'] as const) {
      const pages: string[] = [];
      let path = ['2', '1'];
      for (;;) {
        const text = step(path, lang).reply.text;
        const lines = text.split('\n');
        pages.push(lines[0]!);
        if (!lines.includes(lang === 'en' ? '98. More' : `98. ${PROMPTS[lang]['common.more']}`)) break;
        path = [...path, '98'];
      }
      expect(pages.length).toBeGreaterThan(1);
      expect(pages.join(' ')).toBe(PROMPTS[lang]['advice.redflags.text']);
      // 0 on a later page returns to the page before.
      expect(step(['2', '1', '98', '0'], lang).reply.text).toBe(step(['2', '1'], lang).reply.text);
    }
  });

  it('answers an invalid choice politely with the same options', () => {
    expect(step(['7'], 'en').reply.text).toBe(
      'Invalid.\nSafeJob: free help for migrants\n1. Check an agency or number\n2. Safe migration advice\n3. Language',
    );
    expect(step(['x']).reply.text).toBe('Нодуруст. / Неверно. / Invalid.\n1. Тоҷикӣ\n2. Русский\n3. English');
    for (const input of ['', 'abc', '99', '98', '0', '1.5', '-1', '٣']) {
      expect(step([input], 'ru').reply.text, input).toBe(
        'Неверно.\n1. Проверка фирмы/номера\n2. Безопасная миграция\n3. Язык (Language)',
      );
    }
  });

  it('replaces a page of text the caller has read by the notice when both do not fit', () => {
    const text = step(['2', '1', 'x'], 'tg').reply.text;
    expect(text).toBe('Нодуруст.\n98. Давом\n0. Бозгашт');
  });

  it('survives a path of 400 inputs', () => {
    const path = Array.from({ length: 400 }, (_, i) => ['1', '98', '0', 'x', '2', '00'][i % 6]!);
    const result = step(path, 'tg');
    expect(result.reply.end).toBe(false);
    expect(fitsScreen(result.reply.text, limits)).toBe(true);
  });

  it('always answers with a screen that fits, whatever the path (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom('0', '00', '1', '2', '3', '4', '98'), fc.string({ maxLength: 20 })), {
          maxLength: 60,
        }),
        fc.constantFrom(undefined, 'tg' as const, 'ru' as const, 'en' as const),
        (path, startLang) => {
          const { reply, effects } = step(path, startLang);
          expect(reply.end).toBe(false);
          expect(fitsScreen(reply.text, limits)).toBe(true);
          expect(effects.length).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

describe('session start language', () => {
  it('is the stored language, unless the choice was made in this very session', () => {
    expect(sessionStartLanguage(undefined, 's1')).toBeUndefined();
    expect(sessionStartLanguage({ lang: 'ru', sessionId: 's0' }, 's1')).toBe('ru');
    expect(sessionStartLanguage({ lang: 'ru', sessionId: 's1' }, 's1')).toBeUndefined();
    expect(sessionStartLanguage({ lang: 'ru', sessionId: 's1', sessionStartLang: 'en' }, 's1')).toBe('en');
  });

  it('survives a second change within the same session', () => {
    const first = chosenLanguage({ lang: 'en', sessionId: 's0' }, 's1', 'tg');
    expect(first).toEqual({ lang: 'tg', sessionId: 's1', sessionStartLang: 'en' });
    expect(chosenLanguage(first, 's1', 'ru')).toEqual({ lang: 'ru', sessionId: 's1', sessionStartLang: 'en' });
  });
});
