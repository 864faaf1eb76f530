/**
 * The SMS function's part of the composition root (the common part: shared/channels-root.ts `withChannels`): the
 * inbound messages' claims and flood counters, and the stories awaiting their sender's YES. A module of its own, so
 * that no other webhook's bundle carries these repositories.
 */
import { HELD_REPORT_MINUTES } from '../domain/report';
import type { ChannelDeps, SmsServices } from '../runtime';
import { InboundRepository } from '../store/inbound';
import { PendingReportRepository } from '../store/pending-reports';

export function withSms<D extends ChannelDeps>(channels: D): D & SmsServices {
  const { db, config } = channels;
  return {
    ...channels,
    inbound: new InboundRepository(db, config.tableName, config.sms.claimStaleSeconds),
    pendingReports: new PendingReportRepository(db, config.tableName, HELD_REPORT_MINUTES * 60),
  };
}
