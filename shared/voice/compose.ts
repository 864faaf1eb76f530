/**
 * The voice line's part of the composition root (the common part: shared/channels-root.ts `withChannels`): who the
 * urgent line rings (the escalation's rota), its calls, the keypad licence index, and the CALL bridges (kept by the
 * escalation's repository) it connects. A module of its own, so that no other webhook's bundle carries them.
 */
import type { ChannelDeps, VoiceServices } from '../runtime';
import { UrgentCallRepository } from '../store/urgent-calls';
import { KeypadLicences } from './licences';
import { officerOnCallDirectory } from './on-call';

export function withVoice<D extends ChannelDeps>(channels: D): D & VoiceServices {
  const { db, config, escalation } = channels;
  return {
    ...channels,
    onCall: officerOnCallDirectory(escalation.officers),
    licences: new KeypadLicences(() => channels.registryEntries.loadAll()),
    urgentCalls: new UrgentCallRepository(db, config.tableName),
    bridgeCalls: escalation.escalations,
  };
}
