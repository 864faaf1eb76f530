/**
 * Nothing lost when the store is down (issue 15): a report whose last step arrives while every store call fails
 * is journaled, and replayed into exactly one report once the store is back, on USSD and on SMS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayLocalJournal } from '../infra/local';
import { t } from '../shared/domain/prompts';
import { startTestStore, type TestStore } from './support/dynalite';
import { injectStoreFaults, seeded } from './support/faults';
import { hotlineOnNewTable, replayedTwice, textsTo } from './support/hotline';
import { ussd, atSms, storedReports } from './support/webhooks';

let store: TestStore;
beforeAll(async () => {
  store = await startTestStore('safejob-store-down');
});
afterAll(async () => store.close());

const hotlineOnFreshTable = () => hotlineOnNewTable(store, 'down', { SMS_CLAIM_STALE_SECONDS: '0' });

type Hotline = Awaited<ReturnType<typeof hotlineOnFreshTable>>;

const storeDown = (hotline: Hotline) => injectStoreFaults(hotline.deps.db, { rate: 1, random: seeded(3), lostResponses: false });

// Language 3 (English), 2 (report), the rest of the report flow, 1 (send).
const WITH_LANGUAGE = ['3', '2', '1', '3', '@down_scam_job', '2', '2', '1'];

describe('a USSD report whose last step arrives while the store is down', () => {
  it('is journaled, the caller told it is received and the reference comes by SMS, and replayed into exactly one report', async () => {
    const hotline = await hotlineOnFreshTable();
    const phone = '+992900000701';
    for (let n = 0; n < WITH_LANGUAGE.length; n++) {
      expect((await ussd(hotline, 'down-ussd-1', phone, WITH_LANGUAGE.slice(0, n).join('*'))).body).toMatch(/^CON /);
    }
    const faults = storeDown(hotline);
    const final = await ussd(hotline, 'down-ussd-1', phone, WITH_LANGUAGE.join('*'));
    // The gateway repeats the final step: still one report.
    const retry = await ussd(hotline, 'down-ussd-1', phone, WITH_LANGUAGE.join('*'));
    expect(final.body).toBe('END Received. Your reference will arrive by SMS. No need to send it again.');
    expect(retry.body).toBe(final.body);
    const journaled = await hotline.deps.journalFile.entries();
    expect(journaled).toHaveLength(2);
    expect(journaled[0]!.report).toMatchObject({ channel: 'ussd', lang: 'en', identifiers: [{ kind: 'handle', value: 'down_scam_job' }] });

    await replayLocalJournal(hotline.deps); // still down: kept
    expect(await hotline.deps.journalFile.entries()).toHaveLength(2);
    faults.rate = 0;
    const reports = await replayedTwice(hotline, store);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ reporterKey: hotline.deps.callerKey(phone), lang: 'en', channel: 'ussd' });
    // The replay texted the reference, once, in the caller's language; the journal held no raw number.
    expect(await textsTo(hotline, phone)).toEqual([
      `SafeJob: report ${reports[0]!.reference} received. Never pay for a job or a visa. To follow it, text STATUS ${reports[0]!.reference}.`,
    ]);
    expect(JSON.stringify(journaled)).not.toContain(phone.slice(1));
  });

  it('is journaled too when the caller chose the language in an earlier session (the path starts at the main menu)', async () => {
    const hotline = await hotlineOnFreshTable();
    const phone = '+992900000702';
    await ussd(hotline, 'down-ussd-2a', phone, '');
    await ussd(hotline, 'down-ussd-2a', phone, '2'); // Russian, remembered
    const path = WITH_LANGUAGE.slice(1);
    for (let n = 0; n < path.length; n++) expect((await ussd(hotline, 'down-ussd-2b', phone, path.slice(0, n).join('*'))).body).toMatch(/^CON /);
    const faults = storeDown(hotline);
    expect((await ussd(hotline, 'down-ussd-2b', phone, path.join('*'))).body).toBe('END Принято. Номер придёт по SMS. Повторять не нужно.');
    expect(await hotline.deps.journalFile.entries()).toHaveLength(1);
    faults.rate = 0;
    await replayLocalJournal(hotline.deps);
    const reports = await storedReports(store.client, hotline.tableName);
    expect(reports.map((r) => r.identifiers)).toEqual([[{ kind: 'handle', value: 'down_scam_job' }]]);
    const reference = reports[0]!.reference;
    expect(await textsTo(hotline, phone)).toEqual([
      `SafeJob: сообщение ${reference} принято. Не платите за работу и визу. Узнать статус: СТАТУС ${reference}.`,
    ]);
  });

  it('a step that files nothing still gets the polite last screen, and nothing is journaled', async () => {
    const hotline = await hotlineOnFreshTable();
    storeDown(hotline);
    expect((await ussd(hotline, 'down-ussd-3', '+992900000703', '3*2')).body).toBe(`END ${t('tg', 'common.unavailable')}`);
    expect(await hotline.deps.journalFile.entries()).toEqual([]);
  });
});

describe('an SMS REPORT while the store is down', () => {
  const TEXT = 'REPORT a recruiter wants 400 dollars for a visa, @down_sms_scam';

  it("is journaled while the provider is asked to retry; the retry and the replay make one report", async () => {
    const hotline = await hotlineOnFreshTable();
    const phone = '+992900000704';
    const faults = storeDown(hotline);
    expect((await atSms(hotline, 'ATXid_down_sms_1', phone, TEXT)).status).toBe(503);
    expect((await atSms(hotline, 'ATXid_down_sms_1', phone, TEXT)).status).toBe(503);
    const journaled = await hotline.deps.journalFile.entries();
    expect(journaled.length).toBeGreaterThanOrEqual(1);
    expect(journaled[0]!.report).toMatchObject({ channel: 'sms', identifiers: [{ kind: 'handle', value: 'down_sms_scam' }] });

    faults.rate = 0;
    expect((await atSms(hotline, 'ATXid_down_sms_1', phone, TEXT)).status).toBe(200);
    await replayLocalJournal(hotline.deps);
    expect(await hotline.deps.journalFile.entries()).toEqual([]);
    const reports = await storedReports(store.client, hotline.tableName);
    expect(reports).toHaveLength(1);
    const answers = await textsTo(hotline, phone);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toContain(reports[0]!.reference);
  });

  it('is stored by the replay alone when the provider gives up', async () => {
    const hotline = await hotlineOnFreshTable();
    const faults = storeDown(hotline);
    expect((await atSms(hotline, 'ATXid_down_sms_2', '+992900000705', TEXT)).status).toBe(503);
    faults.rate = 0;
    await replayLocalJournal(hotline.deps);
    await replayLocalJournal(hotline.deps);
    const reports = await storedReports(store.client, hotline.tableName);
    expect(reports.map((r) => r.reporterKey)).toEqual([hotline.deps.callerKey('+992900000705')]);
    // The provider gave up, so no answer went out: the replay texts the reference, once.
    const texts = await textsTo(hotline, '+992900000705');
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain(`report ${reports[0]!.reference} received`);
  });

  it('a message that files nothing is not journaled', async () => {
    const hotline = await hotlineOnFreshTable();
    storeDown(hotline);
    expect((await atSms(hotline, 'ATXid_down_sms_3', '+992900000706', 'CHECK Concordia')).status).toBe(503);
    expect(await hotline.deps.journalFile.entries()).toEqual([]);
  });
});
