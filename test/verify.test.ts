import { describe, expect, it } from 'vitest';
import { parseSmsCommand, smsReply } from '../shared/domain/sms';
import { smsParts } from '../shared/domain/screen';
import { ussdStep } from '../shared/domain/ussd';
import { fitsScreen } from '../shared/domain/screen';
import { entryAnswer } from '../shared/domain/verify';
import { sampleRegistryEntries } from './support/registry';
import { sampleUssdData } from './support/registry';

const data = sampleUssdData();
const ussd = (path: string[], lang: 'tg' | 'ru' | 'en' = 'en', reported = data.reported) =>
  ussdStep({ path, startLang: lang, limits: { gsm: 182, ucs2: 80 }, data: { ...data, reported } });
const sms = (text: string, reported: { reporters: number; lastSeen: string } | null = null) =>
  smsReply(parseSmsCommand(text), { storedLang: undefined, ussdServiceCode: '*384*1234#', ...data, reported }).text;

describe('USSD verification: what a migrant types, what the screen says', () => {
  it.each([
    // A misspelt Latin name, a licensed scheme operator: the whole answer fits the 182-character screen.
    [['1', '1', 'Concordia UK Ltd'], 'Concordia (UK): LICENSED UK seasonal scheme operator, GB, according to the register of 2025-03-01. Official contacts: concordia.org.uk. Compare with who contacted\n98. More\n0. Back'],
    [['1', '1', 'ag recruitment'], 'WARNING: AG Recruitment (UK seasonal scheme operator, GB): licence REVOKED. They may not recruit. Do not pay them and do not give them your documents.\n0. Back'],
    [['1', '1', 'Global Visa Service'], 'No record of "Global Visa Service". Be careful: a legitimate operator never charges workers for a job or a visa. If they asked you for money, report it.\n0. Back'],
    // Latin letters for two Tajik names: a pick list, then the record chosen.
    [['1', '1', 'Jahongir'], '1. Ҷаҳонгир Тур (SAMPLE)\n2. Ширкати Ҷаҳонгир Сафар (SAMPLE)\n0. Back'],
    // A licence number typed without its dashes, lower case: the suspended sample agency, paged for Cyrillic.
    [['1', '1', 'sampletj0003'], 'WARNING: Агентии корёбии Бахт (SAMPLE) (recruitment agency,\n98. More\n0. Back'],
    // Phone numbers in local and international forms: the official contact of a sample agency.
    // The revoked agency's number: the warning is on the first screen, before its name.
    [['1', '2', '900001003'], 'WARNING, licence revoked: +992900001003 is a contact of\n98. More\n0. Back'],
    // Its licence ran out on 2025-01-31: a warning too, whatever the status column says.
    [['1', '2', 'https://www.qadam.example/'], 'WARNING, licence expired: qadam.example is a contact of Қадам\n98. More\n0. Back'],
    // A card: only its last four digits are ever shown.
    [['1', '2', '4111 1111 1111 1111'], 'No record of **** 1111. That does not make it safe: never pay anyone for a job or a visa.\n0. Back'],
    [['1', '2', 'hello'], 'That is not a phone number, @account, link or card number. Try again.\n0. Back'],
  ])('%j', (path, expected) => {
    expect(ussd(path).reply.text).toBe(expected);
  });

  it('marks the step that asked a check, with what its answer told, for the metrics and the dashboard, and no other', () => {
    expect(ussd(['1', '1', 'Concordia']).effects).toEqual([{ type: 'verified', kind: 'name', verdict: 'licensed' }]);
    expect(ussd(['1', '2', '+992 90 000 1001']).effects).toEqual([{ type: 'verified', kind: 'phone', verdict: 'licensed' }]);
    expect(ussd(['1', '2', 'hello']).effects).toEqual([{ type: 'verified', kind: 'unrecognised', verdict: 'unclear' }]);
    expect(ussd(['1', '1', 'Jahongir', '1']).effects).toEqual([]);
  });

  it.each([
    [['1', '1', 'Concordia UK Ltd'], 'licensed'],
    [['1', '1', 'ag recruitment'], 'warning'],
    [['1', '1', 'Global Visa Service'], 'unknown'],
    [['1', '1', 'Jahongir'], 'unclear'],
    [['1', '1', 'sampletj0003'], 'warning'],
    [['1', '2', '900001003'], 'warning'],
    [['1', '2', 'https://www.qadam.example/'], 'warning'],
    [['1', '2', '4111 1111 1111 1111'], 'unknown'],
  ])('counts %j as %s, as its answer reads', (path, verdict) => {
    expect(ussd(path).effects).toEqual([expect.objectContaining({ type: 'verified', verdict })]);
  });

  it('counts a contact by what reports say of it: reported is a warning, like the answer', () => {
    const reported = new Map([['handle:uk_jobs_visa', { reporters: 4, lastSeen: '2026-11-20T09:25:42.000Z' }]]);
    expect(ussd(['1', '2', '@uk_jobs_visa'], 'en', reported).effects).toEqual([{ type: 'verified', kind: 'handle', verdict: 'warning' }]);
    expect(ussd(['1', '2', '@uk_jobs_visa'], 'en', new Map([['handle:uk_jobs_visa', null]])).effects).toEqual([{ type: 'verified', kind: 'handle', verdict: 'unknown' }]);
  });

  it('the revoked agency picked from the list, then its later page', () => {
    expect(ussd(['1', '1', 'Jahongir', '1']).reply.text).toBe('WARNING: Ҷаҳонгир Тур (SAMPLE) (recruitment agency, TJ):\n98. More\n0. Back');
    expect(ussd(['1', '1', 'Jahongir', '1', '98']).reply.text).toMatch(/^licence REVOKED\./);
  });

  it('asks the shell for the report summary of a contact, and says what reports say', () => {
    const first = ussd(['1', '2', '@uk_jobs_visa']);
    expect(first.needs).toEqual([{ type: 'identifier', identifier: { kind: 'handle', value: 'uk_jobs_visa' } }]);
    const reported = new Map([['handle:uk_jobs_visa', { reporters: 4, lastSeen: '2026-11-20T09:25:42.000Z' }]]);
    expect(ussd(['1', '2', '@uk_jobs_visa'], 'en', reported)).toMatchObject({
      reply: { text: 'WARNING: @uk_jobs_visa was reported to us by 4 people, last on 2026-11-20. Do not pay and do not send documents.\n0. Back' },
      needs: [],
    });
    const once = new Map([['handle:uk_jobs_visa', { reporters: 1, lastSeen: '2026-11-20T09:25:42.000Z' }]]);
    expect(ussd(['1', '2', '@uk_jobs_visa'], 'en', once).reply.text).toMatch(/^@uk_jobs_visa was reported to us once, on 2026-11-20\. One report alone proves nothing/);
  });
});

describe('SMS CHECK', () => {
  it.each([
    ['CHECK Concordia', 'Concordia (UK): LICENSED UK seasonal scheme operator, GB, according to the register of 2025-03-01. Official contacts: concordia.org.uk. Compare with who contacted you. Licensed operators never charge workers.'],
    ['ПРОВЕРКА Конкордия', 'Concordia (UK): ЛИЦЕНЗИЯ ЕСТЬ (оператор сезонной программы UK, GB, по реестру на 2025-03-01). Официальные контакты: concordia.org.uk. Сверьте с тем, кто вам писал. Оператор не берёт плату за работу.'],
    ['САНҶИШ Ҷаҳонгир', 'Барои «Ҷаҳонгир» якчанд ёфт шуд: Ҷаҳонгир Тур (SAMPLE); Ширкати Ҷаҳонгир Сафар (SAMPLE). САНҶИШ-ро бо номи дақиқ ё рақами иҷозатнома фиристед.'],
    ['проверка Бахт', 'ВНИМАНИЕ: Агентии корёбии Бахт (SAMPLE) (кадровое агентство, TJ): лицензия ПРИОСТАНОВЛЕНА. Не платите им и не отдавайте документы.'],
    ['CHECK +992900001005', '+992900001005 is an official contact of Кӯҳистон Меҳнат (SAMPLE) (licensed). Impostors use it too: call back on this number yourself; the real agency never asks you to pay for a job.'],
    ['CHECK', 'To check, text CHECK and the name, licence number, phone number, @account or link. Example: CHECK Concordia'],
  ])('%s', (text, expected) => {
    expect(sms(text)).toBe(expected);
    expect(smsParts(expected)).toBeLessThanOrEqual(3);
  });

  it('keeps a long answer within three SMS parts, dropping the official contacts first', () => {
    const reply = sms('САНҶИШ Кӯҳистон Меҳнат');
    expect(reply).toBe(
      'Кӯҳистон Меҳнат (SAMPLE): ИҶОЗАТНОМА ДОРАД (агентии кор, TJ, то 2027-12-31). Бо касе, ки ба шумо навишт, муқоиса кунед. Оператор барои кор пул намегирад.',
    );
    expect(smsParts(reply)).toBe(3);
  });
});

describe('a name that only resembles a licensed one (impersonation)', () => {
  it.each([
    ['CHECK Pro Force Jobs', 'CAREFUL: "Pro Force Jobs" is not on the register. It resembles Pro-Force (LICENSED UK seasonal scheme operator, GB). Its official contacts: pro-force.co.uk. Anyone using other contacts is not Pro-Force.'],
    ['ПРОВЕРКА Про Форс Джобс', 'ОСТОРОЖНО: «Про Форс Джобс» нет в реестре. Похоже на Pro-Force (ЛИЦЕНЗИЯ ЕСТЬ, оператор сезонной программы UK, GB). Их официальные контакты: pro-force.co.uk. С других контактов пишет не Pro-Force.'],
    ['САНҶИШ Про Форс Ҷобс', 'ЭҲТИЁТ: «Про Форс Ҷобс» дар феҳрист нест. Ба Pro-Force монанд аст (ИҶОЗАТНОМА ДОРАД, оператори барномаи мавсимии UK, GB). Тамосҳои расмӣ: pro-force.co.uk. Касе, ки тамоси дигар дорад, Pro-Force нест.'],
    // A typo is a near match too: the caller is shown the real contacts to compare with.
    ['CHECK Concordai', 'CAREFUL: "Concordai" is not on the register. It resembles Concordia (UK) (LICENSED UK seasonal scheme operator, GB). Its official contacts: concordia.org.uk. Anyone using other contacts is not Concordia (UK).'],
  ])('SMS %s', (text, expected) => {
    expect(sms(text)).toBe(expected);
    expect(smsParts(expected)).toBeLessThanOrEqual(3);
  });

  it('never reads as a licence on any USSD screen, and every page fits', () => {
    const pages = [['1', '1', 'Pro Force Jobs'], ['1', '1', 'Pro Force Jobs', '98']].map((path) => ussd(path).reply.text);
    expect(pages).toEqual([
      'CAREFUL: "Pro Force Jobs" is not on the register. It resembles Pro-Force (LICENSED UK seasonal scheme operator, GB). Its official contacts: pro-force.co.uk. Anyone\n98. More\n0. Back',
      'using other contacts is not Pro-Force.\n0. Back',
    ]);
    for (const lang of ['tg', 'ru'] as const) {
      const first = ussd(['1', '1', 'Pro Force Jobs'], lang).reply.text;
      expect(first).toMatch(lang === 'ru' ? /^ОСТОРОЖНО: / : /^ЭҲТИЁТ: /);
      expect(fitsScreen(first, { gsm: 182, ucs2: 80 })).toBe(true);
    }
  });

  it('the same name, however written, is the licensed entry itself', () => {
    expect(sms('CHECK ProForce')).toMatch(/^Pro-Force: LICENSED .* Official contacts: pro-force\.co\.uk\./);
  });

  it('an exact match with no official contacts on file says so', () => {
    const agriHr = sampleRegistryEntries().find((entry) => entry.name === 'Agri-HR')!;
    expect(entryAnswer('en', { ...agriHr, websites: [] }, '2026-11-25')).toBe(
      'Agri-HR: LICENSED UK seasonal scheme operator, GB, according to the register of 2025-03-01. We have no official contacts of theirs on file: anyone can use this name. Compare with who contacted you. Licensed operators never charge workers.',
    );
  });
});
