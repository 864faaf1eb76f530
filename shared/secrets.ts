import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * On AWS the stack puts secrets (webhook token, phone hash key, provider credentials) in Secrets Manager and
 * passes only the secret's ARN in `SECRETS_ARN`. The secret is a JSON object of variable names to values, read
 * once per container and laid over the environment before the configuration is parsed.
 */
export async function environmentWithSecrets(
  env: Record<string, string | undefined> = process.env,
): Promise<Record<string, string | undefined>> {
  const arn = env.SECRETS_ARN;
  if (!arn) return env;
  const client = new SecretsManagerClient({});
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  const values: unknown = JSON.parse(SecretString ?? '{}');
  if (typeof values !== 'object' || values === null) throw new Error('SECRETS_ARN does not hold a JSON object');
  const strings = Object.entries(values).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
  return { ...env, ...Object.fromEntries(strings) };
}
