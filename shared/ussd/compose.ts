/**
 * The USSD function's part of the composition root (the common part: shared/channels-root.ts `withChannels`): the
 * sessions' input paths and the container's start languages. A module of its own, so that no other webhook's
 * bundle carries the session repository.
 */
import type { ChannelDeps, UssdServices } from '../runtime';
import { UssdSessionRepository } from '../store/ussd-sessions';
import { SessionStartLanguages } from './start-languages';

export function withUssd<D extends ChannelDeps>(channels: D): D & UssdServices {
  const { db, config } = channels;
  return {
    ...channels,
    ussdSessions: new UssdSessionRepository(db, config.tableName, channels.now),
    ussdStartLanguages: new SessionStartLanguages(),
  };
}
