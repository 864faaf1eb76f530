/**
 * Reporters are asked whether their report may be shared with the police and partner organisations, apart from the
 * call-back (issue 16), and the answer is the report's sharing consent: the item the console's referrals check
 * (`REPORT#<ref>` / `SHARING`, source `reporter`). USSD asks it in the flow; SMS asks it in the receipt and takes
 * the answer as SHARE; voice asks it before the beep (test/voice-http.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReferralRepository } from '../shared/store/referrals';
import { startTestStore, type TestStore } from './support/dynalite';
import { testHotline } from './support/hotline';
import { createActiveTable } from './support/tables';
import { atSms, ussd } from './support/webhooks';

let store: TestStore;
beforeAll(async () => {
  store = await startTestStore('safejob-sharing');
});
afterAll(async () => store.close());

async function hotline(tableName: string) {
  await createActiveTable(store.client, tableName);
  const h = testHotline(store, { TABLE_NAME: tableName });
  const referrals = new ReferralRepository(store.client, tableName);
  const latest = async (phone: string) => (await h.deps.reports.listByReporter(h.deps.callerKey(phone), 1))[0]!;
  const texts = async (phone: string) => {
    await h.deps.localQueue.drain();
    return (await h.deps.localOutbox.list(h.deps.messages)).filter((m) => m.to === phone).map((m) => m.text);
  };
  return { ...h, referrals, latest, texts };
}

describe('sharing consent', () => {
  it('USSD: asked after the call-back; Yes and No are each stored as the reporter’s answer', async () => {
    const h = await hotline('sharing-ussd');
    // English, report, fake job offer, not paid, @handle, call-back no, then sharing yes / no, send.
    for (const [phone, share] of [['+992900000411', '1'], ['+992900000412', '2']] as const) {
      const inputs = ['3', '2', '1', '3', '@share_scam', '2', share, '1'];
      for (let n = 0; n <= inputs.length; n++) await ussd(h, `share-${phone}`, phone, inputs.slice(0, n).join('*'));
      const report = await h.latest(phone);
      expect(report).toMatchObject({ callbackConsent: false, sharingConsent: share === '1' });
      expect(await h.referrals.sharingConsent(report.reference)).toEqual({
        reference: report.reference,
        given: share === '1',
        source: 'reporter',
        at: report.createdAt,
      });
    }
  });

  it('SMS: the receipt asks; SHARE records consent for the sender’s report only', async () => {
    const h = await hotline('sharing-sms');
    const phone = '+992900000413';
    expect((await atSms(h, 'ATXid_share_1', phone, 'REPORT a fake agency @share_sms_scam on Telegram')).status).toBe(200);
    const report = await h.latest(phone);
    expect((await h.texts(phone))[0]).toContain(`May we share it with the police and partner organisations? Reply SHARE ${report.reference}.`);
    // Not answered yet: nothing recorded, nothing shared.
    expect(await h.referrals.sharingConsent(report.reference)).toBeUndefined();

    // Someone else's SHARE of this reference changes nothing.
    await atSms(h, 'ATXid_share_2', '+992900000414', `SHARE ${report.reference}`);
    expect(await h.texts('+992900000414')).toEqual(['SafeJob: we found no report of yours to share. Text SHARE and your reference.']);
    expect(await h.referrals.sharingConsent(report.reference)).toBeUndefined();

    // The reporter's SHARE (in Tajik, no reference: their latest report).
    await atSms(h, 'ATXid_share_3', phone, 'розӣ');
    expect((await h.texts(phone)).at(-1)).toBe(`SafeJob: ташаккур. Шикояти ${report.reference}-ро ба милитсия ва созмонҳои шарик додан мумкин.`);
    expect(await h.referrals.sharingConsent(report.reference)).toMatchObject({ reference: report.reference, given: true, source: 'reporter' });
  });
});
