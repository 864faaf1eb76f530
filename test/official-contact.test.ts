/**
 * An official contact of a licensed registry entry is never branded by reports (issue 15): reports about it can
 * only be impostors using it, so the check answer says the number is official and how to tell an impostor, in the
 * caller's language, however many reported it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t, type Lang } from '../shared/domain/prompts';
import { parseSmsCommand, smsReply } from '../shared/domain/sms';
import { RegistryRepository } from '../shared/store/registry';
import { startTestStore, type TestStore } from './support/dynalite';
import { testHotline } from './support/hotline';
import { sampleRegistryEntries, sampleUssdData } from './support/registry';
import { createActiveTable } from './support/tables';

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

describe('reports naming a licensed agency’s official number', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await startTestStore('safejob-official');
  });
  afterAll(async () => store.close());

  it('go to the officers as a possible impersonation, never as a campaign against the agency', async () => {
    await createActiveTable(store.client, 'official-1');
    await new RegistryRepository(store.client, 'official-1').putEntries(sampleRegistryEntries());
    const hotline = testHotline(store, { TABLE_NAME: 'official-1' });
    const report = (from: string, id: string) =>
      hotline.app.request('/sms/africastalking', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ id, from, to: '21525', text: 'REPORT a man called from +992900001005 about a job', date: '2026-11-20 09:20:11' }).toString(),
      });
    for (const [i, from] of ['+992900000901', '+992900000902', '+992900000903'].entries()) {
      expect((await report(from, `ATXid_official_${i}`)).status).toBe(200);
    }
    const reports = await Promise.all(
      ['+992900000901', '+992900000902', '+992900000903'].map(async (phone) => (await hotline.deps.reports.listByReporter(hotline.deps.callerKey(phone), 1))[0]!),
    );
    expect(reports.map((r) => r.urgency)).toEqual(Array(3).fill({ urgent: true, reasons: ['impersonation'] }));
  });
});
