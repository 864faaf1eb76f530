import type { SmsProviderName } from '../config';

export interface SmsRoute {
  prefix: string;
  provider: SmsProviderName;
}

/**
 * The providers to try for a destination, in order: the one routed by the longest matching prefix (`*` matches
 * all), then every other available one as failover.
 */
export function providersFor(to: string, routes: SmsRoute[], available: SmsProviderName[]): SmsProviderName[] {
  const matching = routes
    .filter((r) => r.prefix === '*' || to.startsWith(r.prefix))
    .sort((a, b) => (b.prefix === '*' ? 0 : b.prefix.length) - (a.prefix === '*' ? 0 : a.prefix.length));
  const preferred = matching.map((r) => r.provider).filter((p) => available.includes(p));
  return [...new Set([...preferred, ...available])];
}
