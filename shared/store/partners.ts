/**
 * Partner organisations and their focal points (shared/store/keys.ts `PARTNERS`): one partition, so the whole
 * directory is one Query. Imports (CSV, or the console's upload) compare with what is stored first, so a dry run can
 * show the difference and an apply writes only what changed.
 */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  type DirectoryDiff,
  focalPointSchema,
  partnerOrganisationSchema,
  type FocalPoint,
  type PartnerOrganisation,
} from '../domain/console/referral';
import { collections, keys } from './keys';
import { queryAll } from './query';

export interface PartnerDirectory {
  organisations: PartnerOrganisation[];
  focalPoints: FocalPoint[];
}


const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export class PartnerRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async directory(): Promise<PartnerDirectory> {
    const organisations: PartnerOrganisation[] = [];
    const focalPoints: FocalPoint[] = [];
    for (const item of await queryAll(this.client, this.tableName, { pk: 'PARTNERS', skPrefix: '' })) {
      const sk = String(item.sk);
      if (sk.startsWith(collections.partnerOrganisations().skPrefix)) organisations.push(partnerOrganisationSchema.parse(item));
      else if (sk.startsWith(collections.focalPoints().skPrefix)) focalPoints.push(focalPointSchema.parse(item));
    }
    organisations.sort((a, b) => a.name.localeCompare(b.name));
    return { organisations, focalPoints };
  }

  async organisation(id: string): Promise<PartnerOrganisation | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.partnerOrganisation(id) }));
    return Item ? partnerOrganisationSchema.parse(Item) : undefined;
  }

  async focalPoint(email: string): Promise<FocalPoint | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.focalPoint(email.toLowerCase()) }));
    return Item ? focalPointSchema.parse(Item) : undefined;
  }

  async focalPointsOf(organisationId: string): Promise<FocalPoint[]> {
    return (await this.directory()).focalPoints.filter((point) => point.organisationId === organisationId);
  }

  /** What writing `next` would change, by organisation id and focal point e-mail. */
  async diff(next: PartnerDirectory): Promise<DirectoryDiff> {
    return diffDirectories(await this.directory(), next);
  }

  /** Writes what is new or changed; never deletes (`remove` does, one at a time, on purpose). */
  async apply(next: PartnerDirectory): Promise<DirectoryDiff> {
    const stored = await this.directory();
    const diff = diffDirectories(stored, next);
    const touched = new Set([...diff.added, ...diff.changed]);
    for (const organisation of next.organisations) {
      if (touched.has(`organisation ${organisation.id}`)) {
        await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.partnerOrganisation(organisation.id), ...organisation } }));
      }
    }
    for (const point of next.focalPoints) {
      if (touched.has(`focal point ${point.email}`)) {
        await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.focalPoint(point.email), ...point } }));
      }
    }
    return diff;
  }

  async removeFocalPoint(email: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: keys.focalPoint(email.toLowerCase()) }));
  }
}

export function diffDirectories(stored: PartnerDirectory, next: PartnerDirectory): DirectoryDiff {
  const diff: DirectoryDiff = { added: [], changed: [], missing: [] };
  const compare = <T>(label: string, before: Map<string, T>, after: Map<string, T>) => {
    for (const [id, value] of after) {
      const old = before.get(id);
      if (!old) diff.added.push(`${label} ${id}`);
      else if (!same(old, value)) diff.changed.push(`${label} ${id}`);
    }
    for (const id of before.keys()) if (!after.has(id)) diff.missing.push(`${label} ${id}`);
  };
  const strip = <T extends object>(item: T) => Object.fromEntries(Object.entries(item).filter(([k]) => k !== 'pk' && k !== 'sk')) as T;
  compare(
    'organisation',
    new Map(stored.organisations.map((o) => [o.id, strip(o)])),
    new Map(next.organisations.map((o) => [o.id, o])),
  );
  compare(
    'focal point',
    new Map(stored.focalPoints.map((p) => [p.email, strip(p)])),
    new Map(next.focalPoints.map((p) => [p.email, p])),
  );
  return diff;
}
