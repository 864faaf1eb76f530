/**
 * Issue #18's "done when", end to end through the HTTP routes of the local hotline (dynalite, the real outbox and
 * local queue): a migrant who joined by USSD in Tajik receives, in Tajik, the approved alert about an identifier
 * two officers confirmed; a migrant who sent STOP receives nothing; the broadcast's delivery report is visible.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../shared/domain/prompts';
import { dushanbeToday } from '../shared/domain/verify';
import { OfficerRepository } from '../shared/store/officers';
import { startTestStore, type TestStore } from './support/dynalite';
import { OFFICERS, officerImport } from './support/escalation';
import { fixture, fixtureRequest } from './support/fixtures';
import { testHotline } from './support/hotline';

let store: TestStore;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(async () => store.close());

const TAJIK_MIGRANT = '+992900000301';
const STOPPED_MIGRANT = '+992900000302';
const CHECKER = '+992900000303';
const { aziz, emma } = OFFICERS;

describe('scam alerts to subscribers, end to end', () => {
  it('a USSD subscriber gets the approved alert in Tajik, a STOP gets nothing, the delivery report is visible', async () => {
    const hotline = testHotline(store, { BROADCAST_QUIET_HOURS: '' });
    const { app, deps } = hotline;
    await new OfficerRepository(store.client, store.tableName).putOfficers(
      [aziz, emma].map((officer) => ({ ...officerImport(officer), key: deps.callerKey(officer.phone) })),
    );
    let smsCount = 0;
    const sms = async (from: string, text: string) => {
      const response = await app.request(fixtureRequest(fixture('africastalking/sms-incoming'), { id: `outreach-${++smsCount}`, from, text }));
      expect(response.status).toBe(200);
      await deps.localQueue.drain();
    };
    const ussd = async (text: string) => {
      const response = await app.request(
        fixtureRequest(fixture('africastalking/ussd-first-dial'), { sessionId: 'outreach-ussd-1', phoneNumber: TAJIK_MIGRANT, text }),
      );
      return response.text();
    };
    const textsTo = async (phone: string) => (await deps.localOutbox.list(deps.messages)).filter((m) => m.to === phone).map((m) => m.text);

    // 1. A migrant joins by USSD in Tajik: language 1 (Tajik), main menu 7, scam alerts 1.
    await ussd('1');
    expect(await ussd('1*7')).toBe('CON 1. Огоҳӣ аз фиреб\n2. Огоҳӣ + маслиҳат\n98. Давом\n0. Бозгашт');
    expect(await ussd('1*7*1')).toBe(`END ${t('tg', 'subscribe.done')}`);
    const consent = await deps.campaigns.subscriptions.consentHistory(deps.callerKey(TAJIK_MIGRANT));
    expect(consent).toEqual([{ at: expect.any(String), channel: 'ussd', action: 'opt_in', topics: ['scam_alerts'], lang: 'tg' }]);

    // 2. Another joins by SMS and sends STOP: confirmed once, the second STOP is not answered.
    await sms(STOPPED_MIGRANT, 'ПОДПИСКА');
    await sms(STOPPED_MIGRANT, 'СТОП');
    await sms(STOPPED_MIGRANT, 'СТОП');
    expect(await textsTo(STOPPED_MIGRANT)).toEqual([
      t('ru', 'outreach.joined', { topics: t('ru', 'outreach.topic.scam_alerts') }),
      t('ru', 'outreach.stopped'),
    ]);

    // 3. A SCAM without the code only Aziz's phone received (a forged sender who knows his number), or with a wrong
    // one, drafts nothing and asks nobody to approve; the command with his code goes to his own number.
    await sms(aziz.phone, 'SCAM @uk_farm_jobs fake UK farm jobs, asks 5000 somoni');
    const [asked] = await textsTo(aziz.phone);
    const [, scamPin = ''] = /SCAM (\d{6}) @uk_farm_jobs fake UK farm jobs, asks 5000 somoni/.exec(asked!) ?? [];
    expect(asked).toBe(t('tg', 'officer.confirm', { command: `SCAM ${scamPin} @uk_farm_jobs fake UK farm jobs, asks 5000 somoni` }));
    const wrongPin = scamPin === '000000' ? '111111' : '000000';
    await sms(aziz.phone, `SCAM ${wrongPin} @uk_farm_jobs fake UK farm jobs`);
    expect((await textsTo(aziz.phone)).at(-1)).toBe(t('tg', 'officer.codeWrong', { command: `SCAM ${scamPin} @uk_farm_jobs fake UK farm jobs` }));
    expect(await textsTo(emma.phone)).toEqual([]);
    expect(await deps.campaigns.alerts.listAlerts()).toEqual([]);
    // The pin is Aziz's for this identifier: another account needs another.
    expect(deps.campaigns.commandCode(deps.callerKey(aziz.phone), 'scam:handle:other_account')).not.toBe(scamPin);

    // 4. With it, the alert is drafted; Emma is asked to approve it, with the code and the cost.
    await sms(aziz.phone, `SCAM ${scamPin} @uk_farm_jobs fake UK farm jobs, asks 5000 somoni`);
    const drafted = (await textsTo(aziz.phone)).at(-1);
    expect(drafted).toMatch(/^Огоҳиномаи [A-Z0-9]{5} дар бораи @uk_farm_jobs омода шуд: 1 обуначӣ, 2 SMS, тақрибан \$0\.05\./);
    const [request] = await textsTo(emma.phone);
    const [, code = '', pin = ''] = /APPROVE ([A-Z0-9]{5}) (\d{6})\.$/.exec(request!)!;
    expect(request).toBe(
      `SafeJob alert ${code} by Aziz, for 1 subscribers (about $0.05): "${t('en', 'alert.template', { identifier: '@uk_farm_jobs', ussdCode: '*384*1234#' })}" To send it, reply APPROVE ${code} ${pin}.`,
    );

    // 5. The drafter's own approval is refused; nothing is sent.
    await sms(aziz.phone, `APPROVE ${code}`);
    expect((await textsTo(aziz.phone)).at(-1)).toBe(t('tg', 'alert.own', { code }));
    expect(await (await app.request('/dev/broadcasts')).json()).toEqual([]);

    // 6. An APPROVE without the code only Emma's phone received (a forged sender) approves nothing; with it, Emma
    // approves: the broadcast is due now, and the schedule's run fans it out.
    await sms(emma.phone, `APPROVE ${code}`);
    expect((await textsTo(emma.phone)).at(-1)).toBe(`To confirm, reply: APPROVE ${code} ${pin}. If you did not send this, tell your supervisor.`);
    expect(await (await app.request('/dev/broadcasts')).json()).toEqual([]);
    await sms(emma.phone, `APPROVE ${code} ${pin}`);
    expect((await textsTo(emma.phone)).at(-1)).toBe(`Alert ${code} approved: sending to 1 subscribers.`);
    expect((await textsTo(aziz.phone)).at(-1)).toBe(t('tg', 'alert.approvedNotice', { code, name: 'Emma' }));
    const run = await (await app.request('/dev/broadcasts/run', { method: 'POST' })).json();
    expect(run).toEqual({ ran: true, fannedOut: [`alert-${code}`], tips: 0 });
    await deps.localQueue.drain();

    // 7. The Tajik subscriber has it in Tajik; the one who sent STOP has nothing more.
    expect((await textsTo(TAJIK_MIGRANT)).at(-1)).toBe(t('tg', 'alert.template', { identifier: '@uk_farm_jobs', ussdCode: '*384*1234#' }));
    expect(await textsTo(STOPPED_MIGRANT)).toHaveLength(2);

    // 8. Every CHECK of the account now answers "confirmed scam (date)".
    await sms(CHECKER, 'CHECK @uk_farm_jobs');
    expect(await textsTo(CHECKER)).toEqual([t('en', 'contact.confirmedScam', { value: '@uk_farm_jobs', date: dushanbeToday(Date.now()) })]);

    // 9. The delivery report.
    const report = await (await app.request(`/dev/broadcasts/alert-${code}`)).json();
    expect(report).toMatchObject({
      kind: 'alert',
      alertCode: code,
      status: 'completed',
      approvedBy: { name: 'Emma' },
      createdBy: { name: 'Aziz' },
      estimate: { recipients: 1, segments: 2, usd: 0.05 },
      report: { total: 1, queued: 0, sent: 1, delivered: 0, failed: 0, failedByReason: {}, optedOutSince: 0 },
    });
  });
});
