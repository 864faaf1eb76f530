/**
 * Uzbek and Kyrgyz beside Tajik, Russian and English: the first language a caller is offered (by the country code
 * of their number), the SMS keywords people from each country type, and the language of a text without one.
 */
import { describe, expect, it } from 'vitest';
import { KANNEL_USSD_LIMITS } from '../shared/channels/kannel';
import { checkQuery, guessLanguage, messageIntent } from '../shared/domain/free-text';
import { homeLanguage, languageOrder } from '../shared/domain/language-choice';
import { LANGUAGES, PROMPTS, t, type Lang, type PromptKey } from '../shared/domain/prompts';
import { foldWord, promptWords } from '../shared/domain/keywords';
import { languageArgument, parseSmsCommand, readSms, replyLanguage, smsReply } from '../shared/domain/sms';
import { ussdStep } from '../shared/domain/ussd';
import { AT_TTS } from '../shared/channels/africastalking-voice';
import { TWILIO_TTS } from '../shared/channels/twilio-voice';
import { audioManifestSchema, planSpeech, promptTextHash, recordingResolver } from '../shared/channels/voice-speech';
import { SPOKEN_PROMPT_KEYS } from '../shared/domain/voice';
import { formatReport } from '../infra/prompts-check';
import { buildCatalogue } from '../shared/studio/catalogue';
import { sampleUssdData } from './support/registry';

const AT_LIMITS = { gsm: 182, ucs2: 80 };
const data = sampleUssdData();
const step = (path: string[], homeLang?: Lang, startLang?: Lang, limits = AT_LIMITS) =>
  ussdStep({ path, startLang, homeLang, limits, data });

describe('the language of the caller’s country', () => {
  it('is read from the country code, however the gateway writes the number', () => {
    expect(homeLanguage('+992900001234')).toBe('tg');
    expect(homeLanguage('+998 90 000 1234')).toBe('uz');
    expect(homeLanguage('998900001234')).toBe('uz');
    expect(homeLanguage('+996 700 000 123')).toBe('ky');
    // A Russian or Kazakh SIM, a British number, a withheld one: no country language, the usual order.
    for (const other of ['+79160001234', '+77010001234', '+447700900123', 'anonymous', '']) expect(homeLanguage(other)).toBeUndefined();
  });

  it('puts the caller’s language first, then Russian and English; a Tajik number keeps the usual order', () => {
    expect(languageOrder('tg')).toEqual(LANGUAGES);
    expect(languageOrder(undefined)).toEqual(['tg', 'ru', 'en', 'uz', 'ky']);
    expect(languageOrder('uz')).toEqual(['uz', 'ru', 'en', 'tg', 'ky']);
    expect(languageOrder('ky')).toEqual(['ky', 'ru', 'en', 'tg', 'uz']);
  });
});

describe('the first USSD screen with five languages', () => {
  it('stays one screen with Tajik as 1 for a Tajik number, titled in three languages (two on Kannel)', () => {
    const menu = '1. Тоҷикӣ\n2. Русский\n3. English\n4. Oʻzbekcha\n5. Кыргызча';
    expect(step([], 'tg').reply.text).toBe(`Забон / Язык / Language\n${menu}`);
    expect(step([], undefined).reply.text).toBe(`Забон / Язык / Language\n${menu}`);
    expect(step([], 'tg', undefined, KANNEL_USSD_LIMITS).reply.text).toBe(`Забон / Язык\n${menu}`);
    expect(step(['1'], 'tg').lang).toBe('tg');
  });

  it('offers Uzbek first to an Uzbek number and Kyrgyz first to a Kyrgyz one', () => {
    expect(step([], 'uz').reply.text).toBe('Til / Язык / Language\n1. Oʻzbekcha\n2. Русский\n3. English\n4. Тоҷикӣ\n5. Кыргызча');
    expect(step([], 'ky').reply.text).toBe('Тил / Язык / Language\n1. Кыргызча\n2. Русский\n3. English\n4. Тоҷикӣ\n5. Oʻzbekcha');
    const uzbek = step(['1'], 'uz');
    expect(uzbek.lang).toBe('uz');
    expect(uzbek.effects).toEqual([{ type: 'rememberLanguage', lang: 'uz' }]);
    expect(uzbek.reply.text.split('\n')[0]).toBe(`1. ${t('uz', 'menu.check')}`);
    const kyrgyz = step(['1'], 'ky');
    expect(kyrgyz.effects).toEqual([{ type: 'rememberLanguage', lang: 'ky' }]);
    expect(kyrgyz.reply.text.split('\n')[0]).toBe(`1. ${t('ky', 'menu.check')}`);
    // Russian is 2 for all three countries.
    for (const home of ['tg', 'uz', 'ky'] as const) expect(step(['2'], home).lang).toBe('ru');
  });

  it('answers an invalid choice in the caller’s likeliest language, on one screen', () => {
    expect(step(['x'], 'uz', undefined, KANNEL_USSD_LIMITS).reply.text).toBe(
      'Notoʻgʻri.\n1. Oʻzbekcha\n2. Русский\n3. English\n4. Тоҷикӣ\n5. Кыргызча',
    );
    expect(step(['9'], 'ky').reply.text.split('\n')[0]).toBe('Туура эмес.');
  });

  it('lets a caller change language from the menu; a remembered choice wins over the country', () => {
    // A Tajik speaker on an Uzbek SIM chose Tajik before: Tajik main menu, not the language question.
    expect(step([], 'uz', 'tg').reply.text.split('\n')[0]).toBe(`1. ${t('tg', 'menu.check')}`);
    // From the Uzbek main menu (its Language item), the language menu in this caller's order: Kyrgyz is 5.
    const main = step(['98'], 'uz', 'uz').reply.text;
    expect(main).toContain(`5. ${t('uz', 'menu.language')}`);
    const changed = step(['98', '5', '5'], 'uz', 'uz');
    expect(changed.effects).toEqual([{ type: 'rememberLanguage', lang: 'ky' }]);
    expect(changed.lang).toBe('ky');
  });
});

describe('SMS keywords in Uzbek and Kyrgyz', () => {
  const command = (text: string) => {
    const { name, keywordLang, argument } = parseSmsCommand(text);
    return { name, keywordLang, argument };
  };

  it('read the commands Uzbeks type, in Latin letters (with any apostrophe, or none) and in Cyrillic', () => {
    expect(command('TEKSHIR Concordia')).toEqual({ name: 'check', keywordLang: 'uz', argument: 'Concordia' });
    expect(command('tekshirish +998 90 000 1234')).toEqual({ name: 'check', keywordLang: 'uz', argument: '+998 90 000 1234' });
    expect(command('ТЕКШИРИШ Concordia')).toMatchObject({ name: 'check', keywordLang: 'uz' });
    expect(command('Shikoyat: telegramda 500$ soʻrashdi')).toEqual({ name: 'report', keywordLang: 'uz', argument: 'telegramda 500$ soʻrashdi' });
    expect(command('ARIZA pul soʻradi')).toMatchObject({ name: 'report', keywordLang: 'uz' });
    expect(command('holat 7K3R9M')).toEqual({ name: 'status', keywordLang: 'uz', argument: '7K3R9M' });
    expect(command('Yordam')).toMatchObject({ name: 'help', keywordLang: 'uz' });
    expect(command('ЁРДАМ')).toMatchObject({ name: 'help', keywordLang: 'uz' });
    expect(command('xa')).toMatchObject({ name: 'confirm', keywordLang: 'uz' });
    for (const stop of ['TOʻXTAT', "TO'XTAT", 'to`xtat', 'To‘xtat', 'TOXTAT', 'toʼxta']) expect(command(stop), stop).toMatchObject({ name: 'stop', keywordLang: 'uz' });
    expect(command('OBUNA')).toMatchObject({ name: 'join', keywordLang: 'uz' });
    expect(command('TEST')).toMatchObject({ name: 'quiz', keywordLang: 'uz' });
    expect(command('TIL UZ')).toMatchObject({ name: 'language', keywordLang: 'uz' });
    for (const share of ['RUXSAT 7K3R9M', 'ruxsat', 'Ulashish']) expect(command(share), share).toMatchObject({ name: 'share', keywordLang: 'uz' });
  });

  it('read the commands Kyrgyz type, with or without ң ө ү', () => {
    for (const check of ['ТЕКШЕРҮҮ Concordia', 'текшерүү Concordia', 'ТЕКШЕРУУ Concordia', 'Текшер Concordia', 'TEKSHER Concordia']) {
      expect(command(check), check).toEqual({ name: 'check', keywordLang: 'ky', argument: 'Concordia' });
    }
    expect(command('АРЫЗ телеграмда 3000 сом сурашты')).toMatchObject({ name: 'report', keywordLang: 'ky' });
    expect(command('Даттануу: акча сурашты')).toMatchObject({ name: 'report', keywordLang: 'ky' });
    expect(command('абал 7K3R9M')).toEqual({ name: 'status', keywordLang: 'ky', argument: '7K3R9M' });
    expect(command('жардам')).toMatchObject({ name: 'help', keywordLang: 'ky' });
    expect(command('Ооба')).toMatchObject({ name: 'confirm', keywordLang: 'ky' });
    expect(command('ТОКТОТ')).toMatchObject({ name: 'stop', keywordLang: 'ky' });
    expect(command('Жазылуу')).toMatchObject({ name: 'join', keywordLang: 'ky' });
    expect(command('СЫНАК')).toMatchObject({ name: 'quiz', keywordLang: 'ky' });
    expect(command('ТИЛ KY')).toMatchObject({ name: 'language', keywordLang: 'ky' });
    for (const share of ['УРУКСАТ 7K3R9M', 'uruksat', 'Макул']) expect(command(share), share).toMatchObject({ name: 'share', keywordLang: 'ky' });
  });

  it('name Uzbek and Kyrgyz after LANG, ЯЗЫК, ЗАБОН, TIL or ТИЛ, in every language', () => {
    for (const uz of ['uz', 'UZB', 'Uzbek', 'Oʻzbekcha', "o'zbekcha", 'OZBEK', 'ЎЗБЕКЧА', 'узбекский', 'ӯзбекӣ', 'өзбекче', '4']) {
      expect(languageArgument(uz), uz).toBe('uz');
    }
    for (const ky of ['ky', 'KG', 'Kyrgyz', 'kyrgyzcha', 'КЫРГЫЗЧА', 'кыргызский', 'киргизский', 'қирғизӣ', "qirg'izcha", '5']) {
      expect(languageArgument(ky), ky).toBe('ky');
    }
    expect(languageArgument('тожикча')).toBe('tg');
    expect(languageArgument('орусча')).toBe('ru');
  });

  it('mean one command each, and an Uzbek or Kyrgyz keyword is no other language’s', () => {
    const commandKeys = Object.keys(PROMPTS.en).filter((key) => key.startsWith('sms.keywords.')) as PromptKey[];
    const commands = new Map<string, PromptKey>();
    const languages = new Map<string, Set<Lang>>();
    for (const key of commandKeys) {
      for (const { word, lang } of promptWords(key)) {
        expect(commands.get(word) ?? key, `${word}: ${commands.get(word)} and ${key}`).toBe(key);
        commands.set(word, key);
        languages.set(word, new Set([...(languages.get(word) ?? []), lang]));
      }
    }
    // A word two languages share is answered in the later one: Uzbek and Kyrgyz words must not take Tajik's.
    for (const [word, langs] of languages) if (langs.has('uz') || langs.has('ky')) expect([...langs], word).toHaveLength(1);
    expect(foldWord('TOʻXTAT')).toBe(foldWord("to'xtat"));
  });

  it('answer in the keyword’s language', () => {
    const context = { storedLang: undefined, ussdServiceCode: '*384*1234#', registry: data.registry, today: data.today, cardHash: data.cardHash };
    expect(smsReply(parseSmsCommand('YORDAM'), context)).toEqual({ text: t('uz', 'sms.help', { ussdCode: '*384*1234#' }), lang: 'uz', effects: [] });
    expect(smsReply(parseSmsCommand('ЖАРДАМ'), context)).toEqual({ text: t('ky', 'sms.help', { ussdCode: '*384*1234#' }), lang: 'ky', effects: [] });
    expect(smsReply(parseSmsCommand('TIL KY'), context)).toEqual({
      text: t('ky', 'sms.languageSet', { ussdCode: '*384*1234#' }),
      lang: 'ky',
      effects: [{ type: 'rememberLanguage', lang: 'ky' }],
    });
  });
});

describe('the language of a text without a keyword', () => {
  it('is Kyrgyz by ң ө ү, Uzbek by ў or ʻ or its words, else as before', () => {
    expect(guessLanguage('Мага жумуш сунушташты, өтө көп акча сурашты')).toBe('ky');
    expect(guessLanguage('Менга иш таклиф қилишди, пул сўрашди')).toBe('uz');
    expect(guessLanguage('Menga ish taklif qilishdi, 500 dollar soʻrashdi')).toBe('uz');
    expect(guessLanguage("men ishga bordim, ular pulni so'rashdi")).toBe('uz');
    expect(guessLanguage('акча сурашты, жумуш жок')).toBe('ky');
    expect(guessLanguage('мне предложили работу')).toBe('ru');
    expect(guessLanguage('ба ман кор пешниҳод карданд')).toBe('tg');
  });

  it('reads a story as a report to offer and a question as a check, in Uzbek and Kyrgyz too', () => {
    expect(messageIntent("telegramda bir odam UK ishi uchun 900 dollar so'radi, men berdim")).toBe('report');
    expect(messageIntent('Telegramda +998 90 000 5555 ish vaʼda qildi, 500 dollar toʻladim')).toBe('report');
    expect(messageIntent('Телеграмда бирөө UK жумушу үчүн 900 доллар сурашты, мен төлөдүм')).toBe('report');
    expect(messageIntent('Concordia haqiqiymi?')).toBe('check');
    expect(checkQuery('Concordia haqiqiymi?')).toBe('Concordia');
    expect(messageIntent('Concordia чыныгыбы?')).toBe('check');
    expect(checkQuery('Concordia чыныгыбы?')).toBe('Concordia');
    expect(readSms('Telegramda bir odam ish vaʼda qildi, 500 dollar soʻrashdi')).toMatchObject({ name: 'offer', keywordLang: 'uz' });
  });

  it('falls back to the sender’s country’s language when the words say nothing', () => {
    expect(replyLanguage(readSms('+998 90 000 1234', 'uz'), undefined)).toBe('uz');
    expect(replyLanguage(readSms('+996 700 000 123', 'ky'), undefined)).toBe('ky');
    expect(replyLanguage(readSms('+992 90 000 1234'), undefined)).toBe('tg');
    // The words still win, and a remembered language over both.
    expect(replyLanguage(readSms('is +998 90 000 1234 real?', 'uz'), undefined)).toBe('en');
    expect(replyLanguage(readSms('+998 90 000 1234', 'uz'), 'ru')).toBe('ru');
  });
});

describe('Uzbek and Kyrgyz on the voice line', () => {
  const none = recordingResolver({ recordings: {} }, undefined);
  const prompt = (lang: Lang) => ({ kind: 'prompt' as const, key: 'voice.menu' as const, lang });

  it('fall back to Russian speech on Twilio and English on Africa’s Talking while nothing is recorded, and say so', () => {
    for (const lang of ['uz', 'ky'] as const) {
      expect(planSpeech([prompt(lang)], { tts: TWILIO_TTS, recordings: none })).toEqual({
        speech: [{ kind: 'say', text: PROMPTS.ru['voice.menu'], lang: 'ru' }],
        fallbacks: [{ key: 'voice.menu', lang, heardAs: 'ru', from: 'speech' }],
      });
      expect(planSpeech([prompt(lang)], { tts: AT_TTS, recordings: none }).fallbacks).toEqual([{ key: 'voice.menu', lang, heardAs: 'en', from: 'speech' }]);
    }
  });

  it('play a recording once there is one, on both providers', () => {
    const manifest = audioManifestSchema.parse({
      recordings: { 'voice.menu': { uz: { file: 'uz/voice.menu.mp3', placeholder: false, textHash: promptTextHash(PROMPTS.uz['voice.menu']) } } },
    });
    const recordings = recordingResolver(manifest, 'https://audio.example.org/prompts');
    for (const tts of [TWILIO_TTS, AT_TTS]) {
      expect(planSpeech([prompt('uz')], { tts, recordings })).toEqual({
        speech: [{ kind: 'play', url: 'https://audio.example.org/prompts/uz/voice.menu.mp3' }],
        fallbacks: [],
      });
    }
  });

  it('are in the prompt studio’s catalogue, and listed by prompts:check, as needing every spoken prompt recorded', () => {
    const entries = buildCatalogue({ takes: [], manifest: { recordings: {} } });
    for (const lang of ['uz', 'ky'] as const) {
      const missing = entries.filter((e) => e.lang === lang && e.status === 'missing').map((e) => e.key);
      expect(missing).toEqual([...SPOKEN_PROMPT_KEYS]);
    }
    const text = formatReport(entries);
    expect(text).toContain(`uz (every provider: neither Twilio nor Africa's Talking speaks Uzbek): ${SPOKEN_PROMPT_KEYS.length}`);
    expect(text).toContain(`ky (every provider: neither Twilio nor Africa's Talking speaks Kyrgyz): ${SPOKEN_PROMPT_KEYS.length}`);
  });
});
