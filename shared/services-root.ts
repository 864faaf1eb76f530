/**
 * The services every function but the outbox builds on the base (shared/runtime.ts `createStoreBase`): the
 * languages, the registry, the reports, the caller's keys, the escalation's and the outreach's stores. A module of
 * its own so that the outbox's bundle holds none of these repositories, nor the schemas their modules build.
 */
import { cardKey } from './crypto';
import type { ConfigWith, BaseConfig } from './config';
import { COMMAND_CODE_LENGTH } from './domain/officer';
import type { EscalationDeps } from './escalation/deps';
import { createLogger, type Logger } from './log';
import type { Outbox } from './outbox/outbox';
import type { OutreachDeps } from './outreach/service';
import type { NumberVault } from './ports';
import { officerCommandCode, phoneKeys } from './privacy';
import { RecordingLinks } from './recording-links';
import { RegistryCache } from './registry/cache';
import { createStoreBase, subscriptionsOf, type Deps } from './runtime';
import { EscalationRepository } from './store/escalations';
import { LanguageRepository } from './store/languages';
import { OfficerRepository } from './store/officers';
import { AlertRepository } from './store/outreach';
import { RegistryRepository } from './store/registry';
import { ReportRepository } from './store/reports';

export function createDeps<C extends BaseConfig>(config: C, log: Logger = createLogger('hotline')): Deps & { config: C } {
  const base = createStoreBase(config, log);
  const { db } = base;
  const registryEntries = new RegistryRepository(db, config.tableName);
  return {
    ...base,
    languages: new LanguageRepository(db, config.tableName),
    registryEntries,
    registry: new RegistryCache(registryEntries, {
      onRefreshError: (error) => log.warn('registry refresh failed; serving the last index', { error }),
      onBuild: (version, reason) => log.warn('registry index built from the entries, not restored', { version, reason }),
    }),
    reports: new ReportRepository(db, config.tableName, { callbackRetentionDays: config.reports.callbackRetentionDays }),
    callerKey: phoneKeys(config.phoneHashKey),
    commandCode: (officerKey, scope) => officerCommandCode(config.phoneHashKey, officerKey, scope, COMMAND_CODE_LENGTH),
    cardHash: (digits) => cardKey(config.phoneHashKey, digits),
    recordingLinks: new RecordingLinks(config.phoneHashKey, config.publicBaseUrl),
  };
}

/** The escalation's repositories: the rota, and the open escalations with their audit trail and CALL bridges. */
export function escalationStores({ db, config }: Deps): Pick<EscalationDeps, 'officers' | 'escalations'> {
  return { officers: new OfficerRepository(db, config.tableName), escalations: new EscalationRepository(db, config.tableName) };
}


/** The outreach's dependencies (the bulk lane is added only where broadcasts are fanned out). */
export function outreachDeps(deps: Deps & { config: ConfigWith<'outreach'> }, outbox: Outbox, vault: NumberVault): OutreachDeps {
  const { db, config } = deps;
  return {
    subscriptions: subscriptionsOf(deps),
    alerts: new AlertRepository(db, config.tableName),
    officers: new OfficerRepository(db, config.tableName),
    outbox,
    vault,
    callerKey: deps.callerKey,
    cardHash: deps.cardHash,
    log: deps.log,
    now: () => deps.now(),
    config: config.outreach,
    ussdServiceCode: config.ussdServiceCode,
    commandCode: (officerKey, scope) => officerCommandCode(config.phoneHashKey, officerKey, scope, COMMAND_CODE_LENGTH),
  };
}
