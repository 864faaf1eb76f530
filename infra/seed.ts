/**
 * Sample data for the local hotline, every item clearly marked as sample. Never run against a deployed table.
 * Seeding is idempotent: restarting with data on disk (DYNALITE_PATH) overwrites the samples, nothing else.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readFile } from 'node:fs/promises';
import { parseRegistryCsv } from '../shared/registry/csv';
import { keys } from '../shared/store/keys';
import { RegistryRepository } from '../shared/store/registry';
import { seedSampleOfficers } from './officers-import';
import { parsePartnersCsv } from '../shared/console/partners-csv';
import { PartnerRepository } from '../shared/store/partners';

/** Fictional partner organisations and focal points for the console (partner@sample.test is the police unit's). */
const SAMPLE_PARTNERS_FILE = new URL('../data/partners.sample.csv', import.meta.url);

export const SAMPLE_NOTE = 'SAMPLE DATA for local trials: fictional, not for real callers';

/** The UK scheme operators of docs/domain-facts.md (dated, to be re-verified) and fictional Tajik agencies. */
const SAMPLE_REGISTRY_FILE = new URL('../data/registry.sample.csv', import.meta.url);

/** The marker, the sample registry and the fictional on-call rota (phone keys need the hotline's hash key). */
export async function seedSampleData(client: DynamoDBDocumentClient, tableName: string, phoneHashKey: string): Promise<void> {
  await client.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...keys.sampleMarker(), sample: true, note: SAMPLE_NOTE, seededAt: new Date().toISOString() },
    }),
  );
  await seedSampleRegistry(client, tableName);
  await seedSampleOfficers(client, tableName, phoneHashKey);
  const partners = parsePartnersCsv(await readFile(SAMPLE_PARTNERS_FILE, 'utf8'));
  if (!partners.ok) throw new Error(`The sample partners ${SAMPLE_PARTNERS_FILE.pathname} are invalid: ${JSON.stringify(partners.errors)}`);
  await new PartnerRepository(client, tableName).apply(partners);
}

async function seedSampleRegistry(client: DynamoDBDocumentClient, tableName: string): Promise<void> {
  const parsed = parseRegistryCsv(await readFile(SAMPLE_REGISTRY_FILE, 'utf8'));
  if (!parsed.ok) {
    const problems = parsed.errors.map(({ line, reason }) => `line ${line}: ${reason}`).join('\n');
    throw new Error(`The sample registry ${SAMPLE_REGISTRY_FILE.pathname} is invalid:\n${problems}`);
  }
  const registry = new RegistryRepository(client, tableName);
  await registry.putEntries(parsed.entries);
  await registry.saveIndex();
}
