import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readEnvironment, type Environment } from './config';

/** The part of the Secrets Manager client used here (tests pass a stand-in). */
export interface SecretReader {
  send(command: GetSecretValueCommand): Promise<{ SecretString?: string }>;
}

/**
 * On AWS the stack puts secrets (webhook token, phone hash key, provider credentials) in Secrets Manager and
 * passes only their ARNs in `SECRETS_ARN` (one ARN, or several separated by commas: CloudFormation generates one
 * value per secret). Each secret is a JSON object of variable names to values; they are read once per container
 * and laid over the environment, in the listed order, before the configuration is parsed.
 */
export async function environmentWithSecrets(
  env: Environment = readEnvironment(),
  client?: SecretReader,
): Promise<Record<string, string | undefined>> {
  const arns = (env.SECRETS_ARN ?? '')
    .split(',')
    .map((arn) => arn.trim())
    .filter((arn) => arn !== '');
  if (arns.length === 0) return env;
  const reader: SecretReader = client ?? new SecretsManagerClient({});
  const secrets = await Promise.all(
    arns.map(async (arn) => {
      const { SecretString } = await reader.send(new GetSecretValueCommand({ SecretId: arn }));
      const values: unknown = JSON.parse(SecretString ?? '{}');
      if (typeof values !== 'object' || values === null || Array.isArray(values)) {
        throw new Error(`secret ${arn} in SECRETS_ARN does not hold a JSON object`);
      }
      return Object.entries(values).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
    }),
  );
  return { ...env, ...Object.fromEntries(secrets.flat()) };
}
