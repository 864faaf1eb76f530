/**
 * What the escalation service needs, so that the composition root (shared/runtime.ts, infra/local.ts, the
 * Lambda entry points) can build it from its own dependencies.
 */
import type { Logger } from '../log';
import type { EscalationRepository } from '../store/escalations';
import type { OfficerRepository } from '../store/officers';
import type { ReportRepository } from '../store/reports';
import type { EscalationConfig } from './config';
import type { CallBridge, EscalationScheduler, NumberVault } from '../ports';
import type { RecordingLinks } from '../recording-links';

export interface EscalationDeps {
  /** The rota. */
  officers: OfficerRepository;
  /** Open escalations, their audit trail, and the CALL bridges waiting for an officer. */
  escalations: EscalationRepository;
  /** The one way out for SMS (shared/outbox/outbox.ts `Outbox` fits). */
  outbox: { send(to: string, text: string): Promise<unknown> };
  log: Logger;
  /** The keyed phone hash (shared/privacy.ts `phoneKey` with the configured key): officers are found by it. */
  callerKey(rawPhone: string): string;
  /** An officer's code for a scope (shared/privacy.ts `officerCommandCode` with the configured key). */
  commandCode(officerKey: string, scope: string): string;
  reports: ReportRepository;
  escalation: EscalationConfig;
  scheduler: EscalationScheduler;
  /**
   * Opens a report's sealed call-back number to tell the reporter that an officer has their case. Without it (or
   * without a consented number) the reporter is not told by SMS; the audit trail records that they were not.
   */
  vault?: Pick<NumberVault, 'decrypt'>;
  /**
   * Rings an officer who sent CALL and bridges them to the reporter (shared/escalation/call-bridge.ts). Without it
   * a CALL is recorded as failed and the officer is told no call could be placed.
   */
  callBridge?: CallBridge;
  /** Signs the short-lived links to recordings that pages and INFO carry (without it, they carry none). */
  recordingLinks?: Pick<RecordingLinks, 'linkFor'>;
  now(): number;
}
