import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROMPTS, t, type Lang } from '../shared/domain/prompts';
import { fitsScreen } from '../shared/domain/screen';
import { chosenLanguage, reportFromAnswers, sessionStartLanguage, ussdStep, type UssdData } from '../shared/domain/ussd';
import { sampleUssdData } from './support/registry';
import { sampleReport } from './support/reports';

const limits = { gsm: 182, ucs2: 80 };
const data = sampleUssdData();
const step = (path: string[], startLang?: Lang, withData: UssdData = data) =>
  ussdStep({ path, startLang, limits, data: withData });

const MAIN_EN =
  'SafeJob: free help for migrants\n1. Check an agency or number\n2. Report a fraud\n3. My reports\n4. Safe migration advice\n5. Language\n6. Spot the scam quiz\n7. Scam alerts by SMS';
const MAIN_TG = '1. Санҷиши ширкат/рақам\n2. Шикоят аз фиреб\n3. Шикоятҳои ман\n98. Давом';
const MAIN_RU = '1. Проверка фирмы/номера\n2. Сообщить об обмане\n98. Далее';

describe('USSD conversation', () => {
  it('names the registry as a need only for a screen drawn from it, and for a pick among matches on the way', () => {
    const unread: UssdData = { ...data, registry: undefined };
    // Navigation is drawn without it.
    expect(step(['4', '1'], 'en', unread)).toEqual({ ...step(['4', '1'], 'en'), needs: [] });
    expect(step(['1', '1'], 'en', unread).needs).toEqual([]);
    // A check is drawn once it is read.
    expect(step(['1', '1', 'Jahongir'], 'en', unread).needs).toEqual([{ type: 'registry' }]);
    expect(step(['1', '1', 'Jahongir'], 'en').reply.text).toBe('1. Ҷаҳонгир Тур (SAMPLE)\n2. Ширкати Ҷаҳонгир Сафар (SAMPLE)\n0. Back');
    // The pick among matching names is replayed from the registry, so a screen past it needs it too.
    expect(step(['1', '1', 'Jahongir', '1', '0'], 'en', unread).needs).toEqual([{ type: 'registry' }]);
    // Read and unavailable: the caller is told so.
    expect(step(['1', '1', 'Jahongir'], 'en', { ...data, registry: null })).toMatchObject({ reply: { text: expect.stringMatching(/unavailable|try again/i) }, needs: [] });
  });

  it('asks a first-time caller for a language, in all five', () => {
    expect(step([])).toEqual({
      reply: { end: false, text: 'Забон / Язык / Language\n1. Тоҷикӣ\n2. Русский\n3. English\n4. Oʻzbekcha\n5. Кыргызча' },
      lang: undefined,
      effects: [],
      needs: [],
    });
  });

  it('remembers the chosen language and shows the main menu in it, paged to fit 80 Cyrillic characters', () => {
    expect(step(['2'])).toEqual({
      reply: { end: false, text: MAIN_RU },
      lang: 'ru',
      effects: [{ type: 'rememberLanguage', lang: 'ru' }],
      needs: [],
    });
    expect(step(['2', '98']).reply.text).toBe('3. Мои сообщения\n4. Безопасная миграция\n5. Язык (Language)\n98. Далее\n0. Назад');
    expect(step(['2', '98', '98']).reply.text).toBe('6. Тест на обман\n7. Оповещения по SMS\n0. Назад');
  });

  it('greets a returning caller in their language with no write', () => {
    expect(step([], 'en')).toEqual({ reply: { end: false, text: MAIN_EN }, lang: 'en', effects: [], needs: [] });
  });

  it('produces the language effect only on the step that chose it', () => {
    expect(step(['3', '1']).effects).toEqual([]);
    expect(step(['3', '1']).lang).toBe('en');
  });

  it('lets a caller change language from the main menu', () => {
    // The title gives way to the five languages on an 80-character screen.
    expect(step(['5'], 'en').reply.text).toBe('1. Тоҷикӣ\n2. Русский\n3. English\n4. Oʻzbekcha\n5. Кыргызча\n0. Back');
    const changed = step(['5', '1'], 'en');
    expect(changed.effects).toEqual([{ type: 'rememberLanguage', lang: 'tg' }]);
    expect(changed.reply.text).toBe(MAIN_TG);
  });

  it('shows the advice topics and goes back with 0 and home with 00', () => {
    const topics = 'Safe migration advice\n1. Signs of fraud\n2. UK jobs: no fees\n3. How the real visa works\n4. Official contacts\n5. Russia: patent, registration\n0. Back';
    expect(step(['4'], 'en').reply.text).toBe(topics);
    expect(step(['4', '1', '0'], 'en').reply.text).toBe(topics);
    expect(step(['4', '0'], 'en').reply.text).toBe(MAIN_EN);
    expect(step(['4', '2', '98', '00'], 'en').reply.text).toBe(MAIN_EN);
  });

  it('pages a long advice text with 98 and loses no word of it', () => {
    for (const lang of ['tg', 'ru', 'en'] as const) {
      const pages: string[] = [];
      let path = ['4', '1'];
      for (;;) {
        const lines = step(path, lang).reply.text.split('\n');
        pages.push(lines[0]!);
        if (!lines.includes(`98. ${PROMPTS[lang]['common.more']}`)) break;
        path = [...path, '98'];
      }
      expect(pages.length).toBeGreaterThan(1);
      expect(pages.join(' ')).toBe(PROMPTS[lang]['advice.redflags.text']);
      // 0 on a later page returns to the page before.
      expect(step(['4', '1', '98', '0'], lang).reply.text).toBe(step(['4', '1'], lang).reply.text);
    }
  });

  it('answers an invalid choice politely with the same options', () => {
    expect(step(['8'], 'en').reply.text).toBe(`Invalid.\n${MAIN_EN}`);
    expect(step(['x']).reply.text).toBe('Нодуруст.\n1. Тоҷикӣ\n2. Русский\n3. English\n4. Oʻzbekcha\n5. Кыргызча');
    for (const input of ['', 'abc', '99', '0', '1.5', '-1', '٣']) {
      expect(step([input], 'ru').reply.text, input).toBe(`Неверно.\n${MAIN_RU}`);
    }
    expect(step(['2', '1', 'x'], 'tg').reply.text).toBe('Нодуруст.\nПул додед?\n1. Ҳа\n2. Ҳанӯз не, талаб доранд\n3. Не\n0. Бозгашт');
  });

  it('replaces a page of text the caller has read by the notice when both do not fit', () => {
    expect(step(['4', '1', 'x'], 'tg').reply.text).toBe('Нодуруст.\n98. Давом\n0. Бозгашт');
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
        fc.array(fc.oneof(fc.constantFrom('0', '00', '1', '2', '3', '4', '5', '98'), fc.string({ maxLength: 20 })), {
          maxLength: 60,
        }),
        fc.constantFrom(undefined, 'tg' as const, 'ru' as const, 'en' as const),
        (path, startLang) => {
          const { reply, effects } = step(path, startLang);
          expect(fitsScreen(reply.text, limits)).toBe(true);
          expect(effects.length).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

describe('USSD report flow', () => {
  const flow = ['2', '3', '2', '3 000', '1', '@uk_jobs_visa', '1', '1'];

  it('asks what happened, payment, amount, currency, contact, call-back and sharing, then confirms', () => {
    expect(step(['2'], 'en').reply.text).toBe(
      'What happened?\n1. Fake job offer\n2. Fake visa or documents\n3. Asked to pay a fee\n4. I am abroad and in trouble\n5. Other\n0. Back',
    );
    expect(step(flow.slice(0, 2), 'en').reply.text).toBe('Have you paid?\n1. Yes\n2. Not yet, they ask me to pay\n3. No\n0. Back');
    expect(step(flow.slice(0, 3), 'en').reply.text).toBe('How much? Type the amount in digits:\n0. Back');
    expect(step(flow.slice(0, 4), 'en').reply.text).toBe(
      'Which currency?\n1. TJS (somoni)\n2. USD (dollars)\n3. RUB (roubles)\n4. GBP (pounds)\n0. Back',
    );
    expect(step(flow.slice(0, 5), 'en').reply.text).toBe('Their phone, @account, link or card number:\n1. Skip\n0. Back');
    expect(step(flow.slice(0, 6), 'en').reply.text).toBe('May an officer call you back?\n1. Yes\n2. No\n0. Back');
    // Sharing is asked apart from the call-back: one may be given without the other.
    expect(step(flow.slice(0, 7), 'en').reply.text).toBe('May we share your report with the police and partner organisations?\n1. Yes\n2. No\n0. Back');
    expect(step(flow, 'en').reply.text).toBe(
      'Send this report? Asked to pay a fee. Paid: Not yet, they ask me to pay 3000 TJS. Contact: @uk_jobs_visa. Call back: Yes. Share: Yes.\n1. Send\n2. Cancel\n0. Back',
    );
  });

  it('skips the amount when nothing was paid or asked, and the contact on 1', () => {
    expect(step(['2', '1', '3'], 'en').reply.text).toBe('Their phone, @account, link or card number:\n1. Skip\n0. Back');
    expect(step(['2', '1', '3', '1', '2', '1'], 'en').reply.text).toMatch(/^Send this report\? Fake job offer\. Paid: No\. Contact: none\. Call back: No\. Share: Yes\./);
  });

  it('refuses an amount that is not a number, politely', () => {
    expect(step(['2', '3', '2', 'abc'], 'en').reply.text).toBe('Invalid.\nHow much? Type the amount in digits:\n0. Back');
  });

  it('submits on Send as an effect, and ends with the reference and the one advice that matters', () => {
    const sent = step([...flow, '1'], 'en');
    expect(sent.effects).toEqual([
      {
        type: 'submitReport',
        lang: 'en',
        answers: { category: 'fee_requested', paid: 'about_to_pay', amount: 3000, currency: 'TJS', contact: '@uk_jobs_visa', callback: true, share: true },
      },
    ]);
    const report = sampleReport({ reference: 'K7QX3M', paid: 'about_to_pay' });
    const done = step([...flow, '1'], 'en', { ...data, submitted: { saved: true, report } });
    expect(done.reply).toEqual({ end: true, text: 'Report K7QX3M received. Do not pay them anything.' });
    const failed = step([...flow, '1'], 'tg', { ...data, submitted: { saved: false, journaled: false, referenceBySms: false } });
    expect(failed.reply).toEqual({ end: true, text: 'Нигоҳ дошта нашуд. Баъдтар кӯшиш кунед ё SMS: ШИКОЯТ ва чӣ шуд.' });
    // Journaled: the replay texts the reference; the caller is not asked to send it again.
    const kept = { saved: false, journaled: true, referenceBySms: true } as const;
    expect(step([...flow, '1'], 'tg', { ...data, submitted: kept }).reply).toEqual({ end: true, text: 'Қабул шуд. Рақам бо SMS меояд. Такрор накунед.' });
    expect(step([...flow, '1'], 'ru', { ...data, submitted: kept }).reply).toEqual({ end: true, text: 'Принято. Номер придёт по SMS. Повторять не нужно.' });
    expect(step([...flow, '1'], 'en', { ...data, submitted: kept }).reply).toEqual({
      end: true,
      text: 'Received. Your reference will arrive by SMS. No need to send it again.',
    });
  });

  it('cancels without an effect', () => {
    expect(step([...flow, '2'], 'ru')).toMatchObject({
      reply: { end: true, text: 'Не отправлено, ничего не сохранено.' },
      effects: [],
    });
  });

  it('turns the answers into a report: identifiers from the contact, the caller’s own number never one', () => {
    const cardHash = (digits: string) => `hash-${digits.slice(-4)}`;
    expect(
      reportFromAnswers(
        { category: 'fee_requested', paid: 'yes', amount: 500, currency: 'USD', contact: '+992 90 555 1234 or @uk_jobs_visa', callback: false },
        'ru',
        '+992927001122',
        cardHash,
      ),
    ).toEqual({
      channel: 'ussd',
      lang: 'ru',
      category: 'fee_requested',
      paid: 'yes',
      amount: { value: 500, currency: 'USD' },
      identifiers: [
        { kind: 'phone', value: '+992905551234' },
        { kind: 'handle', value: 'uk_jobs_visa' },
      ],
      callbackConsent: false,
    });
    expect(reportFromAnswers({ category: 'other', paid: 'no', contact: 'a man called Rustam', callback: true }, 'tg', '+992927001122', cardHash)).toEqual({
      channel: 'ussd',
      lang: 'tg',
      category: 'other',
      paid: 'no',
      freeText: 'a man called Rustam',
      identifiers: [],
      callbackConsent: true,
    });
  });
});

describe('My reports', () => {
  it('asks the shell for the caller’s reports, then lists them with their status', () => {
    expect(step(['3'], 'en').needs).toEqual([{ type: 'myReports' }]);
    const mine = { ...data, myReports: [sampleReport({ reference: 'K7QX3M', status: 'acknowledged' })] };
    expect(step(['3'], 'en', mine)).toMatchObject({ reply: { text: '1. K7QX3M 2026-11-20\n0. Back' }, needs: [] });
    expect(step(['3', '1'], 'en', mine).reply.text).toBe(
      'Report K7QX3M, 2026-11-20: an officer is on it. An officer is handling your report. If you agreed, they may call you back.\n0. Back',
    );
    expect(step(['3'], 'en', { ...data, myReports: [] }).reply.text).toBe('There are no reports from this number.\n0. Back');
  });

  it('says the service is unavailable when the reports cannot be read, never a blank screen', () => {
    const unreadable = { ...data, myReports: null };
    expect(step(['3'], 'en', unreadable)).toMatchObject({ reply: { text: `${t('en', 'common.unavailable')}\n0. Back` }, needs: [] });
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
