/**
 * The local stand-in for EventBridge Scheduler: in-process timers. They die with the process, so the local
 * hotline calls `rearmPending` on start, which arms a timer for every escalation still paging in the table.
 * A trigger whose handling fails is tried again a little later (the handler decides from the stored state, so a
 * repeat is harmless).
 */
import type { EscalationTrigger } from '../domain/escalation';
import type { Logger } from '../log';
import type { EscalationScheduler } from '../ports';

export interface LocalSchedulerOptions {
  now?: () => number;
  /** Wait before trying a failed trigger again. */
  retryMs?: number;
  log?: Logger;
}

export class LocalEscalationScheduler implements EscalationScheduler {
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; trigger: EscalationTrigger; at: string }>();
  private readonly inFlight = new Set<Promise<void>>();
  private handler: ((trigger: EscalationTrigger) => Promise<unknown>) | undefined;
  private stopped = false;
  private readonly now: () => number;
  private readonly retryMs: number;

  constructor(private readonly options: LocalSchedulerOptions = {}) {
    this.now = options.now ?? Date.now;
    this.retryMs = options.retryMs ?? 30_000;
  }

  /** What a fired trigger runs (the service's `handleEscalationTrigger` with its deps). */
  attach(handler: (trigger: EscalationTrigger) => Promise<unknown>): void {
    this.handler = handler;
  }

  async schedule(trigger: EscalationTrigger, at: string): Promise<void> {
    if (this.stopped) return;
    const id = `${trigger.reference}#${trigger.step}`;
    const existing = this.timers.get(id);
    if (existing) clearTimeout(existing.timer);
    const delay = Math.max(0, Date.parse(at) - this.now());
    // unref: a pending escalation never keeps a finished process (a test run, a stopped hotline) alive.
    const timer = setTimeout(() => this.fire(id, trigger), delay).unref();
    this.timers.set(id, { timer, trigger, at });
  }

  /** The triggers waiting, soonest first (tests, /dev views). */
  pending(): { trigger: EscalationTrigger; at: string }[] {
    return [...this.timers.values()].map(({ trigger, at }) => ({ trigger, at })).sort((a, b) => a.at.localeCompare(b.at));
  }

  /** Resolves once every trigger that has fired is handled. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Clears every timer and waits for the triggers being handled (clean shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await this.drain();
  }

  private fire(id: string, trigger: EscalationTrigger): void {
    this.timers.delete(id);
    if (!this.handler) {
      this.options.log?.error('escalation trigger fired with no handler attached', { reference: trigger.reference });
      return;
    }
    const work = this.handler(trigger)
      .then(() => undefined)
      .catch((error: unknown) => {
        this.options.log?.error('escalation trigger failed; trying again later', { reference: trigger.reference, step: trigger.step, error });
        if (!this.stopped) void this.schedule(trigger, new Date(this.now() + this.retryMs).toISOString());
      })
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }
}
