/**
 * The deep health check that operators and alarms use (`GET /health/deep`): can this deployment answer a migrant
 * and send the replies? `/health` stays a constant answer for load balancers; this one reads the store once.
 * Its answer names what is wrong, never a secret or a stored value.
 */
import type { SmsProviderName } from './config';
import type { Services } from './runtime';

export interface HealthCheck {
  ok: boolean;
  /** What is wrong, for the operator reading the alarm; absent when all is well. */
  problem?: string;
}

export interface DeepHealth {
  status: 'ok' | 'failing';
  checks: { store: HealthCheck; registry: HealthCheck; credentials: HealthCheck };
}

const OK: HealthCheck = { ok: true };

/** The error's class only (`ResourceNotFoundException`): its message may name the table or the account. */
function failure(what: string, error: unknown): HealthCheck {
  return { ok: false, problem: `${what}: ${error instanceof Error ? error.name : 'unknown error'}` };
}

/** Every provider that some SMS route sends through must have its sending credentials. */
function credentialsCheck(config: Services['config']): HealthCheck {
  const present: Record<SmsProviderName, boolean> = {
    africastalking: config.africastalking !== undefined,
    twilio: config.twilio.sending !== undefined,
    kannel: config.kannel.sending !== undefined,
  };
  const missing: string[] = [...new Set(config.sms.routes.map((route) => route.provider))].filter((provider) => !present[provider]);
  if (!config.atWebhookToken) missing.push('africastalking webhook token');
  return missing.length === 0 ? OK : { ok: false, problem: `missing credentials: ${missing.join(', ')}` };
}

export async function deepHealth(services: Pick<Services, 'config' | 'registry' | 'registryEntries'>): Promise<DeepHealth> {
  const [store, registry] = await Promise.all([
    services.registryEntries.getVersion().then(
      () => OK,
      (error: unknown) => failure('store read failed', error),
    ),
    services.registry.get().then(
      (index): HealthCheck => (index.size > 0 ? OK : { ok: false, problem: 'registry is empty: import it' }),
      (error: unknown) => failure('registry could not be loaded', error),
    ),
  ]);
  const checks = { store, registry, credentials: credentialsCheck(services.config) };
  return { status: Object.values(checks).every((check) => check.ok) ? 'ok' : 'failing', checks };
}
