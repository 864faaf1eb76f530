/**
 * The escalation on one machine (`npm start`, tests): in-process timers wired to the service.
 *
 *   const escalation = createLocalEscalationDeps({ officers, escalations, outbox, log, callerKey, reports, vault }, config);
 *   await rearmPending(escalation);          // on start
 *   await escalation.scheduler.stop();       // on stop
 */
import type { EscalationTrigger } from '../domain/escalation';
import type { EscalationConfig } from './config';
import type { EscalationDeps } from './deps';
import { LocalEscalationScheduler } from './local-scheduler';
import { handleEscalationTrigger } from './service';

export type LocalEscalationDeps = EscalationDeps & { scheduler: LocalEscalationScheduler };

export function createLocalEscalationDeps(
  base: Omit<EscalationDeps, 'scheduler' | 'escalation' | 'now'> & { now?: () => number },
  config: EscalationConfig,
  options: { retryMs?: number } = {},
): LocalEscalationDeps {
  const now = base.now ?? Date.now;
  const scheduler = new LocalEscalationScheduler({ now, log: base.log, retryMs: options.retryMs });
  const deps: LocalEscalationDeps = { ...base, now, escalation: config, scheduler };
  scheduler.attach((trigger: EscalationTrigger) => handleEscalationTrigger(deps, trigger));
  return deps;
}
