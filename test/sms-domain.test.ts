import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, PROMPTS } from '../shared/domain/prompts';
import { smsParts } from '../shared/domain/screen';
import { sampleUssdData } from './support/registry';
import type { Report } from '../shared/domain/report';
import {
  floodDecision,
  languageArgument,
  parseSmsCommand,
  readSms,
  replyLanguage,
  reportTextForKey,
  smsReply,
} from '../shared/domain/sms';

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
    ['YES', 'confirm', 'en', ''],
    ['yes!', 'confirm', 'en', ''],
    ['Да', 'confirm', 'ru', ''],
    ['ҲА', 'confirm', 'tg', ''],
    ['ха', 'confirm', 'tg', ''],
    ['Ha.', 'confirm', 'tg', ''],
  ])('%j → %s (%s) with %j', (text, name, keywordLang, argument) => {
    expect(parseSmsCommand(text)).toEqual({ name, keywordLang, argument });
  });

  it('leaves anything else as unknown text', () => {
    expect(parseSmsCommand('Salom, kor kerak')).toEqual({ name: 'unknown', keywordLang: undefined, argument: 'Salom, kor kerak' });
    expect(parseSmsCommand('')).toEqual({ name: 'unknown', keywordLang: undefined, argument: '' });
    expect(parseSmsCommand('HELPME')).toMatchObject({ name: 'unknown' });
    // A YES with words after it is a story, not a confirmation.
    expect(parseSmsCommand('Да, у меня забрали паспорт')).toMatchObject({ name: 'unknown' });
  });

  it('never throws, whatever arrives (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const command = parseSmsCommand(text);
        expect(['help', 'language', 'check', 'report', 'status', 'confirm', 'unknown']).toContain(command.name);
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

describe('free text read as what it asks (readSms)', () => {
  it.each([
    ['a man on Telegram +992 90 000 5678 wants 3000 somoni for a UK visa', { name: 'offer', keywordLang: 'en' }],
    ['имрӯз бояд 1000 сомонӣ супорам', { name: 'offer', keywordLang: 'tg' }],
    ['Да, у меня забрали паспорт', { name: 'offer', keywordLang: 'ru' }],
    ['is Konkordia real?', { name: 'check', keywordLang: 'en', argument: 'Konkordia' }],
    ['проверьте +992 90 000 1234', { name: 'check', keywordLang: 'ru', argument: 'проверьте +992 90 000 1234' }],
    ['Salom, kor kerak', { name: 'unknown', keywordLang: undefined }],
    ['REPORT they took my passport', { name: 'report', keywordLang: 'en' }],
  ])('%j', (text, command) => {
    expect(readSms(text)).toMatchObject(command);
  });

  it('keys a report text by its words, not its case or spacing', () => {
    expect(reportTextForKey('  They  want\nME to pay ')).toBe(reportTextForKey('they want me to pay'));
    expect(reportTextForKey('they want me to pay 200$')).not.toBe(reportTextForKey('they want me to pay 200₽'));
  });
});

describe('smsReply', () => {
  const { registry, today, cardHash } = sampleUssdData();
  const context = { storedLang: undefined, ussdServiceCode: '*384*1234#', registry, today, cardHash };

  it('answers HELP in the keyword’s language with the USSD code', () => {
    expect(smsReply(parseSmsCommand('help'), context)).toEqual({
      text: 'SafeJob: free help against job and visa fraud. Never pay for a job or a visa. Text CHECK and a name or number, REPORT and what happened, STATUS and your reference. Menu: *384*1234#. Language: LANG TG/RU/EN/UZ/KY.',
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
      text: 'To choose a language, text LANG TG (Tajik), LANG RU (Russian), LANG EN (English), LANG UZ (Uzbek) or LANG KY (Kyrgyz).',
      effects: [],
    });
  });

  it('offers a story as a report, in its language, and holds it for the YES', () => {
    const story = 'a man on Telegram +992 90 000 5678 wants 3000 somoni for a UK visa';
    expect(smsReply(readSms(story), context)).toEqual({
      text: 'SafeJob: this sounds like fraud. Reply YES within 30 minutes to report this; an officer will look at it. Until then, pay nobody.',
      lang: 'en',
      effects: [{ type: 'holdReport', text: story, lang: 'en' }],
    });
    expect(smsReply(readSms('имрӯз бояд 1000 сомонӣ супорам'), context)).toEqual({
      text: 'SafeJob: ин ба фиреб монанд аст. Барои шикоят дар давоми 30 дақиқа ҲА нависед, корманд онро баррасӣ мекунад. То он вақт ба касе пул надиҳед.',
      lang: 'tg',
      effects: [{ type: 'holdReport', text: 'имрӯз бояд 1000 сомонӣ супорам', lang: 'tg' }],
    });
  });

  it('adds a further message to the story held, and a resend adds nothing', () => {
    const held = { text: 'a man on Telegram wants 3000 somoni', lang: 'en' } as const;
    expect(smsReply(readSms('he wrote from @uk_visa_fast, I must pay tomorrow'), { ...context, heldReport: held }).effects).toEqual([
      { type: 'holdReport', text: 'a man on Telegram wants 3000 somoni\nhe wrote from @uk_visa_fast, I must pay tomorrow', lang: 'en' },
    ]);
    expect(smsReply(readSms('A man on Telegram  wants 3000 somoni'), { ...context, heldReport: held }).effects).toEqual([
      { type: 'holdReport', text: held.text, lang: 'en' },
    ]);
  });

  it('files the held story on YES and answers with its reference, in the story’s language', () => {
    const report = { reference: '7K3R9M', paid: 'about_to_pay', category: 'other' } as Report;
    const held = { text: 'требуют заплатить сегодня', lang: 'ru' } as const;
    expect(smsReply(readSms('yes'), { ...context, heldReport: held, submitted: { saved: true, report } })).toEqual({
      text: 'SafeJob: сообщение 7K3R9M принято. Ничего им не платите. Узнать статус: СТАТУС 7K3R9M. Передать её полиции и партнёрам? Ответьте: СОГЛАСЕН 7K3R9M.',
      lang: 'ru',
      effects: [],
    });
    expect(smsReply(readSms('yes'), { ...context, heldReport: held, submitted: { saved: false, journaled: false, referenceBySms: false } }).text).toBe(
      'Не удалось сохранить ваше сообщение. Отправьте его снова через несколько минут.',
    );
    // Journaled: the replay texts the reference, so nothing says "send it again".
    const kept = { saved: false, journaled: true, referenceBySms: true } as const;
    expect(smsReply(readSms('yes'), { ...context, heldReport: held, submitted: kept }).text).toBe(
      'SafeJob: сообщение принято. Номер заявления придёт по SMS. Отправлять снова не нужно.',
    );
    expect(smsReply(readSms('REPORT a fake agency took 300 dollars'), { ...context, storedLang: 'en', submitted: kept }).text).toBe(
      'SafeJob: report received. Your reference will arrive by SMS soon. No need to send it again.',
    );
    expect(smsReply(readSms('ШИКОЯТ агентии қалбакӣ 300 доллар гирифт'), { ...context, submitted: kept }).text).toBe(
      'SafeJob: шикоят қабул шуд. Рақами он бо SMS меояд. Дубора фиристодан лозим нест.',
    );
  });

  it('says there is nothing to file when no story is held (or it expired)', () => {
    expect(smsReply(readSms('YES'), { ...context, heldReport: null }).text).toBe(
      'SafeJob: there is nothing waiting to be reported (we keep a message 30 minutes). Text REPORT and what happened.',
    );
  });

  it('answers a question about a name or number as the CHECK of it', () => {
    const checked = smsReply(parseSmsCommand('CHECK Concordia'), context).text;
    expect(checked).toMatch(/^Concordia \(UK\)/);
    expect(smsReply(readSms('Is Concordia real?'), context).text).toBe(checked);
    expect(smsReply(readSms('Please check 00992 90 000 1234'), context).text).toBe(
      smsReply(parseSmsCommand('CHECK +992900001234'), context).text,
    );
  });

  it('answers unknown text with the short help, not silence', () => {
    expect(smsReply(parseSmsCommand('hello?'), { ...context, storedLang: 'ru' }).text).toBe(
      'SafeJob: помощь против обмана с работой и визами. Не платите за работу или визу. ПРОВЕРКА и имя или номер, ЖАЛОБА и что случилось, СТАТУС и номер жалобы. Меню: *384*1234#. Язык: LANG RU/TG/EN/UZ/KY',
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
