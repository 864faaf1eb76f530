import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkQuery, guessLanguage, messageIntent } from '../shared/domain/free-text';
import { LANGUAGES } from '../shared/domain/prompts';
import { parseSmsCommand, readSms, reportFromSms } from '../shared/domain/sms';

const cardHash = (digits: string) => `hash-${digits.slice(-4)}`;

describe('a message without a keyword', () => {
  it.each([
    ['a man on Telegram +992 90 000 1234 wants 3000 somoni for a UK visa', 'report'],
    ['is Konkordia real?', 'check'],
    ['проверьте +992 90 000 1234', 'check'],
    ['+992 90 000 1234', 'check'],
    ['@uk_jobs_visa', 'check'],
    ['salom', 'other'],
    ['', 'other'],
  ])('%j is a %s', (text, intent) => {
    expect(messageIntent(text)).toBe(intent);
  });

  it.each([
    ['Is Konkordia real?', 'Konkordia'],
    ['Агентство Бахт настоящее? у них есть лицензия?', 'Бахт'],
    ['Ширкати Бахт дуруст аст? иҷозатнома доранд?', 'Бахт'],
    ["Kompaniya 'Navbahor Kor' litsenziya dorad?", 'Navbahor Kor'],
    ['Есть ли лицензия у Pro Force Jobs?', 'Pro Force Jobs'],
    // An identifier is checked as written.
    ['проверьте +992 90 000 1234', 'проверьте +992 90 000 1234'],
  ])('checks %j as %j', (text, query) => {
    expect(checkQuery(text)).toBe(query);
  });

  it.each([
    ['Salom, kor kerak', 'tg'],
    ['they want me to pay', 'en'],
    ['mne nado oplatit za vizu', 'ru'],
    ['Ман кор мехоҳам', 'tg'],
    ['Ман дар Маскав кор мекунам', 'tg'],
    ['Мне нужна работа', 'ru'],
  ])('%j is written in %s', (text, lang) => {
    expect(guessLanguage(text)).toBe(lang);
  });
});

describe('the report an SMS makes', () => {
  it('records what the USSD menu would have asked: asked to pay, stranded abroad', () => {
    expect(reportFromSms('they want me to pay 200 dollars tomorrow', 'en', '+992900009999', cardHash)).toMatchObject({
      paid: 'about_to_pay',
      category: 'other',
      amount: { value: 200, currency: 'USD' },
    });
    expect(reportFromSms('we are stranded at the airport in Istanbul', 'en', '+992900009999', cardHash)).toMatchObject({
      paid: 'unknown',
      category: 'abroad_in_trouble',
    });
  });
});

describe('whatever arrives (property)', () => {
  it('is read as one intent and language without throwing, and a check always asks about something', () => {
    const words = fc.constantFrom('pay', 'заплатить', 'бояд', 'passport', 'паспорт', 'real?', '+992 90 000 1234', '@uk_jobs', '3000 somoni', 'salom', 'YES', '?', 'да');
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.array(words, { maxLength: 12 }).map((w) => w.join(' ')));
    fc.assert(
      fc.property(text, (message) => {
        expect(['report', 'check', 'other']).toContain(messageIntent(message));
        expect(LANGUAGES).toContain(guessLanguage(message));
        const command = readSms(message);
        // Free text read as a check names what to check: never the empty CHECK that gets the usage reply.
        if (command.name === 'check' && parseSmsCommand(message).name === 'unknown') expect(command.argument.trim()).not.toBe('');
      }),
    );
  });
});
