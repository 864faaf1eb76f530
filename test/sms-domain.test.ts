import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, PROMPTS } from '../shared/domain/prompts';
import { smsParts } from '../shared/domain/screen';
import { sampleUssdData } from './support/registry';
import { floodDecision, languageArgument, parseSmsCommand, replyLanguage, smsReply } from '../shared/domain/sms';

describe('parseSmsCommand', () => {
  it.each([
    ['HELP', 'help', 'en', ''],
    ['help', 'help', 'en', ''],
    ['  Help!! ', 'help', 'en', ''],
    ['?', 'help', 'en', ''],
    ['помощь', 'help', 'ru', ''],
    ['ЁРӢ', 'help', 'tg', ''],
    ['ери', 'help', 'tg', ''],
    ['Ёри.', 'help', 'tg', ''],
    ['LANG ru', 'language', 'en', 'ru'],
    ['lang:tg', 'language', 'en', 'tg'],
    ['Язык  EN', 'language', 'ru', 'EN'],
    ['забон тоҷикӣ', 'language', 'tg', 'тоҷикӣ'],
    ['CHECK Concordia', 'check', 'en', 'Concordia'],
    ['CHECK @uk_jobs_visa', 'check', 'en', '@uk_jobs_visa'],
    ['CHECK: +992 90 123 4567', 'check', 'en', '+992 90 123 4567'],
    ['check, Concordia UK Ltd', 'check', 'en', 'Concordia UK Ltd'],
    ['ПРОВЕРКА +992 90 123 4567', 'check', 'ru', '+992 90 123 4567'],
    ['санҷиш Ширкати Ҷаҳонгир', 'check', 'tg', 'Ширкати Ҷаҳонгир'],
    ['санчиш Jahongir', 'check', 'tg', 'Jahongir'],
    ['REPORT Dar Telegram @uk_jobs_visa', 'report', 'en', 'Dar Telegram @uk_jobs_visa'],
    ['жалоба мне написали', 'report', 'ru', 'мне написали'],
    ['status K7QX3M', 'status', 'en', 'K7QX3M'],
    ['ҳолат K7QX3M', 'status', 'tg', 'K7QX3M'],
    ['холат K7QX3M', 'status', 'tg', 'K7QX3M'],
  ])('%j → %s (%s) with %j', (text, name, keywordLang, argument) => {
    expect(parseSmsCommand(text)).toEqual({ name, keywordLang, argument });
  });

  it('leaves anything else as unknown text', () => {
    expect(parseSmsCommand('Salom, kor kerak')).toEqual({ name: 'unknown', keywordLang: undefined, argument: 'Salom, kor kerak' });
    expect(parseSmsCommand('')).toEqual({ name: 'unknown', keywordLang: undefined, argument: '' });
    expect(parseSmsCommand('HELPME')).toMatchObject({ name: 'unknown' });
  });

  it('never throws, whatever arrives (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const command = parseSmsCommand(text);
        expect(['help', 'language', 'check', 'report', 'status', 'unknown']).toContain(command.name);
        expect(typeof command.argument).toBe('string');
      }),
    );
  });
});

describe('languageArgument', () => {
  it.each([
    ['ru', 'ru'], ['RU', 'ru'], ['русский', 'ru'], ['2', 'ru'],
    ['tg', 'tg'], ['TJ', 'tg'], ['тоҷикӣ', 'tg'], ['точики', 'tg'],
    ['en', 'en'], ['English', 'en'], ['3', 'en'],
    ['fr', undefined], ['', undefined],
  ])('%j → %s', (argument, lang) => {
    expect(languageArgument(argument)).toBe(lang);
  });
});

describe('the reply language', () => {
  it('is the remembered one, else the keyword’s, else a guess from the script', () => {
    expect(replyLanguage(parseSmsCommand('HELP'), 'tg')).toBe('tg');
    expect(replyLanguage(parseSmsCommand('ПОМОЩЬ'), undefined)).toBe('ru');
    expect(replyLanguage(parseSmsCommand('HELP'), undefined)).toBe('en');
    expect(replyLanguage(parseSmsCommand('Ман кор мехоҳам'), undefined)).toBe('tg');
    expect(replyLanguage(parseSmsCommand('Мне нужна работа'), undefined)).toBe('ru');
    expect(replyLanguage(parseSmsCommand('Salom'), undefined)).toBe('tg');
  });
});

describe('smsReply', () => {
  const { registry, today, cardHash } = sampleUssdData();
  const context = { storedLang: undefined, ussdServiceCode: '*384*1234#', registry, today, cardHash };

  it('answers HELP in the keyword’s language with the USSD code', () => {
    expect(smsReply(parseSmsCommand('help'), context)).toEqual({
      text: 'SafeJob: free help against job and visa fraud. Never pay anyone for a job or a visa. Dial *384*1234# for the menu. To change language, text LANG TG, LANG RU or LANG EN.',
      lang: 'en',
      effects: [],
    });
  });

  it('sets the language and confirms in the new one', () => {
    expect(smsReply(parseSmsCommand('ЯЗЫК tg'), context)).toEqual({
      text: 'Хуб, ба шумо бо забони тоҷикӣ ҷавоб медиҳем. Меню: *384*1234#.',
      lang: 'tg',
      effects: [{ type: 'rememberLanguage', lang: 'tg' }],
    });
  });

  it('asks which language when LANG names none', () => {
    expect(smsReply(parseSmsCommand('ЯЗЫК'), { ...context, storedLang: 'en' })).toMatchObject({
      text: 'To choose a language, text LANG TG (Tajik), LANG RU (Russian) or LANG EN (English).',
      effects: [],
    });
  });

  it('answers unknown text with the short help, not silence', () => {
    expect(smsReply(parseSmsCommand('hello?'), { ...context, storedLang: 'ru' }).text).toBe(
      'SafeJob: бесплатная помощь против обмана с работой и визами. Никому не платите за работу или визу. Меню: *384*1234#. Сменить язык: LANG TG, LANG RU или LANG EN.',
    );
  });
});

describe('flood decision', () => {
  it('answers up to the limit, sends one notice, then stays silent', () => {
    expect([1, 20, 21, 22, 500].map((n) => floodDecision(n, 20))).toEqual(['answer', 'answer', 'notice', 'silence', 'silence']);
  });
});

describe('every SMS template', () => {
  it('fits in 3 SMS parts in every language, placeholders filled at their longest', () => {
    const longest = { ussdCode: '*384*1234*99#' };
    for (const lang of LANGUAGES) {
      for (const [key, text] of Object.entries(PROMPTS[lang]).filter(([k]) => k.startsWith('sms.'))) {
        const filled = text.replace(/\{(\w+)\}/g, (_, name: string) => longest[name as keyof typeof longest] ?? 'X'.repeat(20));
        expect(smsParts(filled), `${lang} ${key}: ${filled}`).toBeLessThanOrEqual(3);
      }
    }
  });

  it('counts parts as the networks do', () => {
    expect(smsParts('a'.repeat(160))).toBe(1);
    expect(smsParts('a'.repeat(161))).toBe(2);
    expect(smsParts('ж'.repeat(70))).toBe(1);
    expect(smsParts('ж'.repeat(201))).toBe(3);
    expect(smsParts('ж'.repeat(202))).toBe(4);
  });
});
