/**
 * The CALL bridge: an officer's phone rings and, once answered, is connected to the reporter, who sees the
 * hotline's number; the officer never sees the reporter's. Providers (shared/channels/*-call-bridge.ts) implement
 * the port (shared/ports.ts); `routedCallBridge` picks one by the officer's number (the SMS routes) and falls back
 * to the others; `LocalCallBridge` only records the bridge (the local hotline, GET /dev/calls).
 *
 * A result's `reason` never holds a number: providers' messages may quote the numbers they refused, so every
 * reason passes through `withoutNumbers`.
 */
import { providersFor, type SmsRoute } from '../outbox/routing';
import type { SmsProviderName } from '../config';
import type { BridgeResult, CallBridge } from '../ports';

/** A placed call and which provider placed it (the router tells which one succeeded). */
export type RoutedBridgeResult = (BridgeResult & { provider?: string });

const MAX_REASON_LENGTH = 300;

/**
 * A provider's reason, with anything that could be a phone number masked (a +number, or a run of seven or more
 * digits, spaced or not), and kept short. Status and error codes (`400 (21215)`) stay.
 */
export function withoutNumbers(reason: string): string {
  return reason
    .replace(/\+\s?\d[\d\s-]*\d/g, '***')
    .replace(/\d[\d\s-]{5,}\d/g, (run) => (run.replace(/\D/g, '').length >= 7 ? '***' : run))
    .slice(0, MAX_REASON_LENGTH);
}

/**
 * The provider routed for the officer's number first (longest prefix), then the others: the first that places the
 * call wins. Every failure's reason is kept, in order.
 */
export function routedCallBridge(bridges: Partial<Record<SmsProviderName, CallBridge>>, routes: SmsRoute[]): CallBridge & {
  bridge(officerPhone: string, reporterPhone: string, reference: string): Promise<RoutedBridgeResult>;
} {
  const available = Object.keys(bridges) as SmsProviderName[];
  return {
    provider: 'routed',
    async bridge(officerPhone, reporterPhone, reference) {
      if (available.length === 0) return { ok: false, reason: 'no voice provider configured' };
      const reasons: string[] = [];
      for (const name of providersFor(officerPhone, routes, available)) {
        const bridge = bridges[name]!;
        let result: BridgeResult;
        try {
          result = await bridge.bridge(officerPhone, reporterPhone, reference);
        } catch (error) {
          result = { ok: false, reason: error instanceof Error ? error.message : String(error) };
        }
        if (result.ok) return { ...result, provider: bridge.provider };
        reasons.push(`${bridge.provider}: ${withoutNumbers(result.reason)}`);
      }
      return { ok: false, reason: reasons.join('; ') };
    },
  };
}

export interface LocalBridgeRecord {
  callId: string;
  at: string;
  reference: string;
  /** The phone that would ring. */
  officerPhone: string;
  /** The number it would be connected to (fictional numbers on a laptop; never shown to the officer). */
  reporterPhone: string;
}

/** The local hotline's bridge: calls nobody, records what it would have done (GET /dev/calls). */
export class LocalCallBridge implements CallBridge {
  readonly provider = 'local';
  private readonly records: LocalBridgeRecord[] = [];
  private sequence = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async bridge(officerPhone: string, reporterPhone: string, reference: string): Promise<BridgeResult> {
    const callId = `LOCALCALL${String(++this.sequence).padStart(4, '0')}`;
    this.records.push({ callId, at: new Date(this.now()).toISOString(), reference, officerPhone, reporterPhone });
    return { ok: true, callId };
  }

  list(): LocalBridgeRecord[] {
    return [...this.records];
  }
}
