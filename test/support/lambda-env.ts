import { vi } from 'vitest';

/**
 * Sets the environment a handler reads its configuration from on first use, as the Lambda runtime does (through
 * vitest's stubEnv, which also lets vi.unstubAllEnvs undo it); shared/config.ts stays the one reader.
 */
export function stubLambdaEnvironment(variables: Record<string, string>): void {
  for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
}
