/**
 * Campaigns: when enough independent reporters name one identifier, the report that reaches the threshold pages
 * the officers once, naming the identifier and the count; every further reporter of it is linked to that report
 * while it is open (not closed), instead of paging again. A closed campaign's next reporter pages afresh.
 */
import type { Logger } from './log';
import type { Campaign, Identifier, Report } from './domain/report';
import type { ReportRepository } from './store/reports';

type CampaignStore = Pick<ReportRepository, 'campaignReference' | 'claimCampaign' | 'getByReference'>;

/**
 * The campaign a new report belongs to: the identifier and its reporters (this one included), linked to the open
 * campaign's report if there is one. If it cannot be read, the report is not linked: a page twice is better than none.
 */
export async function campaignOf(reports: CampaignStore, identifier: Identifier, reporters: number, log: Logger): Promise<Campaign> {
  const open = await openCampaign(reports, identifier).catch((error: unknown) => {
    log.warn('campaign not read; the report pages on its own', { error });
    return undefined;
  });
  return open ? { identifier, reporters, linkedTo: open } : { identifier, reporters };
}

async function openCampaign(reports: CampaignStore, identifier: Identifier): Promise<string | undefined> {
  const reference = await reports.campaignReference(identifier);
  if (!reference) return undefined;
  const report = await reports.getByReference(reference);
  return report && report.status !== 'closed' ? reference : undefined;
}

/**
 * After a campaign's report is stored: the first one claims the campaign (a closed one's claim is taken over), a
 * linked one is logged. A lost race still pages: two pages for one campaign is better than none.
 */
export async function recordCampaign(reports: CampaignStore, report: Report, log: Logger): Promise<void> {
  const { campaign } = report;
  if (!campaign) return;
  if (campaign.linkedTo) {
    log.info('report linked to an open campaign', { reference: report.reference, campaign: campaign.linkedTo, reporters: campaign.reporters });
    return;
  }
  const before = await reports.campaignReference(campaign.identifier);
  const replacing = before === report.reference ? undefined : before;
  if (replacing && (await openCampaign(reports, campaign.identifier)) === replacing) {
    log.info('campaign already opened by another report', { reference: report.reference, campaign: replacing });
    return;
  }
  const claimed = await reports.claimCampaign(campaign.identifier, report.reference, replacing);
  log.info('campaign opened', { reference: report.reference, reporters: campaign.reporters, claimedBy: claimed });
}
