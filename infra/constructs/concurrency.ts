/**
 * Reserved concurrency, decided in one place. AWS keeps part of an account's Lambda concurrency unreserved for the
 * functions without a reservation: 100, or the whole quota when that is 100 or less (a new account may start at 10,
 * and then the error is "decreases account's UnreservedConcurrentExecution below its minimum value of [10]"). A
 * reservation the account cannot spare fails the deployment, so nothing is reserved (for USSD, or the broadcast
 * function's ceiling of one) unless the operator says what the account allows:
 *
 * - `-c lambdaConcurrencyLimit=N`: the account's quota (`aws lambda get-account-settings --query
 *   AccountLimit.ConcurrentExecutions`). With room for it, the broadcast function reserves BROADCAST_RESERVED and
 *   USSD USSD_DEFAULT_RESERVED of the rest; without it (or with no limit given, as for a new account of 10),
 *   neither reserves anything.
 * - `-c ussdReservedConcurrency=N`: exactly N for USSD (0: none), checked against the limit when one is given.
 *
 * Why USSD: a caller on a USSD session is dropped by the gateway after ~10 s, so a burst of SMS, delivery reports or
 * replays must never take the last containers from callers on the line. The reservation is also USSD's ceiling: at
 * well under 0.1 s a warm request, 50 containers answer several hundred requests a second, above the route's
 * throttle (ROUTE_THROTTLES.caller in infra/constructs/http-api.ts).
 */
import type { HotlineContext } from '../context';

/** What AWS keeps unreserved on an account whose quota is above it. */
export const UNRESERVED_MINIMUM = 100;
/** USSD's reservation where the account allows it. */
export const USSD_DEFAULT_RESERVED = 50;
/**
 * The broadcast function's reservation where the account allows it: a ceiling of one, so that the every-minute
 * schedule never starts a second container that would only find the run lease taken. One run at a time is kept by
 * the table's run lease (shared/outreach/service.ts runBroadcastSchedule), not by this reservation.
 */
export const BROADCAST_RESERVED = 1;

/** Concurrency the account can reserve for functions: its quota less what AWS keeps unreserved. */
const reservable = (limit: number) => limit - Math.min(limit, UNRESERVED_MINIMUM);

/** The broadcast function's reserved concurrency (undefined: none): only on an account known to have room. */
export function broadcastReservation({ lambdaConcurrencyLimit: limit }: HotlineContext): number | undefined {
  return limit !== undefined && reservable(limit) >= BROADCAST_RESERVED ? BROADCAST_RESERVED : undefined;
}

/** USSD's reserved concurrency (undefined: none), or an error naming the context value that cannot deploy. */
export function ussdReservation(context: HotlineContext): number | undefined {
  const { lambdaConcurrencyLimit: limit, ussdReservedConcurrency: asked } = context;
  const room = limit === undefined ? undefined : reservable(limit) - (broadcastReservation(context) ?? 0);
  if (asked !== undefined) {
    if (room !== undefined && asked > room) {
      throw new Error(`context ussdReservedConcurrency=${asked} is more than lambdaConcurrencyLimit=${limit} can spare (${room})`);
    }
    return asked === 0 ? undefined : asked;
  }
  return room !== undefined && room >= USSD_DEFAULT_RESERVED ? USSD_DEFAULT_RESERVED : undefined;
}
