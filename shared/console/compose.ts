/**
 * The console's part of the composition root (the channels' common part: shared/channels-root.ts `withChannels`):
 * its sessions, the partner directory and the referrals, with sign-in and e-mail. A module of its own, so that no
 * webhook's bundle carries the console's stores or their schemas.
 */
import type { ChannelDeps, ConsoleDeps, ConsoleServices } from '../runtime';
import { ConsoleSessionRepository } from '../store/console-sessions';
import { PartnerRepository } from '../store/partners';
import { ReferralRepository } from '../store/referrals';
import type { StudioServices } from '../studio/service';
import type { MailSender } from './mail';
import type { OidcSignIn } from './sign-in';

export function withConsole(channels: ChannelDeps & StudioServices & { config: ConsoleServices['config'] }, adapters: { signIn: OidcSignIn; mail: MailSender; consoleBaseUrl: string }): ConsoleDeps {
  const { db, config } = channels;
  return {
    ...channels,
    ...adapters,
    sessions: new ConsoleSessionRepository(db, config.tableName),
    partners: new PartnerRepository(db, config.tableName),
    referrals: new ReferralRepository(db, config.tableName),
  };
}
