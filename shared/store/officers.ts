/**
 * Officers and the rota (shared/store/keys.ts: `ROTA` / `OFFICER#<phoneKey>`): all in one partition, so the whole
 * rota is one Query and an officer is found by the keyed hash of the number that texted.
 *
 * An officer's raw number is stored in their item: the hotline must page them. It is staff data, given by the
 * operator, not a reporter's number; it is never logged (logs carry the officer's key and name).
 */
import { createHash, randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from '../domain/zod';
import { rotaOfficerObject, type AuditAction, type AuditDetail, type Person, type RotaOfficer } from '../domain/escalation';
import { E164 } from '../domain/registry';
import { collections, keys, type ItemCollection } from './keys';
import { queryAll } from './query';

export const officerRecordSchema = z.lazy(() => z.extend(rotaOfficerObject(), {
  /** E.164. Staff data, needed to page them; never logged. */
  phone: z.string().check(z.regex(E164)),
  /** The address the officer signs in to the console with (lower case), if they use it. */
  email: z.optional(z.string()),
  /** A digest of the imported fields: a re-import of the same row writes nothing. */
  contentHash: z.string().check(z.minLength(1)),
  updatedAt: z.iso.datetime(),
  dutyChangedAt: z.optional(z.iso.datetime()),
}));
export type OfficerRecord = z.infer<typeof officerRecordSchema>;

/** What the rota file says of an officer; `key` is the keyed hash of `phone`. */
export type OfficerImport = Pick<OfficerRecord, 'key' | 'name' | 'phone' | 'role' | 'languages' | 'level' | 'email'>;

export type ImportOutcome = 'added' | 'updated' | 'unchanged';

export interface PutOfficersResult {
  outcomes: { officer: OfficerImport; outcome: ImportOutcome }[];
  /** Stored officers the file does not list: kept unless removed on purpose. */
  notInFile: Person[];
}

export interface DutyAuditRecord {
  at: string;
  action: Extract<AuditAction, 'duty_on' | 'duty_off' | 'who' | 'code_requested' | 'code_rejected'>;
  actor: Person;
  detail?: AuditDetail;
}

export function officerContentHash(officer: OfficerImport): string {
  const { name, phone, role, languages, level, email } = officer;
  // Without an e-mail the digest is the one rotas had before the column existed: re-importing them changes nothing.
  const fields = [name, phone, role, languages, level, ...(email ? [email] : [])];
  return createHash('sha256').update(JSON.stringify(fields)).digest('base64url');
}

/** The rules' view of an officer: no phone number. */
export function rotaView(record: OfficerRecord): RotaOfficer {
  const { key, name, role, languages, level, onDuty } = record;
  return { key, name, role, languages, level, onDuty };
}

export class OfficerRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(officerKey: string): Promise<OfficerRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.officer(officerKey), ConsistentRead: true }),
    );
    return Item ? officerRecordSchema.parse(Item) : undefined;
  }

  /** The rota officer who signs in to the console with this address. */
  async findByEmail(email: string): Promise<OfficerRecord | undefined> {
    const wanted = email.toLowerCase();
    return (await this.list()).find((record) => record.email === wanted);
  }

  /** The whole rota, in level then name order. */
  async list(): Promise<OfficerRecord[]> {
    const items = await this.query(collections.officers());
    return items
      .map((item) => officerRecordSchema.parse(item))
      .sort((a, b) => a.level - b.level || a.name.localeCompare(b.name));
  }

  /**
   * Adds new officers (on duty: being put on the rota is being put on call; they text OFF when they are not) and
   * updates changed ones in place, keeping their duty status; unchanged ones are not written. Never deletes.
   */
  async putOfficers(officers: readonly OfficerImport[], now: Date = new Date()): Promise<PutOfficersResult> {
    const { planned, notInFile } = await this.compare(officers);
    for (const { officer, outcome, hash, previousHash } of planned) {
      if (outcome === 'added') await this.add(officer, hash, now);
      if (outcome === 'updated') await this.update(officer, hash, previousHash!, now);
    }
    return { outcomes: planned.map(({ officer, outcome }) => ({ officer, outcome })), notInFile };
  }

  /** What `putOfficers` would do with `officers`, writing nothing (a dry run). */
  async plan(officers: readonly OfficerImport[]): Promise<PutOfficersResult> {
    const { planned, notInFile } = await this.compare(officers);
    return { outcomes: planned.map(({ officer, outcome }) => ({ officer, outcome })), notInFile };
  }

  private async compare(officers: readonly OfficerImport[]) {
    const stored = new Map((await this.list()).map((record) => [record.key, record]));
    const inFile = new Set(officers.map((officer) => officer.key));
    if (inFile.size !== officers.length) throw new Error('the rota lists one number twice');
    const planned = officers.map((officer) => {
      const hash = officerContentHash(officer);
      const before = stored.get(officer.key);
      const outcome: ImportOutcome = !before ? 'added' : before.contentHash === hash ? 'unchanged' : 'updated';
      return { officer, outcome, hash, previousHash: before?.contentHash };
    });
    const notInFile = [...stored.values()].filter((record) => !inFile.has(record.key)).map(({ key, name }) => ({ key, name }));
    return { planned, notInFile };
  }

  async remove(officerKey: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: keys.officer(officerKey) }));
  }

  /** Puts an officer on or off duty; undefined when there is no such officer. */
  async setDuty(officerKey: string, onDuty: boolean, now: Date = new Date()): Promise<OfficerRecord | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.officer(officerKey),
          UpdateExpression: 'SET onDuty = :onDuty, dutyChangedAt = :now',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':onDuty': onDuty, ':now': now.toISOString() },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return officerRecordSchema.parse(Attributes);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async recordDuty(record: DutyAuditRecord): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.dutyAudit(record.at, randomUUID().slice(0, 8)), ...record } }),
    );
  }

  async listDutyAudit(): Promise<DutyAuditRecord[]> {
    return (await this.query(collections.dutyAudit())) as unknown as DutyAuditRecord[];
  }

  private async add(officer: OfficerImport, contentHash: string, now: Date): Promise<void> {
    const record = officerRecordSchema.parse({ ...officer, onDuty: true, contentHash, updatedAt: now.toISOString() });
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.officer(officer.key), ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** Conditional on the content read: a concurrent import is detected, not overwritten. */
  private async update(officer: OfficerImport, contentHash: string, previousHash: string, now: Date): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.officer(officer.key),
        UpdateExpression:
          'SET #name = :name, phone = :phone, #role = :role, languages = :languages, #level = :level, contentHash = :hash, updatedAt = :now' +
          (officer.email ? ', email = :email' : ' REMOVE email'),
        ConditionExpression: 'contentHash = :previous',
        ExpressionAttributeNames: { '#name': 'name', '#role': 'role', '#level': 'level' },
        ExpressionAttributeValues: {
          ':name': officer.name,
          ':phone': officer.phone,
          ':role': officer.role,
          ':languages': officer.languages,
          ':level': officer.level,
          ':hash': contentHash,
          ':previous': previousHash,
          ':now': now.toISOString(),
          ...(officer.email ? { ':email': officer.email } : {}),
        },
      }),
    );
  }

  private query(collection: ItemCollection): Promise<Record<string, unknown>[]> {
    return queryAll(this.client, this.tableName, collection);
  }
}
