/**
 * A campaign pages once (issue 16): the report that brings an identifier to the campaign threshold (3 distinct
 * reporters) pages the officers naming the identifier and the count; further reporters of it are linked to that
 * report while it is open, not paged again, and INFO shows the link. Once the campaign is closed, the next
 * reporter pages afresh.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleOfficerSms } from '../shared/escalation/service';
import { createLogger } from '../shared/log';
import { startTestStore, type TestStore } from './support/dynalite';
import { testHotline } from './support/hotline';
import { createActiveTable } from './support/tables';
import { atSms } from './support/webhooks';

let store: TestStore;
beforeAll(async () => {
  store = await startTestStore('safejob-campaign');
});
afterAll(async () => store.close());

const OFFICER = { name: 'Emma', phone: '+992900009201', role: 'officer', languages: ['en'], level: 1 } as const;
const STORY = 'REPORT a fake job offer in the UK from @camp_scam_uk on Telegram';
const reporter = (n: number) => `+99290000030${n}`;

describe('reports naming one identifier', () => {
  it('page once when they make a campaign, naming the identifier and the count; later reporters are linked', async () => {
    await createActiveTable(store.client, 'campaign-1');
    const logLines: string[] = [];
    const hotline = testHotline(store, { TABLE_NAME: 'campaign-1' }, createLogger('test', (line) => logLines.push(line)));
    const { deps } = hotline;
    await deps.escalation.officers.putOfficers([{ ...OFFICER, languages: ['en'], key: deps.callerKey(OFFICER.phone) }]);
    const pages = async () => {
      await deps.localQueue.drain();
      return (await deps.localOutbox.list(deps.messages)).filter((m) => m.to === OFFICER.phone).map((m) => m.text);
    };
    const reportOf = async (n: number) => (await deps.reports.listByReporter(deps.callerKey(reporter(n)), 1))[0]!;
    const file = async (n: number, text = STORY) => expect((await atSms(hotline, `ATXid_campaign_${n}`, reporter(n), text)).status).toBe(200);

    await file(1);
    await file(2);
    expect(await pages()).toEqual([]);
    await file(3);
    const campaign = await reportOf(3);
    expect(campaign.urgency).toEqual({ urgent: true, reasons: ['campaign'] });
    const [page] = await pages();
    expect(page).toMatch(
      new RegExp(`^SafeJob URGENT ${campaign.reference}: other fraud\\. Why: several reporters\\. Campaign: @camp_scam_uk, named by 3 reporters; further reports are linked to this one, not paged\\. Reporter speaks English`),
    );

    // The 4th and 5th reporters: linked, not paged.
    await file(4);
    await file(5);
    expect(await pages()).toHaveLength(1);
    const linked = await reportOf(5);
    expect(linked.campaign).toEqual({ identifier: { kind: 'handle', value: 'camp_scam_uk' }, reporters: 5, linkedTo: campaign.reference });
    expect(logLines.filter((line) => line.includes('report linked to an open campaign'))).toHaveLength(2);
    expect(logLines.join('\n')).toContain(`"campaign":"${campaign.reference}"`);

    // INFO on a linked report names the campaign it belongs to.
    expect(await handleOfficerSms(deps.escalation, OFFICER.phone, `INFO ${linked.reference}`)).toBe(true);
    expect((await pages()).at(-1)).toContain(`Linked to campaign ${campaign.reference}: @camp_scam_uk, named by 5 reporters.`);

    // A further reporter in danger of their own is still paged.
    await file(6, 'REPORT @camp_scam_uk wants me to pay 300 dollars tomorrow');
    const urgent = await reportOf(6);
    expect(urgent.campaign?.linkedTo).toBe(campaign.reference);
    expect((await pages()).filter((text) => text.startsWith(`SafeJob URGENT ${urgent.reference}:`))).toHaveLength(1);

    // Closed: the next reporter opens a new campaign and pages.
    await deps.reports.updateStatus(campaign.reference, 'closed');
    await file(7);
    const reopened = await reportOf(7);
    expect(reopened.campaign).toEqual({ identifier: { kind: 'handle', value: 'camp_scam_uk' }, reporters: 7 });
    expect((await pages()).filter((text) => text.startsWith(`SafeJob URGENT ${reopened.reference}:`))).toHaveLength(1);
    expect(await deps.reports.campaignReference({ kind: 'handle', value: 'camp_scam_uk' })).toBe(reopened.reference);
  });
});
