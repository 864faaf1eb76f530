/**
 * An official contact of a licensed registry entry is never branded by reports (issue 15): reports about it can
 * only be impostors using it, so the check answer says the number is official and how to tell an impostor, in the
 * caller's language, however many reported it.
 */
import { describe, expect, it } from 'vitest';
import { t, type Lang } from '../shared/domain/prompts';
import { parseSmsCommand, smsReply } from '../shared/domain/sms';
import { sampleUssdData } from './support/registry';

const data = sampleUssdData();
const reportedBy3 = { reporters: 3, lastSeen: '2026-11-20T09:00:00.000Z' };
const sms = (text: string, reported: { reporters: number; lastSeen: string } | null) =>
  smsReply(parseSmsCommand(text), { storedLang: undefined, ussdServiceCode: '*384*1234#', ...data, reported }).text;

describe('the check answer about a licensed agency’s official number', () => {
  it.each([
    ['en', 'CHECK +992900001005', 'licensed'],
    ['ru', 'ПРОВЕРКА +992900001005', 'лицензия есть'],
    ['tg', 'САНҶИШ +992900001005', 'иҷозатнома дорад'],
  ] as [Lang, string, string][])('%s: official, how to tell an impostor, and no warning however many reported it', (lang, text, status) => {
    const reply = sms(text, reportedBy3);
    const official = t(lang, 'contact.official', { value: '+992900001005', name: 'Кӯҳистон Меҳнат (SAMPLE)', status });
    expect(reply).toBe(`${official} ${t(lang, 'contact.impostor')}`);
    expect(reply).not.toContain(t(lang, 'contact.reported', { value: '+992900001005', count: 3, date: '2026-11-20' }));
  });

  it('a number that is nobody’s official contact is still branded by its reports', () => {
    expect(sms('CHECK +992900000999', reportedBy3)).toBe(
      'WARNING: +992900000999 was reported to us by 3 people, last on 2026-11-20. Do not pay and do not send documents.',
    );
  });
});
